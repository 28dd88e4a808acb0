import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../api/meta.ts';
import { create, errorKeys, update } from '../testing.ts';
import { controllerrevisions } from './index.ts';

describe('controllerrevisions', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['valid', { data: { spec: {} }, revision: 1 }, []],
    ['no data', { revision: 1 }, ['Required data']],
    ['negative revision', { data: {}, revision: -1 }, ['Invalid revision']],
  ];
  for (const [name, body, want] of cases) {
    it(`validates: ${name}`, () =>
      assert.deepEqual(errorKeys(create(controllerrevisions, body).errors), want));
  }

  it('keeps data immutable', () => {
    const old = create(controllerrevisions, { data: { a: 1 }, revision: 1 }).obj;
    const next = { ...structuredClone(old), data: { a: 2 } };
    assert.deepEqual(errorKeys(update(controllerrevisions, next, old).errors), ['Invalid data']);
    assert.deepEqual(update(controllerrevisions, { ...structuredClone(old), revision: 2 }, old).errors, []);
  });

  const owner = (apiVersion: string, kind: string, controller = true): KubeObject => ({
    metadata: {
      name: 'web-7d4b9c',
      creationTimestamp: '2025-01-01T00:00:00Z',
      ownerReferences: [{ apiVersion, kind, name: 'web', uid: 'u', controller }],
    },
    revision: 3,
  });
  const rows: [string, KubeObject, string][] = [
    ['apps owner', owner('apps/v1', 'StatefulSet'), 'statefulset.apps/web'],
    ['core owner', owner('v1', 'Pod'), 'pod/web'],
    ['no controller', owner('apps/v1', 'DaemonSet', false), '<none>'],
  ];
  for (const [name, obj, controller] of rows) {
    it(`prints NAME CONTROLLER REVISION AGE: ${name}`, () => {
      assert.deepEqual(controllerrevisions.table?.row(obj, new Date('2025-01-01T03:00:00Z')), [
        'web-7d4b9c',
        controller,
        3,
        '3h',
      ]);
    });
  }
});
