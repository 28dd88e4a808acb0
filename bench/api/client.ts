import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  type SecureClientSessionOptions,
} from 'node:http2';

// ---- the HTTP/2 client ----

export interface Credentials {
  readonly server: string;
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

export interface Response {
  readonly status: number;
  readonly body: Buffer;
}

/** A few HTTP/2 sessions; requests go round-robin over them. */
export class Client {
  private readonly sessions: ClientHttp2Session[];
  private next = 0;

  private constructor(sessions: ClientHttp2Session[]) {
    this.sessions = sessions;
  }

  static async open(creds: Credentials, count: number): Promise<Client> {
    // client-go's windows (4 MiB per stream, 1 GiB per connection), so flow control does not
    // throttle 1.3 MB list responses.
    const options: SecureClientSessionOptions = {
      ca: creds.ca,
      cert: creds.cert,
      key: creds.key,
      settings: { initialWindowSize: 4 * 2 ** 20 },
      maxSessionMemory: 256,
    };
    const opened = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<ClientHttp2Session>((resolve, reject) => {
            const session = connect(creds.server, options);
            session.once('error', reject);
            session.once('connect', () => {
              session.off('error', reject);
              session.on('error', () => {});
              session.setLocalWindowSize(2 ** 30);
              resolve(session);
            });
          }),
      ),
    );
    return new Client(opened);
  }

  private session(): ClientHttp2Session {
    const s = this.sessions[this.next]!;
    this.next = (this.next + 1) % this.sessions.length;
    return s;
  }

  request(method: string, path: string, body?: string): Promise<Response> {
    return new Promise((resolve, reject) => {
      const stream = this.session().request({
        ':method': method,
        ':path': path,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      });
      const chunks: Buffer[] = [];
      let status = 0;
      stream.once('response', (headers) => {
        status = Number(headers[':status']);
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('end', () => resolve({ status, body: Buffer.concat(chunks) }));
      stream.once('error', reject);
      stream.end(body);
    });
  }

  /** A GET whose response the caller reads as it streams (watch). */
  stream(path: string): ClientHttp2Stream {
    const stream = this.session().request({ ':method': 'GET', ':path': path, accept: 'application/json' });
    stream.end();
    return stream;
  }

  close(): void {
    for (const s of this.sessions) if (!s.destroyed) s.destroy();
  }
}

export async function expect(response: Promise<Response>, status: number): Promise<Buffer> {
  const r = await response;
  if (r.status !== status) {
    throw new Error(`expected ${status}, got ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
  }
  return r.body;
}

export async function createNamespace(client: Client, name: string): Promise<void> {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await expect(client.request('POST', '/api/v1/namespaces', body), 201);
}

export async function createConfigMap(
  client: Client,
  ns: string,
  name: string,
  value: string,
): Promise<void> {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { value } });
  await expect(client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, body), 201);
}

export async function getConfigMap(client: Client, i: number): Promise<void> {
  await expect(client.request('GET', `/api/v1/namespaces/bench-create/configmaps/cm-${i}`), 200);
}

export async function getFixed(client: Client): Promise<void> {
  await expect(client.request('GET', '/api/v1/namespaces/bench-create/configmaps/fixed'), 200);
}
