import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinResources } from '../registry/index.ts';
import { groupVersionString } from '../../api/meta.ts';
import { PatchError } from './errors.ts';
import { kindSchema } from './schema.ts';
import { strategicMergePatch } from './strategic.ts';

type Obj = Record<string, unknown>;

const deployment = kindSchema('apps/v1', 'Deployment')!;
const pod = kindSchema('v1', 'Pod')!;

function podSpec(spec: Obj): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec };
}

function deploymentSpec(podSpec: Obj): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { template: { spec: podSpec } },
  };
}

const twoContainers = {
  containers: [
    {
      name: 'a',
      image: 'a:1',
      env: [
        { name: 'X', value: '1' },
        { name: 'Y', value: '2' },
      ],
    },
    { name: 'b', image: 'b:1' },
  ],
};

describe('strategicMergePatch', () => {
  const cases: Array<{ name: string; original: Obj; patch: Obj; want: Obj; schema?: typeof pod }> = [
    {
      name: 'containers merge by name (through the Deployment pod template)',
      schema: deployment,
      original: deploymentSpec(twoContainers),
      patch: { spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } },
      want: deploymentSpec({ containers: [twoContainers.containers[0], { name: 'b', image: 'b:2' }] }),
    },
    {
      // Upstream puts patch items absent from the live list first (mergeSortedSlice).
      name: 'a new container comes first without $setElementOrder',
      original: podSpec(twoContainers),
      patch: { spec: { containers: [{ name: 'c', image: 'c:1' }] } },
      want: podSpec({ containers: [{ name: 'c', image: 'c:1' }, ...twoContainers.containers] }),
    },
    {
      name: 'env merges by name',
      original: podSpec(twoContainers),
      patch: {
        spec: {
          containers: [
            {
              name: 'a',
              env: [
                { name: 'Y', value: '3' },
                { name: 'Z', value: '4' },
              ],
            },
          ],
        },
      },
      want: podSpec({
        containers: [
          {
            name: 'a',
            image: 'a:1',
            env: [
              { name: 'X', value: '1' },
              { name: 'Y', value: '3' },
              { name: 'Z', value: '4' },
            ],
          },
          twoContainers.containers[1],
        ],
      }),
    },
    {
      name: '$patch: delete removes a container',
      original: podSpec(twoContainers),
      patch: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } },
      want: podSpec({ containers: [twoContainers.containers[1]] }),
    },
    {
      name: '$patch: replace on a list replaces it',
      original: podSpec(twoContainers),
      patch: { spec: { containers: [{ $patch: 'replace' }, { name: 'c', image: 'c:1' }] } },
      want: podSpec({ containers: [{ name: 'c', image: 'c:1' }] }),
    },
    {
      name: '$patch: replace on a map replaces it',
      original: { metadata: { name: 'p', labels: { a: '1', b: '2' } } },
      patch: { metadata: { labels: { $patch: 'replace', c: '3' } } },
      want: { metadata: { name: 'p', labels: { c: '3' } } },
    },
    {
      name: '$patch: delete on a map empties it',
      original: { metadata: { name: 'p', labels: { a: '1' } } },
      patch: { metadata: { labels: { $patch: 'delete' } } },
      want: { metadata: { name: 'p', labels: {} } },
    },
    {
      name: '$setElementOrder orders the merged list',
      original: podSpec(twoContainers),
      patch: {
        spec: {
          '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
          containers: [{ name: 'a', image: 'a:2' }],
        },
      },
      want: podSpec({
        containers: [twoContainers.containers[1], { ...twoContainers.containers[0], image: 'a:2' }],
      }),
    },
    {
      name: '$retainKeys clears other fields (volumes switching emptyDir to configMap)',
      original: podSpec({
        volumes: [
          { name: 'v', emptyDir: {} },
          { name: 'w', emptyDir: {} },
        ],
      }),
      patch: {
        spec: { volumes: [{ name: 'v', configMap: { name: 'cm' }, $retainKeys: ['configMap', 'name'] }] },
      },
      want: podSpec({
        volumes: [
          { name: 'v', configMap: { name: 'cm' } },
          { name: 'w', emptyDir: {} },
        ],
      }),
    },
    {
      name: '$retainKeys on the deployment strategy',
      schema: deployment,
      original: {
        spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
      },
      patch: { spec: { strategy: { type: 'Recreate', $retainKeys: ['type'] } } },
      want: { spec: { strategy: { type: 'Recreate' } } },
    },
    {
      name: '$deleteFromPrimitiveList/finalizers',
      original: { metadata: { name: 'p', finalizers: ['a', 'b', 'c'] } },
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
      want: { metadata: { name: 'p', finalizers: ['a', 'c'] } },
    },
    {
      name: 'finalizers merge as a set',
      original: { metadata: { name: 'p', finalizers: ['a', 'b'] } },
      patch: { metadata: { finalizers: ['b', 'c'] } },
      want: { metadata: { name: 'p', finalizers: ['a', 'b', 'c'] } },
    },
    {
      name: 'null deletes a map key',
      original: { metadata: { name: 'p', labels: { a: '1', b: '2' } } },
      patch: { metadata: { labels: { a: null, c: null } } },
      want: { metadata: { name: 'p', labels: { b: '2' } } },
    },
    {
      name: 'a list without a merge key is replaced (tolerations, args)',
      original: podSpec({
        tolerations: [{ key: 'a' }, { key: 'b' }],
        containers: [{ name: 'a', args: ['1', '2'] }],
      }),
      patch: { spec: { tolerations: [{ key: 'c' }], containers: [{ name: 'a', args: ['3'] }] } },
      want: podSpec({ tolerations: [{ key: 'c' }], containers: [{ name: 'a', args: ['3'] }] }),
    },
    {
      name: 'ownerReferences merge by uid',
      original: { metadata: { name: 'p', ownerReferences: [{ uid: '1', name: 'x' }] } },
      patch: { metadata: { ownerReferences: [{ uid: '2', name: 'y' }] } },
      want: {
        metadata: {
          name: 'p',
          ownerReferences: [
            { uid: '2', name: 'y' },
            { uid: '1', name: 'x' },
          ],
        },
      },
    },
    {
      name: 'container ports merge by containerPort',
      original: podSpec({
        containers: [{ name: 'a', ports: [{ containerPort: 80 }, { containerPort: 443 }] }],
      }),
      patch: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }] }] } },
      want: podSpec({
        containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }],
      }),
    },
    {
      name: 'service ports merge by port',
      schema: kindSchema('v1', 'Service'),
      original: {
        spec: {
          ports: [
            { port: 80, name: 'a' },
            { port: 81, name: 'b' },
          ],
        },
      },
      patch: { spec: { ports: [{ port: 81, targetPort: 8081 }] } },
      want: {
        spec: {
          ports: [
            { port: 80, name: 'a' },
            { port: 81, name: 'b', targetPort: 8081 },
          ],
        },
      },
    },
    {
      name: 'a CronJob reaches containers through jobTemplate',
      schema: kindSchema('batch/v1', 'CronJob'),
      original: { spec: { jobTemplate: { spec: { template: { spec: twoContainers } } } } },
      patch: {
        spec: {
          jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } },
        },
      },
      want: {
        spec: {
          jobTemplate: {
            spec: {
              template: { spec: { containers: [twoContainers.containers[0], { name: 'b', image: 'b:2' }] } },
            },
          },
        },
      },
    },
    {
      name: 'the PodDisruptionBudget selector is replaced',
      schema: kindSchema('policy/v1', 'PodDisruptionBudget'),
      original: { spec: { selector: { matchLabels: { a: '1' } } } },
      patch: { spec: { selector: { matchLabels: { b: '2' } } } },
      want: { spec: { selector: { matchLabels: { b: '2' } } } },
    },
    {
      name: 'directives do not reach a new value',
      original: podSpec({}),
      patch: {
        spec: {
          containers: [
            { name: 'a', $patch: 'delete' },
            { name: 'b', env: [{ name: 'X', value: null }] },
          ],
        },
      },
      want: podSpec({ containers: [{ name: 'b', env: [{ name: 'X' }] }] }),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const patch = JSON.parse(JSON.stringify(c.patch)) as Obj;
      const before = structuredClone(c.original);
      assert.deepEqual(strategicMergePatch(c.original, patch, c.schema ?? pod), c.want);
      assert.deepEqual(c.original, before, 'the original is not changed');
    });
  }

  const failures: Array<{ name: string; patch: Obj; kind: PatchError['kind'] }> = [
    {
      name: 'an item without its merge key',
      patch: { spec: { containers: [{ image: 'x' }] } },
      kind: 'internal',
    },
    { name: 'an unknown $patch', patch: { spec: { $patch: 'frob' } }, kind: 'internal' },
    { name: '$retainKeys not a list', patch: { spec: { $retainKeys: 'x' } }, kind: 'bad-request' },
    {
      name: 'a field outside $retainKeys',
      patch: { spec: { a: 1, $retainKeys: ['b'] } },
      kind: 'bad-request',
    },
    { name: 'lists of lists', patch: { spec: { containers: [['a']] } }, kind: 'unprocessable' },
  ];
  for (const c of failures) {
    it(`fails: ${c.name}`, () => {
      assert.throws(
        () => strategicMergePatch(podSpec(twoContainers), { metadata: {}, ...c.patch }, pod),
        (e: unknown) => e instanceof PatchError && e.kind === c.kind,
      );
    });
  }
});

describe('kindSchema', () => {
  it('covers every built-in kind the server serves', () => {
    for (const d of builtinResources) {
      assert.ok(
        kindSchema(groupVersionString(d.group, d.version), d.kind),
        `${d.group}/${d.version} ${d.kind}`,
      );
    }
  });

  it('has none for custom resources (strategic merge patch is 415 there)', () => {
    assert.equal(kindSchema('example.com/v1', 'Widget'), undefined);
  });

  it('resolves Deployment spec.template.spec.containers through PodTemplateSpec', () => {
    const containers = deployment
      .lookup('spec')
      .schema.lookup('template')
      .schema.lookup('spec')
      .schema.lookup('containers');
    assert.deepEqual(containers.meta, { strategies: ['merge'], mergeKey: 'name' });
    assert.equal(containers.schema.name, 'Container');
    assert.deepEqual(containers.schema.lookup('env').meta, { strategies: ['merge'], mergeKey: 'name' });
  });
});
