// meta.k8s.io/v1 Table output for `kubectl get` (upstream's endpoints/handlers/response.go
// asTable, and the printers of pkg/printers/internalversion). A resource without its own
// columns gets upstream's default: Name and Created At.
import type { KubeObject } from '../../api/meta.ts';
import type { Cell, ResourceDefinition, TableColumn } from '../registry/types.ts';

export interface TableRequest {
  /** includeObject: None, Metadata (default) or Object. */
  readonly includeObject: 'None' | 'Metadata' | 'Object';
}

const defaultNameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

const createdColumn: TableColumn = {
  name: 'Created At',
  type: 'date',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
};

/** The NAME and AGE columns every printer starts and ends with (upstream's ObjectMetaSwaggerDoc texts differ per kind only in the noun). */
export function nameColumn(noun: string): TableColumn {
  return { name: 'Name', type: 'string', format: 'name', description: `Name of the ${noun}`, priority: 0 };
}

export function ageColumn(noun: string): TableColumn {
  return { name: 'Age', type: 'string', description: `CreationTimestamp of the ${noun}`, priority: 0 };
}

/** Does the Accept header ask for a Table (`application/json;as=Table;v=v1;g=meta.k8s.io`)? */
export function tableRequested(accept: string): TableRequest['includeObject'] | undefined {
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io' && params.get('v') === 'v1')
      return 'Metadata';
  }
  return undefined;
}

export function tableColumns(def: ResourceDefinition): readonly TableColumn[] {
  return def.table?.columns ?? [defaultNameColumn, createdColumn];
}

export function tableRow(
  def: ResourceDefinition,
  obj: KubeObject,
  options: TableRequest,
  now: Date,
): unknown {
  const cells: Cell[] = def.table?.row(obj, now) ?? [
    obj.metadata.name ?? '',
    obj.metadata.creationTimestamp ?? null,
  ];
  const row: Record<string, unknown> = { cells };
  if (options.includeObject === 'Object') row['object'] = obj;
  else if (options.includeObject === 'Metadata') {
    row['object'] = {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: obj.metadata,
    };
  }
  return row;
}

export function toTable(
  def: ResourceDefinition,
  objects: readonly KubeObject[],
  options: TableRequest & {
    resourceVersion: string;
    continueToken?: string;
    remainingItemCount?: number;
    noHeaders?: boolean;
  },
): Record<string, unknown> {
  const now = new Date();
  const metadata: Record<string, unknown> = { resourceVersion: options.resourceVersion };
  if (options.continueToken !== undefined) metadata['continue'] = options.continueToken;
  if (options.remainingItemCount !== undefined) metadata['remainingItemCount'] = options.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    // Watch events after the first carry no column definitions (kubectl keeps the first ones).
    columnDefinitions: options.noHeaders ? null : tableColumns(def),
    rows: objects.map((o) => tableRow(def, o, options, now)),
  };
}

/**
 * Upstream's duration.HumanDuration (apimachinery/pkg/util/duration), used for AGE columns:
 * "0s", "59s", "5m10s", "3h", "3d4h", "2y".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** The AGE cell of an object. */
export function age(obj: KubeObject, now: Date): string {
  const created = obj.metadata.creationTimestamp;
  return created ? humanDuration(now.getTime() - Date.parse(created)) : '<unknown>';
}
