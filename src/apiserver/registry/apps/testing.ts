// Test support for the workload definitions: a create or update run through a definition's strategy
// in the order the generic handlers use (prepare, defaults, validate), without a server.
import type { FieldError } from '../../../api/field-errors.ts';
import type { KubeObject } from '../../../api/meta.ts';
import type { ResourceDefinition } from '../types.ts';

export const testUser = { user: { name: 'tester', groups: [] } };

export function create(
  def: ResourceDefinition,
  body: Record<string, unknown>,
  uid = '0a1b2c3d-0000-4000-8000-000000000001',
): { obj: KubeObject; errors: FieldError[] } {
  const obj = structuredClone(body) as KubeObject;
  obj.metadata = {
    name: 'x',
    namespace: 'ns',
    ...obj.metadata,
    uid,
    creationTimestamp: '2025-01-01T00:00:00Z',
  };
  def.strategy?.prepareForCreate?.(obj, testUser);
  def.strategy?.defaults?.(obj);
  return { obj, errors: def.strategy?.validate?.(obj) ?? [] };
}

export function update(
  def: ResourceDefinition,
  next: KubeObject,
  old: KubeObject,
): { obj: KubeObject; errors: FieldError[] } {
  const obj = structuredClone(next);
  if (def.status !== undefined) obj['status'] = structuredClone(old['status']);
  def.strategy?.prepareForUpdate?.(obj, old);
  def.strategy?.defaults?.(obj);
  const errors = def.strategy?.validateUpdate?.(obj, old) ?? def.strategy?.validate?.(obj) ?? [];
  return { obj, errors };
}

/** Errors as `Type field` lines, the part of an error the tables compare. */
export function errorKeys(errors: readonly FieldError[]): string[] {
  return errors.map((e) => `${e.type.replace('FieldValue', '')} ${e.field}`);
}

export const container = { name: 'web', image: 'nginx:1.27' };

/** A pod template with labels app=web and one container. */
export function template(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { metadata: { labels: { app: 'web' } }, spec: { containers: [{ ...container }], ...extra } };
}
