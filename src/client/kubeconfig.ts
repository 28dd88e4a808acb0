// Client configuration from a kubeconfig (client-go's clientcmd): the current context's cluster
// (server URL, CA) and user (client certificate and key, or a bearer token), with `*-data` fields
// inlined as base64 and file paths resolved against the kubeconfig's directory.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { isRecord } from '../api/meta.ts';

/** rest.Config: where the API is and how to authenticate to it. */
export interface ClientConfig {
  /** https://host:port */
  readonly server: string;
  /** PEM of the CA that signed the serving certificate; the system roots when absent. */
  readonly ca?: string;
  /** PEM client certificate and key (x509 authentication). */
  readonly cert?: string;
  readonly key?: string;
  /** Bearer token (service accounts, bootstrap tokens). */
  readonly token?: string;
  readonly insecureSkipTlsVerify?: boolean;
  /** The TLS server name, when it differs from the URL's host. */
  readonly tlsServerName?: string;
}

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

/** Reads a kubeconfig file and returns the config of its current context (or `context`). */
export function loadKubeconfig(path: string, options: { context?: string } = {}): ClientConfig {
  const doc: unknown = parse(readFileSync(path, 'utf8'));
  return configFromKubeconfig(doc, { context: options.context, baseDir: dirname(resolve(path)) });
}

function named(list: unknown, name: string, what: string): Record<string, unknown> {
  const entries = Array.isArray(list) ? list : [];
  for (const e of entries) {
    if (isRecord(e) && e['name'] === name) {
      const body = e[what];
      if (isRecord(body)) return body;
    }
  }
  throw new KubeconfigError(`kubeconfig has no ${what} named "${name}"`);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A parsed kubeconfig object (clientcmdapi v1 Config) to a ClientConfig. */
export function configFromKubeconfig(
  doc: unknown,
  options: { context?: string; baseDir?: string } = {},
): ClientConfig {
  if (!isRecord(doc)) throw new KubeconfigError('kubeconfig is not an object');
  const contextName = options.context ?? str(doc['current-context']);
  if (contextName === undefined) throw new KubeconfigError('kubeconfig has no current-context');
  const context = named(doc['contexts'], contextName, 'context');
  const cluster = named(doc['clusters'], String(context['cluster'] ?? ''), 'cluster');
  const userName = str(context['user']);
  const user = userName === undefined ? {} : named(doc['users'], userName, 'user');
  const baseDir = options.baseDir ?? process.cwd();
  // `<x>-data` is base64 PEM; `<x>` is a file path.
  const pem = (from: Record<string, unknown>, field: string): string | undefined => {
    const data = str(from[`${field}-data`]);
    if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
    const file = str(from[field]);
    if (file === undefined) return undefined;
    return readFileSync(isAbsolute(file) ? file : resolve(baseDir, file), 'utf8');
  };
  const server = str(cluster['server']);
  if (server === undefined) throw new KubeconfigError(`cluster of context "${contextName}" has no server`);
  let token = str(user['token']);
  const tokenFile = str(user['tokenFile']);
  if (token === undefined && tokenFile !== undefined) {
    token = readFileSync(isAbsolute(tokenFile) ? tokenFile : resolve(baseDir, tokenFile), 'utf8').trim();
  }
  const config: {
    -readonly [K in keyof ClientConfig]: ClientConfig[K];
  } = { server };
  const ca = pem(cluster, 'certificate-authority');
  if (ca !== undefined) config.ca = ca;
  const cert = pem(user, 'client-certificate');
  const key = pem(user, 'client-key');
  if (cert !== undefined && key !== undefined) {
    config.cert = cert;
    config.key = key;
  }
  if (token !== undefined) config.token = token;
  if (cluster['insecure-skip-tls-verify'] === true) config.insecureSkipTlsVerify = true;
  const tlsServerName = str(cluster['tls-server-name']);
  if (tlsServerName !== undefined) config.tlsServerName = tlsServerName;
  return config;
}
