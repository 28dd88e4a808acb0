// `navis server`: the process wiring, in order — store ready, PKI ready, API ready (k3s gates its
// components the same way). Controllers, scheduler and the agent join here as their issues land.
import { mkdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { ApiServer } from '../apiserver/server.ts';
import type { Logger } from '../log.ts';
import { apiServerUrl, ensureClientCert, ensurePki, writeKubeconfig } from './pki/index.ts';
import { RestClient } from '../client/index.ts';
import { allControllers, runControllerManager, selectControllers } from '../controllers/index.ts';
import { runScheduler } from '../scheduler/index.ts';
import { bootstrapObjects } from './bootstrap.ts';

export interface ServerOptions {
  readonly dataDir: string;
  readonly bindAddress: string;
  readonly httpsPort: number;
  readonly datastoreEndpoint?: string;
  readonly writeKubeconfig?: string;
  readonly serviceCidr: string;
  /** `--disable-scheduler`. */
  readonly disableScheduler?: boolean;
  /** `--controllers`: which controllers the manager runs (default `*`, all). */
  readonly controllers?: readonly string[];
  readonly log: Logger;
}

/** The first address of a CIDR (the `kubernetes` Service's ClusterIP, e.g. 10.43.0.1). */
export function firstServiceIp(cidr: string): string {
  const [base] = cidr.split('/');
  const octets = (base ?? '').split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new Error(`invalid service CIDR "${cidr}"`);
  }
  octets[3] = (octets[3] ?? 0) + 1;
  return octets.join('.');
}

/**
 * The address other machines reach this server at: the bind address, or for a wildcard bind the
 * first non-internal IPv4 address of the machine (k3s's node IP), else loopback.
 */
export function advertiseAddress(bindAddress: string): string {
  if (bindAddress !== '0.0.0.0' && bindAddress !== '::') return bindAddress;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Runs until `signal` aborts; resolves once everything has shut down. */
export async function runServer(
  options: ServerOptions,
  signal: AbortSignal,
  onReady?: (url: string) => void,
): Promise<void> {
  const log = options.log;
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pki = await ensurePki({
    dataDir,
    bindAddress: options.bindAddress,
    extraSANs: [firstServiceIp(options.serviceCidr)],
  });
  for (const change of pki.changes) log.info('certificate written', { ...change });
  const api = new ApiServer({
    datastoreEndpoint: options.datastoreEndpoint,
    dataDir,
    tls: { key: pki.serving.keyPem, cert: pki.serving.certPem, clientCa: pki.clientCa.certPem },
    log: log.with({ component: 'apiserver' }),
    serviceCidr: options.serviceCidr,
  });
  let url: string;
  try {
    await bootstrapObjects(api.registry);
    await api.prepare();
    const { port } = await api.listen(options.httpsPort, options.bindAddress);
    url = apiServerUrl(options.bindAddress, port);
    await api.announce(advertiseAddress(options.bindAddress), port);
  } catch (e: unknown) {
    await api.abort();
    throw e;
  }
  const kubeconfig = {
    server: url,
    caPem: pki.serverCa.certPem,
    clientCertPem: pki.admin.certPem,
    clientKeyPem: pki.admin.keyPem,
  };
  await writeKubeconfig(join(dataDir, 'admin.kubeconfig'), kubeconfig);
  if (options.writeKubeconfig !== undefined)
    await writeKubeconfig(resolve(options.writeKubeconfig), kubeconfig);
  log.info('api server ready', { url, kubeconfig: join(dataDir, 'admin.kubeconfig') });

  // The components that are clients of the API, each under its own identity (k3s starts them the
  // same way once the API server is ready). They stop before the API server does.
  const components = new AbortController();
  const client = async (name: string, commonName: string): Promise<RestClient> => {
    const cert = await ensureClientCert(pki, { name, commonName });
    return new RestClient({ server: url, ca: pki.serverCa.certPem, cert: cert.certPem, key: cert.keyPem });
  };
  const identity = `${hostname()}_${randomUUID()}`;
  const controllerClient = await client('controller-manager', 'system:kube-controller-manager');
  const schedulerClient = await client('scheduler', 'system:kube-scheduler');
  const running = [
    runControllerManager({
      controllers: selectControllers(allControllers(), options.controllers ?? ['*']),
      client: controllerClient,
      log: log.with({ component: 'controller-manager' }),
      identity,
      signal: components.signal,
    }).catch((e: unknown) => log.error('controller manager stopped', { error: String(e) })),
  ];
  if (options.disableScheduler !== true) {
    running.push(
      runScheduler({
        client: schedulerClient,
        log: log.with({ component: 'scheduler' }),
        identity,
        signal: components.signal,
      }).catch((e: unknown) => log.error('scheduler stopped', { error: String(e) })),
    );
  }

  onReady?.(url);
  await new Promise<void>((done) => {
    if (signal.aborted) done();
    else signal.addEventListener('abort', () => done(), { once: true });
  });
  log.info('shutting down');
  components.abort();
  await Promise.allSettled(running);
  controllerClient.close();
  schedulerClient.close();
  await api.close();
}
