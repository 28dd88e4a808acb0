import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invalid as invalidField, required } from './field-errors.ts';
import {
  alreadyExists,
  badRequest,
  conflict,
  expired,
  forbidden,
  gone,
  internalError,
  invalid,
  isStatusReason,
  methodNotSupported,
  notAcceptable,
  notFound,
  requestEntityTooLarge,
  type StatusBody,
  StatusError,
  serviceUnavailable,
  timeout,
  tooManyRequests,
  tooOldResourceVersion,
  unauthorized,
  unsupportedMediaType,
} from './status.ts';

const pods = { group: '', resource: 'pods' };
const deployments = { group: 'apps', resource: 'deployments' };

describe('wire form', () => {
  // What a v1.32 API server sends, byte for byte.
  const cases: Array<[string, StatusBody, string]> = [
    [
      'not found',
      notFound(pods, 'x'),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"x\\" not found","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404}',
    ],
    [
      'invalid',
      invalid({ group: '', kind: 'Pod' }, 'x', [required('spec.containers', '')]),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Pod \\"x\\" is invalid: spec.containers: Required value","reason":"Invalid","details":{"name":"x","kind":"Pod","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.containers"}]},"code":422}',
    ],
    [
      'bad request',
      badRequest('nope'),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"nope","reason":"BadRequest","code":400}',
    ],
  ];
  for (const [name, status, json] of cases) {
    it(name, () => assert.equal(JSON.stringify(status), json));
  }
});

describe('builders', () => {
  const cases: Array<[string, StatusBody, Pick<StatusBody, 'code' | 'reason' | 'message' | 'details'>]> = [
    [
      'notFound, group-qualified',
      notFound(deployments, 'web'),
      {
        code: 404,
        reason: 'NotFound',
        message: 'deployments.apps "web" not found',
        details: { name: 'web', group: 'apps', kind: 'deployments' },
      },
    ],
    [
      'alreadyExists',
      alreadyExists(pods, 'x'),
      {
        code: 409,
        reason: 'AlreadyExists',
        message: 'pods "x" already exists',
        details: { name: 'x', kind: 'pods' },
      },
    ],
    [
      'conflict on a stale resourceVersion',
      conflict(pods, 'x'),
      {
        code: 409,
        reason: 'Conflict',
        message:
          'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
        details: { name: 'x', kind: 'pods' },
      },
    ],
    [
      'conflict with a reason',
      conflict(deployments, 'web', 'StorageError: invalid object'),
      {
        code: 409,
        reason: 'Conflict',
        message: 'Operation cannot be fulfilled on deployments.apps "web": StorageError: invalid object',
        details: { name: 'web', group: 'apps', kind: 'deployments' },
      },
    ],
    [
      'invalid, several causes',
      invalid({ group: 'apps', kind: 'Deployment' }, 'web', [
        invalidField('spec.replicas', -1, 'must be greater than or equal to 0'),
        required('spec.selector', ''),
      ]),
      {
        code: 422,
        reason: 'Invalid',
        message:
          'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value]',
        details: {
          name: 'web',
          group: 'apps',
          kind: 'Deployment',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: 'Invalid value: -1: must be greater than or equal to 0',
              field: 'spec.replicas',
            },
            { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
          ],
        },
      },
    ],
    [
      'invalid, no causes',
      invalid({ group: '', kind: 'Pod' }, 'x', []),
      { code: 422, reason: 'Invalid', message: 'Pod "x" is invalid', details: { name: 'x', kind: 'Pod' } },
    ],
    [
      'invalid, name quoted as Go does',
      invalid({ group: '', kind: 'Pod' }, 'a"b', []),
      {
        code: 422,
        reason: 'Invalid',
        message: 'Pod "a\\"b" is invalid',
        details: { name: 'a"b', kind: 'Pod' },
      },
    ],
    ['badRequest', badRequest('bad'), { code: 400, reason: 'BadRequest', message: 'bad' }],
    [
      'unauthorized, default',
      unauthorized(),
      { code: 401, reason: 'Unauthorized', message: 'not authorized' },
    ],
    [
      'unauthorized',
      unauthorized('Unauthorized'),
      { code: 401, reason: 'Unauthorized', message: 'Unauthorized' },
    ],
    [
      'forbidden with a name',
      forbidden(
        pods,
        'x',
        'User "bob" cannot get resource "pods" in API group "" in the namespace "default"',
      ),
      {
        code: 403,
        reason: 'Forbidden',
        message:
          'pods "x" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "default"',
        details: { name: 'x', kind: 'pods' },
      },
    ],
    [
      'forbidden without a name',
      forbidden(deployments, '', 'no'),
      {
        code: 403,
        reason: 'Forbidden',
        message: 'deployments.apps is forbidden: no',
        details: { group: 'apps', kind: 'deployments' },
      },
    ],
    [
      'forbidden without a resource',
      forbidden({ group: '', resource: '' }, '', 'User "bob" cannot get path "/healthz"'),
      {
        code: 403,
        reason: 'Forbidden',
        message: 'forbidden: User "bob" cannot get path "/healthz"',
        details: {},
      },
    ],
    [
      'methodNotSupported',
      methodNotSupported(deployments, 'deletecollection'),
      {
        code: 405,
        reason: 'MethodNotAllowed',
        message: 'deletecollection is not supported on resources of kind "deployments.apps"',
        details: { group: 'apps', kind: 'deployments' },
      },
    ],
    [
      'notAcceptable',
      notAcceptable(['application/json', 'application/yaml']),
      {
        code: 406,
        reason: 'NotAcceptable',
        message: 'only the following media types are accepted: application/json, application/yaml',
      },
    ],
    ['gone', gone('gone away'), { code: 410, reason: 'Gone', message: 'gone away' }],
    [
      'expired',
      expired('The resourceVersion for the provided watch is too old.'),
      { code: 410, reason: 'Expired', message: 'The resourceVersion for the provided watch is too old.' },
    ],
    [
      'tooOldResourceVersion',
      tooOldResourceVersion(5, 10),
      { code: 410, reason: 'Expired', message: 'too old resource version: 5 (10)' },
    ],
    [
      'requestEntityTooLarge',
      requestEntityTooLarge('limit is 3145728'),
      { code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' },
    ],
    [
      'unsupportedMediaType',
      unsupportedMediaType(['application/json', 'application/yaml']),
      {
        code: 415,
        reason: 'UnsupportedMediaType',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
      },
    ],
    [
      'tooManyRequests',
      tooManyRequests('slow down', 3),
      { code: 429, reason: 'TooManyRequests', message: 'slow down', details: { retryAfterSeconds: 3 } },
    ],
    [
      'tooManyRequests, no delay',
      tooManyRequests('slow down'),
      { code: 429, reason: 'TooManyRequests', message: 'slow down', details: {} },
    ],
    [
      'internalError',
      internalError(new Error('disk on fire')),
      {
        code: 500,
        reason: 'InternalError',
        message: 'Internal error occurred: disk on fire',
        details: { causes: [{ message: 'disk on fire' }] },
      },
    ],
    [
      'internalError of a non-Error',
      internalError('oops'),
      {
        code: 500,
        reason: 'InternalError',
        message: 'Internal error occurred: oops',
        details: { causes: [{ message: 'oops' }] },
      },
    ],
    [
      'serviceUnavailable',
      serviceUnavailable('starting'),
      { code: 503, reason: 'ServiceUnavailable', message: 'starting' },
    ],
    [
      'timeout',
      timeout('request did not complete within 60s'),
      { code: 504, reason: 'Timeout', message: 'Timeout: request did not complete within 60s', details: {} },
    ],
    [
      'timeout with a delay',
      timeout('later', 2),
      { code: 504, reason: 'Timeout', message: 'Timeout: later', details: { retryAfterSeconds: 2 } },
    ],
  ];
  for (const [name, status, want] of cases) {
    it(name, () => {
      assert.deepEqual(status, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        ...want,
      });
    });
  }
});

describe('StatusError', () => {
  it('carries the body and its message', () => {
    const e = new StatusError(notFound(pods, 'x'));
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'StatusError');
    assert.equal(e.message, 'pods "x" not found');
    assert.equal(e.status.code, 404);
  });

  const cases: Array<[unknown, boolean]> = [
    [new StatusError(notFound(pods, 'x')), true],
    [new StatusError(alreadyExists(pods, 'x')), false],
    [new Error('pods "x" not found'), false],
    [notFound(pods, 'x'), false],
    [undefined, false],
  ];
  cases.forEach(([e, want], i) => {
    it(`isStatusReason ${i}`, () => assert.equal(isStatusReason(e, 'NotFound'), want));
  });
});
