// The API server process part: HTTPS (HTTP/2 with HTTP/1.1 fallback), authentication by client
// certificate, routing to discovery, health and the generic resource handlers, and one place that
// turns every error into a Status body.
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { internalError, type notFound, StatusError, unauthorized } from '../api/status.ts';
import { openStore, type Store } from '../storage/index.ts';
import { gitVersion, kubernetesVersion } from '../version.ts';
import {
  type ClientCertVerifier,
  createClientCertVerifier,
  peerCertificateDer,
} from '../server/pki/index.ts';
import { type RawRequest, type RawResponse, RequestContext, type UserInfo } from './http/context.ts';
import { serveDiscovery } from './handlers/discovery.ts';
import { serveOpenApi } from './handlers/openapi.ts';
import { type Handling, unsupported } from './handlers/objects.ts';
import { getObject, listObjects } from './handlers/read.ts';
import { createObject, updateObject } from './handlers/write.ts';
import { deleteCollection, deleteObject } from './handlers/delete.ts';
import { patchObject } from './handlers/patch.ts';
import { bindPod, evictPod, finalizeNamespace, serveScale } from './handlers/subresources.ts';
import { watchObjects } from './handlers/watch.ts';
import { Registry } from './registry/registry.ts';
import { builtinResources } from './registry/index.ts';
import { ensureKubernetesService, installServiceAllocators } from './allocators/index.ts';
import { installPriorityAdmission } from './admission/priority.ts';
import { installPodDefaults } from './admission/pod-defaults.ts';
import { parseRequestInfo, type ResourceRequest } from './request-info.ts';
import type { Logger } from '../log.ts';

export interface ApiServerOptions {
  /** `--datastore-endpoint`; the API server is the only component that opens the store. */
  readonly datastoreEndpoint: string | undefined;
  readonly dataDir: string;
  readonly tls: { readonly key: string; readonly cert: string; readonly clientCa: string };
  readonly log: Logger;
  /** `--service-cidr`: ClusterIPs come from here. */
  readonly serviceCidr?: string;
  /** `--service-node-port-range`. */
  readonly nodePortRange?: string;
}

const identityCacheMs = 60_000;

/** Paths anyone may read without credentials (upstream's system:public-info-viewer). */
const publicPaths = new Set(['/healthz', '/livez', '/readyz', '/version']);

export class ApiServer {
  readonly registry: Registry;
  private readonly store: Store;
  private readonly server: Http2SecureServer;
  private readonly verifyClient: ClientCertVerifier;
  private readonly log: Logger;
  private readonly shutdown = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly identities = new WeakMap<object, { user: UserInfo | undefined; at: number }>();

  private readonly options: ApiServerOptions;

  constructor(options: ApiServerOptions) {
    this.options = options;
    this.store = openStore(options.datastoreEndpoint, { dataDir: options.dataDir });
    this.registry = new Registry(this.store, builtinResources);
    this.log = options.log;
    this.verifyClient = createClientCertVerifier(options.tls.clientCa);
    this.server = createSecureServer(
      {
        allowHTTP1: true,
        key: options.tls.key,
        cert: options.tls.cert,
        // Ask for a client certificate but let the handshake through without one: requests
        // without credentials get a 401 Status, and the public paths stay reachable.
        ca: options.tls.clientCa,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        const done = this.handle(
          req as unknown as RawRequest,
          res as unknown as RawResponse,
          req.socket as TLSSocket,
        );
        this.inFlight.add(done);
        void done.finally(() => this.inFlight.delete(done));
      },
    );
  }

  /** Work before serving: admission (pod priority), the Service allocators repaired and installed. */
  async prepare(): Promise<void> {
    installPriorityAdmission(this.registry);
    installPodDefaults(this.registry);
    await installServiceAllocators({
      registry: this.registry,
      store: this.store,
      serviceCidr: this.options.serviceCidr ?? '10.43.0.0/16',
      nodePortRange: this.options.nodePortRange ?? '30000-32767',
      log: this.log,
      signal: this.shutdown.signal,
    });
  }

  /** Work once serving: the `kubernetes` Service and its endpoints point at this server. */
  async announce(advertiseAddress: string, port: number): Promise<void> {
    await ensureKubernetesService({
      registry: this.registry,
      serviceCidr: this.options.serviceCidr ?? '10.43.0.0/16',
      advertiseAddress,
      port,
    });
  }

  listen(port: number, host: string): Promise<{ port: number }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve({ port: typeof address === 'object' && address !== null ? address.port : port });
      });
    });
  }

  /** Stops accepting, ends watches, and waits for in-flight requests to finish. */
  async close(): Promise<void> {
    this.shutdown.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Requests finish on their own (watches end on the shutdown signal); a stuck one does not
    // hold shutdown for longer than this.
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    if (this.inFlight.size > 0)
      this.log.warn('shutting down with requests in flight', { requests: this.inFlight.size });
    this.registry.close();
    await closed;
    await this.store.close();
  }

  /** Closes the store of a server that never listened (start-up failed). */
  async abort(): Promise<void> {
    this.registry.close();
    await this.store.close();
  }

  /**
   * The client certificate's identity, verified once per connection and again after a minute (so
   * an expiry is noticed): verifying and parsing a certificate costs more than serving a get.
   * An HTTP/2 request's `socket` is a new proxy per stream, so the session is the connection's key.
   */
  private authenticate(req: RawRequest, socket: TLSSocket): UserInfo | undefined {
    const connection = (req as { stream?: { session?: object } }).stream?.session ?? socket;
    const now = Date.now();
    const cached = this.identities.get(connection);
    if (cached !== undefined && now - cached.at < identityCacheMs) return cached.user;
    const verdict = this.verifyClient(peerCertificateDer(socket));
    const user = verdict.ok
      ? { name: verdict.identity.user, groups: [...verdict.identity.groups, 'system:authenticated'] }
      : undefined;
    this.identities.set(connection, { user, at: now });
    return user;
  }

  private async handle(req: RawRequest, res: RawResponse, socket: TLSSocket): Promise<void> {
    const ctx = new RequestContext({
      req,
      res,
      user: this.authenticate(req, socket),
      shutdown: this.shutdown.signal,
    });
    try {
      await this.route(ctx);
    } catch (e: unknown) {
      if (e instanceof StatusError) {
        ctx.send(e.status.code, e.status);
      } else {
        this.log.error('request failed', { method: ctx.method, path: ctx.path, error: String(e) });
        const status = internalError(e instanceof Error ? e.message : String(e));
        ctx.send(status.code, status);
      }
    }
  }

  private async route(ctx: RequestContext): Promise<void> {
    if (
      publicPaths.has(ctx.path) ||
      ctx.path.startsWith('/livez/') ||
      ctx.path.startsWith('/readyz/') ||
      ctx.path.startsWith('/healthz/')
    ) {
      this.serveHealth(ctx);
      return;
    }
    if (ctx.user === undefined) throw new StatusError(unauthorized());
    if (serveDiscovery(ctx, this.registry)) return;
    if (serveOpenApi(ctx, this.registry)) return;
    const info = parseRequestInfo(ctx.method, ctx.path, ctx.query);
    if (!info.isResourceRequest) throw new StatusError(notFoundPath(ctx.path));
    await this.serveResource(ctx, info);
  }

  private async serveResource(ctx: RequestContext, info: ResourceRequest): Promise<void> {
    const served = this.registry.lookup(info.group, info.version, info.resource);
    if (served === undefined) throw new StatusError(notFoundPath(ctx.path));
    const h: Handling = { ctx, info, served, registry: this.registry };
    const sub = info.subresource;
    if (sub === 'scale' && served.storageDef.scale !== undefined) return serveScale(h);
    if (served.def.actions?.some((a) => a.name === sub)) {
      if (sub === 'binding') return bindPod(h);
      if (sub === 'eviction') return evictPod(h);
      if (sub === 'finalize') return finalizeNamespace(h);
    }
    if (sub !== '' && !(sub === 'status' && served.storageDef.status !== undefined)) {
      throw new StatusError(notFoundPath(ctx.path));
    }
    // Verbs a resource does not have (namespaces have no deletecollection) are refused, as upstream.
    const verbs = served.def.verbs;
    if (sub === '' && verbs !== undefined && !(verbs as readonly string[]).includes(info.verb))
      unsupported(h);
    switch (info.verb) {
      case 'get':
        return getObject(h);
      case 'list':
        return listObjects(h);
      case 'watch':
        return watchObjects(h);
      case 'create':
        return info.name === '' ? createObject(h) : unsupported(h);
      case 'update':
        return updateObject(h);
      case 'delete':
        return deleteObject(h);
      case 'deletecollection':
        return deleteCollection(h);
      case 'patch':
        return patchObject(h);
      default:
        return unsupported(h);
    }
  }

  private serveHealth(ctx: RequestContext): void {
    if (ctx.path === '/version') {
      ctx.send(200, {
        major: kubernetesVersion.major,
        minor: kubernetesVersion.minor,
        gitVersion,
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: `node${process.versions.node}`,
        compiler: 'tsc',
        platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
      });
      return;
    }
    const checks = ['ping', 'log', 'etcd', 'poststarthook/start-apiextensions-controllers'];
    if (ctx.query.has('verbose')) {
      const lines = checks.map((c) => `[+]${c} ok`);
      ctx.sendText(200, `${lines.join('\n')}\n${ctx.path.slice(1)} check passed\n`);
    } else ctx.sendText(200, 'ok');
  }
}

function notFoundPath(path: string): ReturnType<typeof notFound> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: { causes: [{ reason: 'UnexpectedServerResponse', message: `404 page not found: ${path}` }] },
    code: 404,
  };
}
