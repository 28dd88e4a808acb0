import assert from 'node:assert/strict';
import { createServer, type Http2Server, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { notFound } from '../api/status.ts';
import { ApiError, isNotFound } from './errors.ts';
import { RestClient } from './rest.ts';

// A plain-text HTTP/2 server standing in for the API: the client's transport and error mapping.
describe('RestClient', () => {
  let server: Http2Server;
  let url: string;
  const sessions = new Set<ServerHttp2Session>();
  const seen: Array<{ path: string; auth: string | undefined; contentType: string | undefined }> = [];

  before(async () => {
    server = createServer();
    server.on('session', (s) => {
      sessions.add(s);
      s.on('close', () => sessions.delete(s));
    });
    server.on('stream', (stream, headers) => {
      const path = String(headers[':path']);
      seen.push({
        path,
        auth: headers['authorization'] as string | undefined,
        contentType: headers['content-type'] as string | undefined,
      });
      const json = (status: number, body: unknown): void => {
        stream.respond({ ':status': status, 'content-type': 'application/json' });
        stream.end(JSON.stringify(body));
      };
      if (path.startsWith('/api/v1/namespaces/ns/configmaps/missing')) {
        json(404, notFound({ group: '', resource: 'configmaps' }, 'missing'));
      } else if (path.startsWith('/api/v1/namespaces/ns/configmaps/proxy-error')) {
        stream.respond({ ':status': 502, 'content-type': 'text/plain' });
        stream.end('bad gateway');
      } else if (path.startsWith('/api/v1/namespaces/ns/configmaps/slow')) {
        // never answers
      } else if (path.startsWith('/api/v1/namespaces/ns/configmaps?watch=true')) {
        stream.respond({ ':status': 200, 'content-type': 'application/json' });
        stream.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MOD');
        setTimeout(() => {
          stream.write('IFIED","object":{"metadata":{"name":"a"}}}\n');
          stream.end(
            '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",' +
              '"message":"too old resource version: 1 (5)","reason":"Expired","code":410}}\n',
          );
        }, 5);
      } else {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => json(200, { echo: path, body: Buffer.concat(chunks).toString() }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the bearer token and JSON, and reads JSON back', async () => {
    const client = new RestClient({ server: url, token: 't0k' });
    try {
      const cms = client.resource<{ metadata: { name: string; namespace: string } }>({
        group: '',
        version: 'v1',
        resource: 'configmaps',
        namespaced: true,
      });
      const out = await cms.patch('x', { data: { a: '1' } }, { type: 'merge', namespace: 'ns' });
      assert.deepEqual(out, { echo: '/api/v1/namespaces/ns/configmaps/x', body: '{"data":{"a":"1"}}' });
      assert.equal(seen.at(-1)?.auth, 'Bearer t0k');
      assert.equal(seen.at(-1)?.contentType, 'application/merge-patch+json');
      const list = (await cms.list({ namespace: 'ns', labelSelector: 'a=b', limit: 5 })) as unknown as {
        echo: string;
      };
      assert.equal(list.echo, '/api/v1/namespaces/ns/configmaps?labelSelector=a%3Db&limit=5');
    } finally {
      client.close();
    }
  });

  it('throws a Status body as an ApiError, and builds one from a non-Status failure', async () => {
    const client = new RestClient({ server: url });
    try {
      const cms = client.resource({ group: '', version: 'v1', resource: 'configmaps', namespaced: true });
      await assert.rejects(cms.get('missing', { namespace: 'ns' }), (e: unknown) => {
        assert.ok(isNotFound(e));
        assert.equal((e as ApiError).details?.name, 'missing');
        return true;
      });
      await assert.rejects(cms.get('proxy-error', { namespace: 'ns' }), (e: unknown) => {
        assert.ok(e instanceof ApiError);
        assert.equal(e.code, 502);
        assert.equal(e.message, 'bad gateway');
        return true;
      });
    } finally {
      client.close();
    }
  });

  it('times a request out with a Timeout status', async () => {
    const client = new RestClient({ server: url }, { timeoutMs: 50 });
    try {
      const cms = client.resource({ group: '', version: 'v1', resource: 'configmaps', namespaced: true });
      await assert.rejects(cms.get('slow', { namespace: 'ns' }), (e: unknown) => {
        assert.ok(e instanceof ApiError);
        assert.equal(e.reason, 'Timeout');
        return true;
      });
    } finally {
      client.close();
    }
  });

  it('yields watch events split across chunks and throws an ERROR event', async () => {
    const client = new RestClient({ server: url });
    try {
      const cms = client.resource<{ metadata: { name: string } }>({
        group: '',
        version: 'v1',
        resource: 'configmaps',
        namespaced: true,
      });
      const events: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const e of cms.watch({ namespace: 'ns', resourceVersion: '1' }))
            events.push(`${e.type} ${e.object.metadata.name}`);
        })(),
        (e: unknown) => e instanceof ApiError && e.reason === 'Expired' && e.code === 410,
      );
      assert.deepEqual(events, ['ADDED a', 'MODIFIED a']);
    } finally {
      client.close();
    }
  });

  it('shares one session and reconnects after the server closes it', async () => {
    const client = new RestClient({ server: url });
    try {
      const cms = client.resource({ group: '', version: 'v1', resource: 'configmaps', namespaced: false });
      await Promise.all([cms.get('a'), cms.get('b'), cms.get('c')]);
      assert.equal(sessions.size, 1);
      await Promise.all([...sessions].map((s) => new Promise<void>((r) => s.close(() => r()))));
      assert.equal(sessions.size, 0);
      assert.deepEqual(await cms.get('d'), { echo: '/api/v1/configmaps/d', body: '' });
      assert.equal(sessions.size, 1);
    } finally {
      client.close();
    }
  });
});
