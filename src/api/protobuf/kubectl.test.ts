// Real bodies from kubectl v1.32.5 (and v1.33.1 where it sends a newer version of a kind). Each testdata/<name>.pb is the exact request body kubectl sent
// (Content-Type: application/vnd.kubernetes.protobuf) to a recording server, and <name>.json is
// what the same command prints with `--dry-run=client -o json`: the JSON the JSON path would have
// received. The comparison is exact: Go's zero-value JSON (`"creationTimestamp": null`,
// `"status": {}`, `"rules": null`, …) comes out of the decoder as it comes out of encoding/json,
// so no allowance is made for any difference.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf } from './index.ts';

const testdata = new URL('./testdata/', import.meta.url);
const body = (name: string): Uint8Array => readFileSync(new URL(`${name}.pb`, testdata));
const json = (name: string): unknown => JSON.parse(readFileSync(new URL(`${name}.json`, testdata), 'utf8'));
const sourceCsr = JSON.parse(
  readFileSync(new URL('csr-approve.source-csr.json', testdata), 'utf8'),
) as object;

// name → the kubectl arguments that produced it (bin.dat holds bytes 00 01 02 ff fe, text.txt "hello\n").
const withDryRun: ReadonlyArray<readonly [string, string]> = [
  ['deployment', 'create deployment web --image=nginx:1.27 --replicas=0 --port=80'],
  ['deployment-multi', 'create deployment multi --image=nginx --image=redis:7'],
  ['configmap', 'create configmap c --from-literal=a=b'],
  ['configmap-files', 'create configmap cf --from-file=bin.dat --from-file=text.txt --from-literal=x='],
  ['secret', 'create secret generic s --from-literal=k=v'],
  ['secret-files', 'create secret generic sf --from-file=bin.dat --type=Opaque --from-literal=empty='],
  [
    'secret-docker',
    'create secret docker-registry reg --docker-server=r.example --docker-username=u --docker-password=p --docker-email=e@x',
  ],
  ['job', 'create job j --image=busybox -- echo hi'],
  // The server answered the GET with job-from-cronjob.source-cronjob.json; kubectl copies its
  // whole job template, so this covers most of PodSpec, Container and the volume sources.
  ['job-from-cronjob', 'create job fromcj --from=cronjob/rich'],
  ['cronjob', "create cronjob cj --image=busybox --schedule='*/5 * * * *' --restart=OnFailure -- date"],
  ['service-clusterip', 'create service clusterip s --tcp=80:8080'],
  ['service-headless', 'create service clusterip h --clusterip=None'],
  ['service-nodeport', 'create service nodeport np --tcp=5678:8080 --node-port=30080'],
  ['service-lb', 'create service loadbalancer lb --tcp=443:https'],
  ['service-externalname', 'create service externalname en --external-name=db.example.com'],
  ['role', 'create role r --verb=get --resource=pods'],
  [
    'role-names',
    'create role rn --verb=get,list,watch --resource=pods,deployments.apps,pods/log --resource-name=a --resource-name=b',
  ],
  ['clusterrole', 'create clusterrole cr --verb=get --non-resource-url=/logs/* --non-resource-url=/healthz'],
  [
    'clusterrole-agg',
    'create clusterrole agg --aggregation-rule=rbac.example.com/aggregate-to-monitoring=true',
  ],
  ['rolebinding', 'create rolebinding rb --role=r --user=alice --group=devs --serviceaccount=default:sa'],
  ['clusterrolebinding', 'create clusterrolebinding crb --clusterrole=cr --user=bob'],
  ['namespace', 'create namespace n'],
  ['serviceaccount', 'create serviceaccount sa'],
  ['pdb', 'create pdb p --selector=a=b --min-available=1'],
  ['pdb-percent', "create pdb pp --selector='app=web,tier notin (db),env' --max-unavailable=50%"],
  ['priorityclass', 'create priorityclass pc --value=1000'],
  [
    'priorityclass-full',
    "create priorityclass pcf --value=0 --global-default --description='high prio' --preemption-policy=Never",
  ],
  ['ingress', 'create ingress i --rule=foo.com/bar=svc1:8080'],
  [
    'ingress-full',
    "create ingress if --class=nginx --rule='foo.com/*=svc1:http,tls=my-cert' --rule='bar.com/admin=svc2:80' --default-backend=defsvc:8080 --annotation=a.b/c=d",
  ],
  ['quota', 'create quota q --hard=pods=2'],
  ['quota-full', 'create quota qf --hard=cpu=1500m,memory=1Gi,pods=10 --scopes=BestEffort,NotTerminating'],
  // The server answered the GET of deployment/web; kubectl 1.32 sends an autoscaling/v1 object.
  ['hpa', 'autoscale deployment web --min=2 --max=5 --cpu-percent=80'],
  ['hpa-max', 'autoscale deployment web --max=3 --name=web-max'],
];

// kubectl 1.33.1 sends the same command as an autoscaling/v2 object (`"currentMetrics": null`).
const withDryRun133: ReadonlyArray<readonly [string, string]> = [
  ['hpa-v2', 'autoscale deployment web --min=2 --max=5 --cpu-percent=80'],
  ['hpa-v2-max', 'autoscale deployment web --max=3 --name=web-max'],
];

describe('kubectl 1.32 and 1.33 bodies decode to the JSON kubectl prints for them', () => {
  const all: ReadonlyArray<readonly [string, string]> = [
    ...withDryRun.map(([name, command]) => [name, `kubectl ${command}`] as const),
    ...withDryRun133.map(([name, command]) => [name, `kubectl 1.33 ${command}`] as const),
  ];
  for (const [name, command] of all) {
    it(command, () => {
      const decoded = decodeKubernetesProtobuf(body(name));
      const want = json(name) as { apiVersion: string; kind: string };
      assert.equal(decoded.apiVersion, want.apiVersion);
      assert.equal(decoded.kind, want.kind);
      assert.deepStrictEqual(decoded.object, want);
    });
  }
});

// These commands have no --dry-run, so the expected objects are written out by hand from the Go
// types: fields without omitempty appear as null or zero, as encoding/json writes them.
describe('kubectl 1.32 bodies without a dry-run form', () => {
  const cases: ReadonlyArray<readonly [string, string, unknown]> = [
    [
      'token',
      'create token sa --duration=1h --audience=api --audience=vault',
      {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: { audiences: ['api', 'vault'], expirationSeconds: 3600, boundObjectRef: null },
        status: { token: '', expirationTimestamp: null },
      },
    ],
    [
      'token-bound',
      'create token sa --bound-object-kind=Secret --bound-object-name=s --bound-object-uid=7d0a1f3e-0000-4000-8000-000000000001',
      {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: {
          audiences: null,
          expirationSeconds: null,
          boundObjectRef: {
            kind: 'Secret',
            apiVersion: 'v1',
            name: 's',
            uid: '7d0a1f3e-0000-4000-8000-000000000001',
          },
        },
        status: { token: '', expirationTimestamp: null },
      },
    ],
    [
      'selfsubjectaccessreview',
      'auth can-i get pods',
      {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } },
        status: { allowed: false },
      },
    ],
    [
      'selfsubjectrulesreview',
      'auth can-i --list',
      {
        kind: 'SelfSubjectRulesReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: { namespace: 'default' },
        status: { resourceRules: null, nonResourceRules: null, incomplete: false },
      },
    ],
    [
      // The eviction path sends JSON; deleting the pods instead goes through the typed client.
      'deleteoptions-drain',
      'drain n1 --disable-eviction --grace-period=7',
      { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 7 },
    ],
    [
      // PUT …/approval: the CSR the server returned (csr-approve.source-csr.json) plus a condition.
      'csr-approve',
      'certificate approve csr1',
      {
        ...sourceCsr,
        status: {
          conditions: [
            {
              type: 'Approved',
              status: 'True',
              reason: 'KubectlApprove',
              message: 'This CSR was approved by kubectl certificate approve.',
              lastUpdateTime: '2026-11-22T04:02:38Z',
              lastTransitionTime: null,
            },
          ],
        },
      },
    ],
    [
      // The pod name's suffix is random.
      'debug-node',
      'debug node/n1 --image=busybox --profile=sysadmin',
      {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { name: 'node-debugger-n1-42ghb', creationTimestamp: null },
        spec: {
          volumes: [{ name: 'host-root', hostPath: { path: '/' } }],
          containers: [
            {
              name: 'debugger',
              image: 'busybox',
              resources: {},
              volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
              terminationMessagePolicy: 'File',
              securityContext: { privileged: true },
            },
          ],
          restartPolicy: 'Never',
          nodeName: 'n1',
          hostNetwork: true,
          hostPID: true,
          hostIPC: true,
          tolerations: [{ operator: 'Exists' }],
        },
        status: {},
      },
    ],
    [
      // A copy of the pod the server returned (debug-copy.source-pod.json) with a debug container.
      'debug-copy',
      'debug p2 --image=busybox --copy-to=p2-copy --share-processes',
      {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { name: 'p2-copy', namespace: 'default', creationTimestamp: null },
        spec: {
          containers: [
            { name: 'c', image: 'nginx', resources: {} },
            { name: 'debugger-b7pcs', image: 'busybox', resources: {}, terminationMessagePolicy: 'File' },
          ],
          shareProcessNamespace: true,
        },
        status: {},
      },
    ],
    [
      'selfsubjectreview',
      'auth whoami',
      {
        kind: 'SelfSubjectReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: null },
        status: { userInfo: {} },
      },
    ],
  ];
  for (const [name, command, want] of cases) {
    it(`kubectl ${command}`, () => {
      assert.deepStrictEqual(decodeKubernetesProtobuf(body(name)).object, want);
    });
  }
});

describe('damaged kubectl bodies', () => {
  const names = [
    ...withDryRun.map(([name]) => name),
    ...withDryRun133.map(([name]) => name),
    'token',
    'token-bound',
    'selfsubjectaccessreview',
    'selfsubjectrulesreview',
    'deleteoptions-drain',
    'csr-approve',
    'debug-node',
    'debug-copy',
  ];

  // Damage must never surface as anything but a ProtobufDecodeError (no TypeError, RangeError, …).
  const decodesOrRefuses = (input: Uint8Array, what: string): void => {
    try {
      decodeKubernetesProtobuf(input);
    } catch (err) {
      assert.equal((err as Error).name, 'ProtobufDecodeError', `${what}: ${String(err)}`);
    }
  };

  it('every truncation decodes to a shorter object or is refused', () => {
    for (const name of names) {
      const full = body(name);
      for (let cut = 0; cut < full.length; cut++)
        decodesOrRefuses(full.subarray(0, cut), `${name} cut at ${cut}`);
    }
  });

  it('a truncation inside the object is refused', () => {
    const full = body('deployment');
    // The raw field ends exactly where the envelope's two empty trailing fields begin.
    const rawEnd = full.length - 4;
    for (let cut = 40; cut < rawEnd; cut++) {
      assert.throws(() => decodeKubernetesProtobuf(full.subarray(0, cut)), { name: 'ProtobufDecodeError' });
    }
  });

  it('random byte damage decodes or is refused', () => {
    // A fixed linear congruential generator keeps the test deterministic.
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (const name of names) {
      const full = body(name);
      for (let round = 0; round < 200; round++) {
        const damaged = Uint8Array.from(full);
        for (let hits = 1 + (next() % 3); hits > 0; hits--)
          damaged[4 + (next() % (full.length - 4))] = next() % 256;
        decodesOrRefuses(damaged, `${name} round ${round}`);
      }
    }
  });
});
