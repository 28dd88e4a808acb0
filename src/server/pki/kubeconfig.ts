// kubeconfig files for kubectl and client libraries: DATA_DIR/admin.kubeconfig, --write-kubeconfig,
// and later one per component identity. The standard clientcmd v1 Config shape (apiVersion v1,
// kind Config, named clusters/users/contexts and current-context) with the CA and client
// credentials inlined as base64 `*-data` fields, so the file works wherever it is copied, as the
// kubeconfig k3s writes to /etc/rancher/k3s/k3s.yaml.
import { mkdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from './atomic-write.ts';
import { isUnspecifiedAddress } from './certs.ts';

export interface KubeconfigOptions {
  /** The API server URL, e.g. https://127.0.0.1:6443 (see apiServerUrl). */
  server: string;
  /** PEM of the CA that signed the serving certificate (the server CA). */
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  clusterName?: string;
  user?: string;
  context?: string;
}

/**
 * The URL a local client should use for a server bound to `bindAddress`: loopback when the server
 * listens on every address (empty, 0.0.0.0, ::), as k3s's admin kubeconfig does; otherwise the
 * bind address itself, bracketed when it is IPv6. The serving certificate covers all of these.
 */
export function apiServerUrl(bindAddress: string | undefined, port: number): string {
  const address = (bindAddress ?? '').replace(/^\[(.*)\]$/, '$1');
  if (isUnspecifiedAddress(address)) return `https://127.0.0.1:${port}`;
  return isIP(address) === 6 ? `https://[${address}]:${port}` : `https://${address}:${port}`;
}

export function renderKubeconfig(options: KubeconfigOptions): string {
  const cluster = options.clusterName ?? 'default';
  const user = options.user ?? 'default';
  const context = options.context ?? 'default';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: { server: options.server, 'certificate-authority-data': base64(options.caPem) },
      },
    ],
    users: [
      {
        name: user,
        user: {
          'client-certificate-data': base64(options.clientCertPem),
          'client-key-data': base64(options.clientKeyPem),
        },
      },
    ],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
  };
  return stringify(config);
}

/**
 * Writes a kubeconfig with mode 0600 (it holds a private key), atomically, so a kubectl running
 * during a server restart never reads half a file. Creates the parent directory if needed (for
 * --write-kubeconfig paths such as ~/.kube/config).
 */
export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, renderKubeconfig(options), 0o600);
}

function base64(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}
