import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorString, type FieldError } from '../../../../api/field-errors.ts';
import type { KubeObject } from '../../../../api/meta.ts';
import { validateSelectorAndTemplate } from '../../apps/workload.ts';
import { pods } from './index.ts';

type Obj = Record<string, unknown>;

function pod(spec: Obj, name = 'web'): KubeObject {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec };
  pods.strategy!.defaults!(obj);
  return obj;
}

const base = (extra: Obj = {}, container: Obj = {}): Obj => ({
  containers: [{ name: 'app', image: 'nginx:1.27', ...container }],
  ...extra,
});

const validate = (obj: KubeObject): FieldError[] => pods.strategy!.validate!(obj);
const short = (errs: FieldError[]): string[] => errs.map((e) => `${e.type} ${e.field}`);

// A pod using most of what the validation knows; it must pass untouched.
const full: Obj = {
  volumes: [
    { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
    { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a.conf', mode: 0o400 }] } },
    { name: 'sec', secret: { secretName: 's' } },
    { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
    { name: 'claim', persistentVolumeClaim: { claimName: 'pvc' } },
    {
      name: 'info',
      downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
    },
    {
      name: 'proj',
      projected: {
        sources: [
          { serviceAccountToken: { path: 'token' } },
          { configMap: { name: 'ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        ],
      },
    },
    { name: 'nfs', nfs: { server: 'nfs.local', path: '/exports' } },
    { name: 'csi', csi: { driver: 'csi.example.com' } },
    { name: 'scratch' },
  ],
  initContainers: [
    { name: 'init', image: 'busybox', command: ['true'] },
    {
      name: 'sidecar',
      image: 'envoy',
      restartPolicy: 'Always',
      readinessProbe: { tcpSocket: { port: 9901 } },
    },
  ],
  containers: [
    {
      name: 'app',
      image: 'nginx:1.27',
      ports: [
        { name: 'http', containerPort: 80 },
        { name: 'dns', containerPort: 53, protocol: 'UDP', hostPort: 5353 },
      ],
      env: [
        { name: 'PLAIN', value: 'x' },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        { name: 'KEY', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'a' } } },
        { name: 'weird.name-1', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      ],
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 's' } }],
      resources: {
        requests: { cpu: '100m', memory: '64Mi', 'example.com/gpu': '1' },
        limits: { cpu: '1', memory: '128Mi', 'example.com/gpu': '1', 'hugepages-2Mi': '4Mi' },
      },
      volumeMounts: [
        { name: 'data', mountPath: '/data', subPath: 'sub/dir' },
        { name: 'cfg', mountPath: '/etc/cfg', readOnly: true },
        { name: 'scratch', mountPath: '/scratch' },
      ],
      livenessProbe: { httpGet: { port: 'http', httpHeaders: [{ name: 'X-Probe', value: '1' }] } },
      readinessProbe: { exec: { command: ['cat', '/ready'] }, initialDelaySeconds: 5 },
      startupProbe: { grpc: { port: 9000 }, failureThreshold: 30 },
      lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ['sh'] } } },
      securityContext: {
        runAsUser: 1000,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    },
  ],
  restartPolicy: 'Always',
  dnsPolicy: 'None',
  dnsConfig: {
    nameservers: ['10.0.0.10'],
    searches: ['svc.cluster.local.'],
    options: [{ name: 'ndots', value: '2' }],
  },
  hostname: 'web-0',
  subdomain: 'web',
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  serviceAccountName: 'runner',
  priorityClassName: 'high',
  activeDeadlineSeconds: 600,
  imagePullSecrets: [{ name: 'regcred' }],
  readinessGates: [{ conditionType: 'example.com/ready' }],
  schedulingGates: [{ name: 'example.com/quota' }],
  securityContext: { fsGroup: 2000, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
  os: { name: 'linux' },
  overhead: { cpu: '250m' },
  tolerations: [
    { operator: 'Exists' },
    { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
  ],
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }],
            matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }],
          },
        ],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
      ],
    },
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
      ],
    },
  },
  topologySpreadConstraints: [
    {
      maxSkew: 1,
      topologyKey: 'zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { app: 'web' } },
    },
    { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' },
  ],
};

describe('pod validation', () => {
  it('accepts a full-featured pod', () => {
    assert.deepEqual(validate(pod(structuredClone(full))).map(errorString), []);
  });

  const cases: Array<{ name: string; spec: Obj; want: string[]; detail?: string }> = [
    // containers
    { name: 'no containers', spec: { containers: [] }, want: ['FieldValueRequired spec.containers'] },
    {
      name: 'container name not a DNS label',
      spec: base({}, { name: 'App_1' }),
      want: ['FieldValueInvalid spec.containers[0].name'],
    },
    {
      name: 'missing image',
      spec: base({}, { image: '' }),
      want: ['FieldValueRequired spec.containers[0].image'],
    },
    {
      name: 'image with whitespace',
      spec: base({}, { image: 'nginx ' }),
      want: ['FieldValueInvalid spec.containers[0].image'],
      detail: 'must not have leading or trailing whitespace',
    },
    {
      name: 'duplicate across init and regular containers',
      spec: base({ initContainers: [{ name: 'app', image: 'x' }] }),
      want: ['FieldValueDuplicate spec.initContainers[0].name'],
    },
    {
      name: 'duplicate regular containers',
      spec: {
        containers: [
          { name: 'a', image: 'x' },
          { name: 'a', image: 'y' },
        ],
      },
      want: ['FieldValueDuplicate spec.containers[1].name'],
    },
    {
      name: 'bad pull and termination message policies',
      spec: base({}, { imagePullPolicy: 'Sometimes', terminationMessagePolicy: 'Log' }),
      want: [
        'FieldValueNotSupported spec.containers[0].terminationMessagePolicy',
        'FieldValueNotSupported spec.containers[0].imagePullPolicy',
      ],
    },
    // ports
    {
      name: 'container port missing, host port out of range, bad protocol',
      spec: base({}, { ports: [{ containerPort: 0, hostPort: 70000, protocol: 'ICMP' }] }),
      want: [
        'FieldValueRequired spec.containers[0].ports[0].containerPort',
        'FieldValueInvalid spec.containers[0].ports[0].hostPort',
        'FieldValueNotSupported spec.containers[0].ports[0].protocol',
      ],
    },
    {
      name: 'container port out of range',
      spec: base({}, { ports: [{ containerPort: 65536 }] }),
      want: ['FieldValueInvalid spec.containers[0].ports[0].containerPort'],
      detail: 'must be between 1 and 65535, inclusive',
    },
    {
      name: 'port names IANA and unique',
      spec: base(
        {},
        {
          ports: [
            { name: 'HTTP', containerPort: 80 },
            { name: 'web', containerPort: 81 },
            { name: 'web', containerPort: 82 },
          ],
        },
      ),
      want: [
        'FieldValueInvalid spec.containers[0].ports[0].name',
        'FieldValueInvalid spec.containers[0].ports[0].name',
        'FieldValueDuplicate spec.containers[0].ports[2].name',
      ],
    },
    {
      name: 'host port conflict',
      spec: base(
        {},
        {
          ports: [
            { containerPort: 80, hostPort: 8080 },
            { containerPort: 81, hostPort: 8080 },
          ],
        },
      ),
      want: ['FieldValueDuplicate spec.containers[0].ports[1].hostPort'],
    },
    {
      name: 'hostNetwork host port must match',
      spec: base({ hostNetwork: true }, { ports: [{ containerPort: 80, hostPort: 8080 }] }),
      want: ['FieldValueInvalid spec.containers[0].ports[0].hostPort'],
      detail: 'must match `containerPort` when `hostNetwork` is true',
    },
    // env
    {
      name: 'env names and sources',
      spec: base(
        {},
        {
          env: [
            { name: 'A=B' },
            { name: '', value: 'x' },
            { name: 'X', value: 'v', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'Y', valueFrom: {} },
            { name: 'Z', valueFrom: { fieldRef: { fieldPath: 'spec.schedulerName' } } },
            { name: 'W', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } },
          ],
        },
      ),
      want: [
        'FieldValueInvalid spec.containers[0].env[0].name',
        'FieldValueRequired spec.containers[0].env[1].name',
        'FieldValueInvalid spec.containers[0].env[2].valueFrom',
        'FieldValueInvalid spec.containers[0].env[3].valueFrom',
        'FieldValueNotSupported spec.containers[0].env[4].valueFrom.fieldRef.fieldPath',
        'FieldValueNotSupported spec.containers[0].env[5].valueFrom.resourceFieldRef.resource',
      ],
    },
    {
      name: 'envFrom needs exactly one source',
      spec: base({}, { envFrom: [{}, { configMapRef: { name: 'a' }, secretRef: { name: 'b' } }] }),
      want: ['FieldValueInvalid spec.containers[0].envFrom', 'FieldValueInvalid spec.containers[0].envFrom'],
    },
    // resources
    {
      name: 'requests above limits, negative, unknown names',
      spec: base(
        {},
        {
          resources: {
            limits: { cpu: '1', memory: '-1Gi' },
            requests: { cpu: '2', bogus: '1', 'example.com/gpu': '1' },
          },
        },
      ),
      want: [
        'FieldValueInvalid spec.containers[0].resources.limits[memory]',
        'FieldValueInvalid spec.containers[0].resources.requests',
        'FieldValueInvalid spec.containers[0].resources.requests[bogus]',
        'FieldValueInvalid spec.containers[0].resources.requests[bogus]',
        'FieldValueRequired spec.containers[0].resources.limits',
      ],
    },
    {
      name: 'hugepages alone',
      spec: base({}, { resources: { limits: { 'hugepages-2Mi': '2Mi' } } }),
      want: ['FieldValueForbidden spec.containers[0].resources'],
    },
    // volume mounts
    {
      name: 'mounts: unknown volume, missing and duplicate paths, subPath escapes',
      spec: base(
        { volumes: [{ name: 'v', emptyDir: {} }] },
        {
          volumeMounts: [
            { name: 'nope', mountPath: '/a' },
            { name: 'v', mountPath: '' },
            { name: 'v', mountPath: '/a', subPath: '../x' },
          ],
        },
      ),
      want: [
        'FieldValueInvalid spec.containers[0].volumeMounts[0].name',
        'FieldValueRequired spec.containers[0].volumeMounts[1].mountPath',
        'FieldValueInvalid spec.containers[0].volumeMounts[2].mountPath',
        'FieldValueInvalid spec.containers[0].volumeMounts.subPath',
      ],
    },
    // probes and lifecycle
    {
      name: 'probe handlers',
      spec: base(
        {},
        {
          livenessProbe: { exec: { command: ['x'] }, httpGet: { port: 80 }, successThreshold: 2 },
          readinessProbe: { periodSeconds: -1 },
          startupProbe: { tcpSocket: { port: 0 } },
        },
      ),
      want: [
        'FieldValueForbidden spec.containers[0].livenessProbe.httpGet',
        'FieldValueInvalid spec.containers[0].livenessProbe.successThreshold',
        'FieldValueRequired spec.containers[0].readinessProbe',
        'FieldValueInvalid spec.containers[0].readinessProbe.periodSeconds',
        'FieldValueInvalid spec.containers[0].startupProbe.tcpSocket.port',
      ],
    },
    {
      name: 'lifecycle handler required, sleep bounded',
      spec: base(
        { terminationGracePeriodSeconds: 10 },
        { lifecycle: { postStart: {}, preStop: { sleep: { seconds: 20 } } } },
      ),
      want: [
        'FieldValueRequired spec.containers[0].lifecycle.postStart',
        'FieldValueInvalid spec.containers[0].lifecycle.preStop.sleep',
      ],
    },
    {
      name: 'init containers: probes need restartPolicy Always, which is the only value',
      spec: base({
        initContainers: [
          { name: 'i', image: 'x', livenessProbe: { exec: { command: ['x'] } } },
          { name: 'j', image: 'x', restartPolicy: 'OnFailure' },
        ],
      }),
      want: [
        'FieldValueForbidden spec.initContainers[0].livenessProbe',
        'FieldValueNotSupported spec.initContainers[1].restartPolicy',
      ],
    },
    {
      name: 'restartPolicy on a regular container',
      spec: base({}, { restartPolicy: 'Always' }),
      want: ['FieldValueForbidden spec.containers[0].restartPolicy'],
    },
    {
      name: 'container security context',
      spec: base(
        {},
        { securityContext: { runAsUser: -1, privileged: true, allowPrivilegeEscalation: false } },
      ),
      want: [
        'FieldValueInvalid spec.containers[0].securityContext.runAsUser',
        'FieldValueInvalid spec.containers[0].securityContext',
      ],
    },
    // volumes
    {
      name: 'volume names and sources',
      spec: base({
        volumes: [
          { name: 'a', emptyDir: {}, hostPath: { path: '/x' } },
          { name: 'Bad_Name', emptyDir: {} },
          { name: 'c', emptyDir: {} },
          { name: 'c', emptyDir: {} },
          { name: 'd', hostPath: { path: '' } },
          { name: 'e', hostPath: { path: '/x', type: 'Dir' } },
          { name: 'f', configMap: { name: '', items: [{ key: 'k', path: '/abs' }] } },
          { name: 'g', persistentVolumeClaim: {} },
          { name: 'h', secret: { secretName: 's', defaultMode: 0o1777 } },
          { name: 'i', emptyDir: { sizeLimit: '-1' } },
        ],
      }),
      want: [
        'FieldValueForbidden spec.volumes[0].hostPath',
        'FieldValueInvalid spec.volumes[1].name',
        'FieldValueDuplicate spec.volumes[3].name',
        'FieldValueRequired spec.volumes[4].hostPath.path',
        'FieldValueNotSupported spec.volumes[5].hostPath.type',
        'FieldValueRequired spec.volumes[6].configMap.name',
        'FieldValueInvalid spec.volumes[6].configMap.items[0].path',
        'FieldValueRequired spec.volumes[7].persistentVolumeClaim.claimName',
        'FieldValueInvalid spec.volumes[8].secret.defaultMode',
        'FieldValueForbidden spec.volumes[9].emptyDir.sizeLimit',
      ],
    },
    // pod spec fields
    {
      name: 'policies',
      spec: base({ restartPolicy: 'Sometimes', dnsPolicy: 'Google' }),
      want: ['FieldValueNotSupported spec.restartPolicy', 'FieldValueNotSupported spec.dnsPolicy'],
    },
    {
      name: 'dnsPolicy None needs nameservers',
      spec: base({ dnsPolicy: 'None', dnsConfig: { options: [{ name: 'ndots' }] } }),
      want: ['FieldValueRequired spec.dnsConfig.nameservers'],
    },
    {
      name: 'dnsConfig contents',
      spec: base({
        dnsConfig: { nameservers: ['nope'], searches: ['Bad_Domain'], options: [{ value: '1' }] },
      }),
      want: [
        'FieldValueInvalid spec.dnsConfig.nameservers[0]',
        'FieldValueInvalid spec.dnsConfig.searches[0]',
        'FieldValueRequired spec.dnsConfig.options[0]',
      ],
    },
    {
      name: 'names: hostname, subdomain, service account, priority class, node selector',
      spec: base({
        hostname: 'a.b',
        subdomain: 'Sub',
        serviceAccountName: 'Bad_SA',
        priorityClassName: 'Bad_PC',
        nodeSelector: { 'bad key': 'v' },
        imagePullSecrets: [{ name: 'a', extra: 1 }],
      }),
      want: [
        'FieldValueInvalid spec.nodeSelector',
        'FieldValueInvalid spec.imagePullSecrets[0]',
        'FieldValueInvalid spec.serviceAccountName',
        'FieldValueInvalid spec.hostname',
        'FieldValueInvalid spec.subdomain',
        'FieldValueInvalid spec.priorityClassName',
      ],
    },
    {
      name: 'durations',
      spec: base({ activeDeadlineSeconds: 0 }),
      want: ['FieldValueInvalid spec.activeDeadlineSeconds'],
      detail: 'must be between 1 and 2147483647, inclusive',
    },
    {
      name: 'tolerations',
      spec: base({
        tolerations: [
          { operator: 'Equal', value: 'x' },
          { key: 'k', operator: 'Exists', value: 'v' },
          { key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 },
          { key: 'bad key', operator: 'Sometimes', effect: 'Never' },
        ],
      }),
      want: [
        'FieldValueInvalid spec.tolerations[0].operator',
        'FieldValueInvalid spec.tolerations[1].operator',
        'FieldValueInvalid spec.tolerations[2].effect',
        'FieldValueInvalid spec.tolerations[3].key',
        'FieldValueNotSupported spec.tolerations[3].operator',
        'FieldValueNotSupported spec.tolerations[3].effect',
      ],
    },
    {
      name: 'affinity',
      spec: base({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] },
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 0, preference: { matchExpressions: [{ key: 'k', operator: 'Near' }] } },
            ],
          },
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] }, topologyKey: 'zone' },
            ],
          },
        },
      }),
      want: [
        'FieldValueRequired spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms',
        'FieldValueInvalid spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight',
        'FieldValueInvalid spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].operator',
        'FieldValueRequired spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values',
      ],
    },
    {
      name: 'topology spread',
      spec: base({
        topologySpreadConstraints: [
          { maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Maybe' },
          { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
          { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
        ],
      }),
      want: [
        'FieldValueInvalid spec.topologySpreadConstraints[0].maxSkew',
        'FieldValueRequired spec.topologySpreadConstraints[0].topologyKey',
        'FieldValueNotSupported spec.topologySpreadConstraints[0].whenUnsatisfiable',
        'FieldValueDuplicate spec.topologySpreadConstraints[1].{topologyKey, whenUnsatisfiable}',
      ],
    },
    {
      name: 'gates, readiness gates, overhead, os',
      spec: base({
        schedulingGates: [{ name: 'a' }, { name: 'a' }],
        readinessGates: [{ conditionType: 'bad type' }],
        overhead: { cpu: '-1' },
        os: { name: 'plan9' },
      }),
      want: [
        'FieldValueInvalid spec.readinessGates[0].conditionType',
        'FieldValueDuplicate spec.schedulingGates[1]',
        'FieldValueInvalid spec.overhead.limits[cpu]',
        'FieldValueNotSupported spec.os',
      ],
    },
    {
      name: 'pod security context',
      spec: base({
        securityContext: {
          fsGroup: -5,
          sysctls: [{ name: 'Bad!' }, { name: 'net.ipv4.ip_forward' }, { name: 'net.ipv4.ip_forward' }],
          seccompProfile: { type: 'Localhost' },
        },
      }),
      want: [
        'FieldValueInvalid spec.securityContext.fsGroup',
        'FieldValueInvalid spec.securityContext.sysctls[0].name',
        'FieldValueDuplicate spec.securityContext.sysctls[2].name',
        'FieldValueRequired spec.securityContext.seccompProfile.localhostProfile',
      ],
    },
    {
      name: 'ephemeral containers and gated binding on create',
      spec: base({
        nodeName: 'n1',
        schedulingGates: [{ name: 'g' }],
        ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
      }),
      want: ['FieldValueForbidden spec.ephemeralContainers', 'FieldValueForbidden spec.nodeName'],
    },
  ];
  for (const c of cases)
    it(`rejects: ${c.name}`, () => {
      const errs = validate(pod(c.spec));
      assert.deepEqual(short(errs), c.want);
      if (c.detail !== undefined) assert.equal(errs[0]!.detail, c.detail);
    });

  it('reports a second volume source as upstream words it', () => {
    const errs = validate(
      pod(base({ volumes: [{ name: 'a', secret: { secretName: 's' }, configMap: { name: 'c' } }] })),
    );
    assert.deepEqual(errs.map(errorString), [
      'spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type',
    ]);
  });
});

describe('pod update validation', () => {
  const update = (before: Obj, change: (s: Obj) => void): FieldError[] => {
    const old = pod(before);
    const next = structuredClone(old);
    change(next['spec'] as Obj);
    return pods.strategy!.validateUpdate!(next, old);
  };
  const containers = (s: Obj): Obj[] => s['containers'] as Obj[];

  it('allows image changes, a lower deadline, added tolerations and removed gates', () => {
    const errs = update(base({ activeDeadlineSeconds: 100, schedulingGates: [{ name: 'g' }] }), (s) => {
      containers(s)[0]!['image'] = 'nginx:1.28';
      s['activeDeadlineSeconds'] = 50;
      s['tolerations'] = [{ key: 'k', operator: 'Exists' }];
      s['schedulingGates'] = [];
    });
    assert.deepEqual(errs, []);
  });

  it('forbids other changes, such as the node name', () => {
    const errs = update(base(), (s) => {
      s['nodeName'] = 'node-b';
    });
    assert.deepEqual(short(errs), ['FieldValueForbidden spec']);
    assert.ok(
      errs[0]!.detail.startsWith(
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n',
      ),
    );
  });

  const cases: Array<{ name: string; before: Obj; change: (s: Obj) => void; want: string[] }> = [
    {
      name: 'adding a container',
      before: base(),
      change: (s) =>
        containers(s).push({
          name: 'b',
          image: 'x',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'Always',
        }),
      want: ['FieldValueForbidden spec.containers'],
    },
    {
      name: 'raising the deadline',
      before: base({ activeDeadlineSeconds: 10 }),
      change: (s) => (s['activeDeadlineSeconds'] = 20),
      want: ['FieldValueInvalid spec.activeDeadlineSeconds'],
    },
    {
      name: 'removing the deadline',
      before: base({ activeDeadlineSeconds: 10 }),
      change: (s) => delete s['activeDeadlineSeconds'],
      want: ['FieldValueInvalid spec.activeDeadlineSeconds'],
    },
    {
      name: 'changing a toleration',
      before: base({ tolerations: [{ key: 'k', operator: 'Exists' }] }),
      change: (s) => (s['tolerations'] = [{ key: 'other', operator: 'Exists' }]),
      want: ['FieldValueForbidden spec.tolerations'],
    },
    {
      name: 'adding a scheduling gate',
      before: base({ schedulingGates: [{ name: 'a' }] }),
      change: (s) => (s['schedulingGates'] = [{ name: 'a' }, { name: 'b' }]),
      want: ['FieldValueForbidden spec.schedulingGates[1].name'],
    },
  ];
  for (const c of cases)
    it(`rejects: ${c.name}`, () => assert.deepEqual(short(update(c.before, c.change)), c.want));
});

describe('pod template validation', () => {
  it('reports a Deployment template error under spec.template.spec', () => {
    const template = {
      metadata: { labels: { app: 'web' } },
      spec: base({}, { ports: [{ containerPort: 0, protocol: 'TCP' }] }),
    };
    const wrapped: KubeObject = { metadata: { name: 'x' }, spec: structuredClone(template.spec) };
    pods.strategy!.defaults!(wrapped);
    const errs = validateSelectorAndTemplate({
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: template.metadata, spec: wrapped['spec'] as Obj },
    });
    assert.deepEqual(short(errs), [
      'FieldValueRequired spec.template.spec.containers[0].ports[0].containerPort',
    ]);
  });

  it('allows hostNetwork templates to leave the host port unset', () => {
    const wrapped: KubeObject = {
      metadata: { name: 'x' },
      spec: base({ hostNetwork: true }, { ports: [{ containerPort: 80 }] }),
    };
    const errs = validateSelectorAndTemplate({
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { ...(wrapped['spec'] as Obj) } },
    });
    // Undefaulted here, so the defaults' fields are missing, but no hostPort error.
    assert.ok(!errs.some((e) => e.field.endsWith('hostPort')));
  });
});
