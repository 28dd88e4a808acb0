// What one API resource is: names, scope, verbs, and its strategy (defaults, preparation,
// validation, table columns, field selectors) — upstream's pkg/registry/<group>/<resource>/strategy.go
// plus its printers. The generic handlers do everything else, for every resource alike.
import type { FieldError } from '../../api/field-errors.ts';
import type { KubeObject } from '../../api/meta.ts';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const allVerbs: readonly Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** A column of a meta.k8s.io Table, as upstream's TableColumnDefinition. */
export interface TableColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format?: string;
  readonly description: string;
  /** 0 shows always; higher priorities only with `-o wide`. */
  readonly priority: number;
}

export type Cell = string | number | boolean | null;

export interface TableDefinition<T extends KubeObject = KubeObject> {
  readonly columns: readonly TableColumn[];
  /** One row's cells, in column order; the Name column comes first, as upstream. */
  row(obj: T, now: Date): Cell[];
}

/** Context handed to strategies: what they may need beyond the object. */
export interface StrategyContext {
  /** The authenticated user; set by admission-like defaults (e.g. a CSR's username). */
  readonly user: { readonly name: string; readonly groups: readonly string[] };
}

export interface Strategy<T extends KubeObject = KubeObject> {
  /** Fills defaults (scheme defaulting) in place, on create and update. */
  defaults?(obj: T): void;
  /** On create: reset what a client may not set (e.g. status). */
  prepareForCreate?(obj: T, ctx: StrategyContext): void;
  /** On update of the main resource: keep what it may not change (e.g. status) from `old`. */
  prepareForUpdate?(obj: T, old: T): void;
  validate?(obj: T): FieldError[];
  validateUpdate?(obj: T, old: T): FieldError[];
  /**
   * Graceful deletion (upstream's RESTGracefulDeleteStrategy): the seconds a delete waits, given the
   * requested DeleteOptions.gracePeriodSeconds; 0 (or no hook) removes the object at once.
   */
  gracePeriod?(obj: T, requested: number | undefined): number;
  /** Whether `metadata.generation` counts a change between these two (default: everything but status and metadata). */
  specChanged?(obj: T, old: T): boolean;
}

export interface StatusSubresource<T extends KubeObject = KubeObject> {
  /** On a status update: take everything but status from `old` (default: status only changes). */
  prepareForUpdate?(obj: T, old: T): void;
  validateUpdate?(obj: T, old: T): FieldError[];
}

export interface ScaleSubresource {
  /** Paths of the replica counts and selector in the object, as for a CRD's scale subresource. */
  readonly specReplicasPath: string;
  readonly statusReplicasPath: string;
  readonly labelSelectorPath?: string;
}

export interface ActionSubresource {
  readonly name: 'binding' | 'eviction' | 'finalize';
  /** Default: create. */
  readonly verbs?: readonly Verb[];
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface ResourceDefinition<T extends KubeObject = KubeObject> {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural, lower-case resource name used in URLs. */
  readonly resource: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly verbs?: readonly Verb[];
  /**
   * Another group/version of the same objects shares the storage of the one named here
   * (e.g. autoscaling/v1 HPAs are stored as autoscaling/v2); conversion is the registry's job.
   */
  readonly storage?: { readonly group: string; readonly resource: string };
  /**
   * With `storage`, when this version's objects differ from the stored version's: converts a body
   * of this version to the stored version (apiVersion and kind set) on the way in, and a stored
   * object to this version on the way out. The stored version's strategy, table and fields apply.
   */
  readonly conversion?: Conversion;
  readonly strategy?: Strategy<T>;
  readonly status?: StatusSubresource<T>;
  readonly scale?: ScaleSubresource;
  /** Subresources served by their own handlers (pods/binding, pods/eviction, namespaces/finalize). */
  readonly actions?: readonly ActionSubresource[];
  readonly table?: TableDefinition<T>;
  /**
   * With `conversion`: this version's field-selector labels and the stored version's they stand
   * for (events.k8s.io `regarding.name` is core's `involvedObject.name`); others are refused.
   */
  readonly fieldLabels?: Readonly<Record<string, string>>;
  /** The check of metadata.name, when not a DNS subdomain (RBAC names are path segments, e.g. `system:foo`). */
  nameValidation?(name: string): string[];
  /** Field-selector values beyond metadata.name and metadata.namespace (upstream's GetAttrs). */
  fields?(obj: T): Record<string, string>;
}

/** What a storage hook did: `commit` runs once the write is stored, `undo` if it failed. */
export interface HookResult {
  commit?(): Promise<void>;
  undo?(): Promise<void>;
}

/**
 * Work around a resource's writes that needs more than the object (upstream's BeginCreate /
 * BeginUpdate / AfterDelete hooks): the Service IP and NodePort allocators. Runs after defaults and
 * validation, before the store write.
 */
export interface StorageHooks {
  beforeCreate?(obj: KubeObject, options: { dryRun: boolean }): Promise<HookResult | undefined>;
  beforeUpdate?(
    obj: KubeObject,
    old: KubeObject,
    options: { dryRun: boolean },
  ): Promise<HookResult | undefined>;
  afterDelete?(obj: KubeObject): Promise<void>;
}

export interface Conversion {
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

export function qualifiedResource(def: Pick<ResourceDefinition, 'group' | 'resource'>): string {
  return def.group === '' ? def.resource : `${def.resource}.${def.group}`;
}
