// One request as the handlers see it, the same over HTTP/2 and HTTP/1.1.
import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, requestEntityTooLarge, StatusError, unsupportedMediaType } from '../../api/status.ts';
import { isRecord } from '../../api/meta.ts';
import {
  decodeKubernetesProtobuf,
  KUBERNETES_PROTOBUF,
  ProtobufDecodeError,
} from '../../api/protobuf/index.ts';

const clientGone = new Error('the client closed the request');

/** Upstream's limit on request bodies (MaxRequestBodyBytes, 3 MiB). */
export const maxBodyBytes = 3 * 1024 * 1024;

export interface UserInfo {
  readonly name: string;
  readonly groups: readonly string[];
}

/** The parts of Node's request objects we use; both http2 compat and http1 requests have them. */
export interface RawRequest extends AsyncIterable<Buffer | string> {
  readonly method?: string;
  readonly url?: string;
  readonly headers: IncomingHttpHeaders;
}

export interface RawResponse {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  writeHead(code: number, headers: Record<string, string>): unknown;
  write(chunk: string): boolean;
  end(chunk?: string): unknown;
  once(event: 'close' | 'drain', listener: () => void): unknown;
}

export class RequestContext {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly user: UserInfo | undefined;
  private readonly shutdown: AbortSignal;
  private controller: AbortController | undefined;
  private bodyRead: Promise<Buffer> | undefined;
  private onShutdown: (() => void) | undefined;
  private closed = false;
  private readonly req: RawRequest;
  private readonly res: RawResponse;

  constructor(options: {
    req: RawRequest;
    res: RawResponse;
    user: UserInfo | undefined;
    /** The server's shutdown signal. */
    shutdown: AbortSignal;
  }) {
    this.req = options.req;
    this.res = options.res;
    this.user = options.user;
    this.shutdown = options.shutdown;
    options.res.once('close', () => {
      this.closed = true;
      if (this.onShutdown !== undefined) this.shutdown.removeEventListener('abort', this.onShutdown);
      this.controller?.abort(clientGone);
    });
    this.method = options.req.method ?? 'GET';
    const url = new URL(options.req.url ?? '/', 'https://localhost');
    this.path = url.pathname;
    this.query = url.searchParams;
    this.headers = options.req.headers;
  }

  /**
   * Aborts when the client goes away or the server shuts down. Made on first use: most requests
   * never ask, and an abort per finished request costs more than serving a get.
   */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      // Plain listeners rather than AbortSignal.any: that keeps a weak reference per request on the
      // long-lived shutdown signal, and under load they pile up faster than they are collected.
      const controller = new AbortController();
      this.controller = controller;
      if (this.closed) controller.abort(clientGone);
      else if (this.shutdown.aborted) controller.abort(this.shutdown.reason);
      else {
        this.onShutdown = () => controller.abort(this.shutdown.reason);
        this.shutdown.addEventListener('abort', this.onShutdown, { once: true });
      }
    }
    return this.controller.signal;
  }

  header(name: string): string {
    const v = this.headers[name];
    return Array.isArray(v) ? v.join(',') : (v ?? '');
  }

  /** Reads the body (once; later calls get the same bytes), refusing more than 3 MiB with 413 as upstream does. */
  body(): Promise<Buffer> {
    this.bodyRead ??= this.readBody();
    return this.bodyRead;
  }

  private async readBody(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    // A client that goes away mid-body must not leave this request waiting forever.
    let onAbort: () => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new StatusError(badRequest('the request was aborted while its body was read')));
      if (this.signal.aborted) onAbort();
      else this.signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => {});
    const chunksIn = this.req[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await Promise.race([chunksIn.next(), aborted]);
        if (next.done) break;
        const chunk = next.value;
        const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += b.length;
        if (size > maxBodyBytes) throw new StatusError(requestEntityTooLarge('limit is 3145728'));
        chunks.push(b);
      }
    } finally {
      this.signal.removeEventListener('abort', onAbort);
    }
    return Buffer.concat(chunks);
  }

  /** The body as an object: JSON, or YAML when the content type says so. */
  async bodyObject(): Promise<Record<string, unknown>> {
    const raw = await this.body();
    const type = this.header('content-type').split(';')[0]!.trim();
    let parsed: unknown;
    try {
      if (type === 'application/yaml' || type === 'application/apply-patch+yaml')
        parsed = parseYaml(raw.toString('utf8'));
      else if (type === '' || type.endsWith('json')) parsed = JSON.parse(raw.toString('utf8'));
      // kubectl's typed clients (its generators: create deployment, configmap, ...) send protobuf.
      else if (type === KUBERNETES_PROTOBUF) parsed = decodeKubernetesProtobuf(raw).object;
      else
        throw new StatusError(
          unsupportedMediaType(['application/json', 'application/yaml', KUBERNETES_PROTOBUF]),
        );
    } catch (e: unknown) {
      if (e instanceof StatusError) throw e;
      if (e instanceof ProtobufDecodeError) {
        throw new StatusError(badRequest(`the body of the request could not be decoded: ${e.message}`));
      }
      throw new StatusError(
        badRequest(
          `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (${e instanceof Error ? e.message : String(e)})`,
        ),
      );
    }
    if (!isRecord(parsed))
      throw new StatusError(badRequest('the body of the request must be a JSON or YAML object'));
    return parsed;
  }

  send(code: number, body: unknown): void {
    this.sendJsonText(code, JSON.stringify(body));
  }

  /** A response whose JSON is already encoded. */
  sendJsonText(code: number, text: string): void {
    if (this.res.headersSent) {
      this.res.end();
      return;
    }
    this.res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
    this.res.end(this.method === 'HEAD' ? undefined : text);
  }

  sendText(code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
    this.res.writeHead(code, { 'content-type': contentType, 'cache-control': 'no-cache, private' });
    this.res.end(text);
  }

  /** Starts a streamed JSON response, for watch (chunked on HTTP/1.1, a stream on HTTP/2). */
  startStream(): void {
    this.res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-cache, private',
    });
  }

  /** Writes one chunk; resolves once the client can take more (back-pressure). */
  async write(chunk: string): Promise<void> {
    if (this.res.writableEnded) return;
    if (!this.res.write(chunk)) {
      await new Promise<void>((resolve) => {
        this.res.once('drain', resolve);
        this.res.once('close', resolve);
      });
    }
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}
