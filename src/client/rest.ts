// The REST client (client-go's rest.RESTClient): JSON requests over one HTTP/2 session per server,
// authenticated by client certificate or bearer token. HTTP/2 multiplexes, so every request and
// every watch of a process shares one TLS connection; a closed session is replaced on next use.
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  constants,
  type IncomingHttpHeaders,
  type IncomingHttpStatusHeader,
} from 'node:http2';
import type { Logger } from '../log.ts';
import { ApiError, clientStatus, statusFromResponse } from './errors.ts';
import { type ClientConfig, loadKubeconfig } from './kubeconfig.ts';
import { ResourceClient, type ResourceDescriptor } from './resource.ts';

export interface RestClientOptions {
  /** Default timeout of a request (not of a watch), 30 s as kubectl's --request-timeout is often set. */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  readonly log?: Logger;
}

export interface RequestOptions {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the server URL, e.g. `/api/v1/namespaces/default/pods`. */
  readonly path: string;
  readonly query?: URLSearchParams;
  /** Serialized as JSON unless it is already a string. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

interface OpenStream {
  readonly status: number;
  readonly stream: ClientHttp2Stream;
}

const defaultTimeoutMs = 30_000;

export class RestClient {
  readonly config: ClientConfig;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly log: Logger | undefined;
  private session: ClientHttp2Session | undefined;
  private active = 0;
  private closed = false;

  constructor(config: ClientConfig, options: RestClientOptions = {}) {
    this.config = config;
    const url = new URL(config.server);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.userAgent = options.userAgent ?? 'navis-client';
    this.log = options.log;
  }

  /** A client for the current context of a kubeconfig file. */
  static fromKubeconfig(path: string, options: RestClientOptions & { context?: string } = {}): RestClient {
    return new RestClient(loadKubeconfig(path, { context: options.context }), options);
  }

  /** The dynamic client of one resource (client-go's dynamic.Interface Resource(gvr)). */
  resource<T extends object>(descriptor: ResourceDescriptor): ResourceClient<T> {
    return new ResourceClient<T>(this, descriptor);
  }

  /** A JSON request; resolves with the parsed body, rejects with an ApiError on a failure status. */
  async request<T>(options: RequestOptions): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const ac = new AbortController();
    const signal = options.signal === undefined ? ac.signal : AbortSignal.any([ac.signal, options.signal]);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutMs);
    try {
      const { status, stream } = await this.open(options, signal);
      const text = await readAll(stream, signal);
      if (status >= 400) throw new ApiError(statusFromResponse(status, text));
      return (text === '' ? {} : JSON.parse(text)) as T;
    } catch (e: unknown) {
      if (timedOut) {
        throw clientStatus(
          504,
          'Timeout',
          `${options.method} ${options.path}: no response in ${timeoutMs}ms`,
        );
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A streaming GET (watch): yields the body's lines as they arrive. Ends when the server ends the
   * response or `signal` aborts; a failure status is thrown as an ApiError before any line.
   */
  async *lines(options: Omit<RequestOptions, 'method' | 'body'>): AsyncGenerator<string> {
    const ac = new AbortController();
    const signal = options.signal === undefined ? ac.signal : AbortSignal.any([ac.signal, options.signal]);
    // Only the response headers are under the request timeout; the stream lives until it ends.
    const timer = setTimeout(() => ac.abort(), options.timeoutMs ?? this.timeoutMs);
    let opened: OpenStream;
    try {
      opened = await this.open({ ...options, method: 'GET' }, signal);
    } catch (e: unknown) {
      if (options.signal?.aborted) return;
      throw e;
    } finally {
      clearTimeout(timer);
    }
    const { status, stream } = opened;
    try {
      if (status >= 400) throw new ApiError(statusFromResponse(status, await readAll(stream, signal)));
      let buffered = '';
      stream.setEncoding('utf8');
      for await (const chunk of stream as AsyncIterable<string>) {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line !== '') yield line;
        }
      }
      if (buffered.trim() !== '') yield buffered.trim();
    } catch (e: unknown) {
      if (signal.aborted) return;
      throw e;
    } finally {
      if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL);
    }
  }

  /** Closes the HTTP/2 session; in-flight requests fail. */
  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = undefined;
  }

  private sessionFor(): ClientHttp2Session {
    const s = this.session;
    if (s !== undefined && !s.closed && !s.destroyed) return s;
    if (this.closed) throw new Error('the REST client is closed');
    const { ca, cert, key, insecureSkipTlsVerify, tlsServerName } = this.config;
    const session = connect(this.origin, {
      ...(ca !== undefined && { ca }),
      ...(cert !== undefined && key !== undefined && { cert, key }),
      ...(tlsServerName !== undefined && { servername: tlsServerName }),
      rejectUnauthorized: insecureSkipTlsVerify !== true,
    });
    // Errors reach the streams; the session only has to be forgotten so the next call reconnects.
    session.on('error', (e: unknown) => this.log?.debug('http2 session error', { error: String(e) }));
    const forget = (): void => {
      if (this.session === session) this.session = undefined;
    };
    session.on('close', forget);
    session.on('goaway', forget);
    if (this.active === 0) session.unref();
    this.session = session;
    return session;
  }

  // An idle session does not keep the process alive; one with requests in flight does.
  private track(stream: ClientHttp2Stream, session: ClientHttp2Session): void {
    if (this.active++ === 0) session.ref();
    stream.once('close', () => {
      if (--this.active === 0 && this.session !== undefined && !this.session.destroyed) this.session.unref();
    });
  }

  private open(options: RequestOptions, signal: AbortSignal): Promise<OpenStream> {
    const query = options.query?.toString() ?? '';
    const headers: Record<string, string> = {
      ':method': options.method,
      ':path': `${this.basePath}${options.path}${query === '' ? '' : `?${query}`}`,
      accept: 'application/json',
      'user-agent': this.userAgent,
    };
    if (this.config.token !== undefined) headers['authorization'] = `Bearer ${this.config.token}`;
    const body =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    if (signal.aborted) return Promise.reject(signal.reason);
    const session = this.sessionFor();
    const stream = session.request(headers, { endStream: body === undefined });
    this.track(stream, session);
    return new Promise<OpenStream>((resolve, reject) => {
      const onAbort = (): void => {
        stream.close(constants.NGHTTP2_CANCEL);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      stream.once('close', () => signal.removeEventListener('abort', onAbort));
      stream.once('error', (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      });
      stream.once('response', (h: IncomingHttpHeaders & IncomingHttpStatusHeader) => {
        const contentType = String(h['content-type'] ?? '');
        const status = Number(h[':status'] ?? 0);
        if (status < 400 && contentType !== '' && !contentType.includes('json')) {
          stream.close(constants.NGHTTP2_CANCEL);
          reject(clientStatus(406, 'NotAcceptable', `unexpected content type ${contentType}`));
          return;
        }
        resolve({ status, stream });
      });
      // Close events after a settled promise are fine; an unsettled one is a dropped connection.
      stream.once('close', () => reject(new Error(`${options.method} ${options.path}: stream closed`)));
      if (body !== undefined) stream.end(body);
    });
  }
}

async function readAll(stream: ClientHttp2Stream, signal: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch (e: unknown) {
    if (signal.aborted) throw signal.reason;
    throw e;
  }
  if (signal.aborted) throw signal.reason;
  return Buffer.concat(chunks).toString('utf8');
}
