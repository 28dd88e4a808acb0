import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/meta.ts';
import { podtemplates } from './index.ts';

const ctx = { user: { name: 'admin', groups: [] } };

function pt(template: unknown): KubeObject {
  return { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'tpl', namespace: 'default' }, template };
}

const errors = (obj: KubeObject): string[] =>
  podtemplates.strategy!.validate!(obj).map((e) => `${e.type} ${e.field}`);

describe('podtemplates', () => {
  it('defaults the pod spec as SetDefaults_PodSpec does, and starts at generation 1', () => {
    const obj = pt({
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] },
          { name: 'side', image: 'busybox' },
        ],
      },
    });
    podtemplates.strategy!.prepareForCreate!(obj, ctx);
    podtemplates.strategy!.defaults!(obj);
    assert.equal(obj.metadata.generation, 1);
    const spec = (obj['template'] as { spec: Record<string, unknown> }).spec;
    assert.deepEqual(
      [
        spec['restartPolicy'],
        spec['dnsPolicy'],
        spec['terminationGracePeriodSeconds'],
        spec['schedulerName'],
        spec['securityContext'],
      ],
      ['Always', 'ClusterFirst', 30, 'default-scheduler', {}],
    );
    assert.equal(spec['enableServiceLinks'], undefined);
    const [web, side] = spec['containers'] as Array<Record<string, unknown>>;
    assert.deepEqual(
      [web!['imagePullPolicy'], side!['imagePullPolicy'], web!['terminationMessagePath'], web!['ports']],
      ['IfNotPresent', 'Always', '/dev/termination-log', [{ containerPort: 80, protocol: 'TCP' }]],
    );
    assert.deepEqual(errors(obj), []);
  });

  const cases: Array<{ name: string; template: unknown; want: string[] }> = [
    {
      name: 'no template',
      template: undefined,
      // restartPolicy and dnsPolicy are defaulted.
      want: ['FieldValueRequired template.spec.containers'],
    },
    {
      name: 'duplicate and missing names, missing image',
      template: {
        spec: {
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
          initContainers: [{ name: 'a', image: 'x' }],
          containers: [{ name: 'a', image: 'x' }, { image: 'y' }, { name: 'c' }],
        },
      },
      // Upstream checks the regular containers first, so the init container holds the duplicate.
      want: [
        'FieldValueRequired template.spec.containers[1].name',
        'FieldValueRequired template.spec.containers[2].image',
        'FieldValueDuplicate template.spec.initContainers[0].name',
      ],
    },
    {
      name: 'bad labels and restart policy',
      template: {
        metadata: { labels: { 'bad key': 'v' } },
        spec: {
          restartPolicy: 'Sometimes',
          dnsPolicy: 'ClusterFirst',
          containers: [{ name: 'a', image: 'x' }],
        },
      },
      want: ['FieldValueInvalid template.labels', 'FieldValueNotSupported template.spec.restartPolicy'],
    },
  ];
  // As the server runs them: defaults first, then validation (which expects the defaulted fields).
  for (const c of cases)
    it(`validates: ${c.name}`, () => {
      const obj = pt(c.template);
      podtemplates.strategy!.defaults!(obj);
      assert.deepEqual(errors(obj), c.want);
    });

  it('counts a template change as a new generation', () => {
    const old = pt({ spec: { containers: [{ name: 'a', image: 'x' }] } });
    assert.equal(
      podtemplates.strategy!.specChanged!(pt({ spec: { containers: [{ name: 'a', image: 'y' }] } }), old),
      true,
    );
    assert.equal(podtemplates.strategy!.specChanged!(structuredClone(old), old), false);
  });

  it('prints containers, images and pod labels', () => {
    const obj = pt({
      metadata: { labels: { tier: 'front', app: 'web' } },
      spec: {
        containers: [
          { name: 'web', image: 'nginx' },
          { name: 'log', image: 'fluentd' },
        ],
      },
    });
    assert.deepEqual(podtemplates.table!.row(obj, new Date()), [
      'tpl',
      'web,log',
      'nginx,fluentd',
      'app=web,tier=front',
    ]);
    assert.deepEqual(podtemplates.table!.row(pt({}), new Date()), ['tpl', '', '', '<none>']);
  });
});
