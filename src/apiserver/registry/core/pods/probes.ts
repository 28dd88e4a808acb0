// Probes and lifecycle hooks, after pkg/apis/core/validation v1.32: validateHandler with its exec,
// httpGet, tcpSocket, grpc and sleep actions, and the liveness, readiness and startup probe rules.
import {
  type FieldError,
  fieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../../../api/field-errors.ts';
import { isValidPortName, isValidPortNum } from '../../../../api/validation.ts';
import { isSet, list, nonNegative, num, type Obj, rec, recs, str } from './util.ts';

function portNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(path, port, m));
  return isValidPortNum(num(port)).map((m) => invalid(path, num(port), m));
}

const httpHeaderMsg =
  "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')";

const handlerActions: Record<string, (v: Obj, path: string, grace: number | undefined) => FieldError[]> = {
  exec: (v, path) => (list(v['command']).length === 0 ? [required(fieldPath(path, 'command'), '')] : []),
  httpGet: (v, path) => {
    const errors: FieldError[] = [];
    if (str(v['path']) === '') errors.push(required(fieldPath(path, 'path'), ''));
    errors.push(...portNumOrName(v['port'], fieldPath(path, 'port')));
    const scheme = str(v['scheme']);
    if (scheme !== 'HTTP' && scheme !== 'HTTPS')
      errors.push(notSupported(fieldPath(path, 'scheme'), scheme, ['HTTP', 'HTTPS']));
    for (const h of recs(v['httpHeaders'])) {
      const name = str(h['name']);
      if (!/^[-A-Za-z0-9]+$/.test(name))
        errors.push(invalid(fieldPath(path, 'httpHeaders'), name, httpHeaderMsg));
    }
    return errors;
  },
  tcpSocket: (v, path) => portNumOrName(v['port'], fieldPath(path, 'port')),
  grpc: (v, path) => portNumOrName(num(v['port']), fieldPath(path, 'port')),
  sleep: (v, path, grace) => {
    const seconds = num(v['seconds']);
    if (grace === undefined || (seconds > 0 && seconds <= grace)) return [];
    return [
      invalid(
        path,
        seconds,
        `must be greater than 0 and less than terminationGracePeriodSeconds (${grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
      ),
    ];
  },
};

/** validateHandler: exactly one of the given action kinds. */
function handler(h: Obj, kinds: readonly string[], grace: number | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const kind of kinds) {
    if (!isSet(h[kind])) continue;
    if (count > 0) errors.push(forbidden(fieldPath(path, kind), 'may not specify more than 1 handler type'));
    else errors.push(...handlerActions[kind]!(rec(h[kind]), fieldPath(path, kind), grace));
    count++;
  }
  if (count === 0) errors.push(required(path, 'must specify a handler type'));
  return errors;
}

const probeKinds = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const lifecycleKinds = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

/** validateLivenessProbe, validateReadinessProbe and validateStartupProbe. */
function probe(c: Obj, key: string, grace: number | undefined, path: string): FieldError[] {
  if (!isSet(c[key])) return [];
  const p = rec(c[key]);
  const errors = handler(p, probeKinds, grace, path);
  for (const f of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ])
    errors.push(...nonNegative(p[f], fieldPath(path, f)));
  const tgps = p['terminationGracePeriodSeconds'];
  if (isSet(tgps) && num(tgps) <= 0)
    errors.push(
      invalid(fieldPath(path, 'terminationGracePeriodSeconds'), num(tgps), 'must be greater than 0'),
    );
  if (key !== 'readinessProbe' && num(p['successThreshold']) !== 1)
    errors.push(invalid(fieldPath(path, 'successThreshold'), num(p['successThreshold']), 'must be 1'));
  if (key === 'readinessProbe' && isSet(tgps))
    errors.push(
      invalid(fieldPath(path, 'terminationGracePeriodSeconds'), tgps, 'must not be set for readinessProbes'),
    );
  return errors;
}

/** The lifecycle and probe checks regular and restartable init containers get. */
export function lifecycleAndProbes(c: Obj, grace: number | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (isSet(c['lifecycle'])) {
    const l = rec(c['lifecycle']);
    for (const hook of ['postStart', 'preStop'])
      if (isSet(l[hook]))
        errors.push(...handler(rec(l[hook]), lifecycleKinds, grace, fieldPath(path, 'lifecycle', hook)));
  }
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe'])
    errors.push(...probe(c, key, grace, fieldPath(path, key)));
  return errors;
}
