// The cluster PKI on disk, under DATA_DIR/tls/ with k3s's file names, created on first start and
// reused on every restart (k3s pkg/daemons/control/deps: genClientCerts, genServerCerts).
//
// Two CAs, as k3s: server-ca signs the API server's serving certificate and is what clients
// trust (kubeconfigs, agents, service-account ca.crt); client-ca signs the certificates that
// identify users and components, and is the only CA the API server's authenticator accepts.
// Splitting them means handing the server CA to every pod and node grants no power to mint
// identities, and that Kubernetes' built-in signers map onto them as upstream does
// (kubernetes.io/kube-apiserver-client → client CA, kubelet-serving → server CA).
//
//   ensurePki ──► tls/ (0700)
//                  ├─ server-ca.crt/.key ──signs──► serving-kube-apiserver.crt/.key  (CN kube-apiserver)
//                  └─ client-ca.crt/.key ──signs──► client-admin.crt/.key            (CN system:admin, O system:masters)
//                                          └──────► client-<name>.crt/.key           (ensureClientCert)
//
// A CA is never replaced while its key exists: that would invalidate every issued certificate and
// kubeconfig. Leaf certificates are re-issued (with a new key) when they stop fitting: not signed
// by the current CA, subject changed, names not covered (a new --bind-address), or expiring within
// 90 days (k3s config.CertificateRenewDays). Otherwise files are read and left untouched.
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import { type CertificateAuthority, createCertificateAuthority, loadCertificateAuthority } from './ca.ts';
import {
  expiresWithin,
  type IssueCertOptions,
  type IssuedCert,
  isIssuedBy,
  issueCertificate,
  missingSubjectAltNames,
  servingSubjectAltNames,
} from './certs.ts';
import { keyMatchesCertificate } from './keys.ts';
import { x509 } from './x509.ts';

/** Leaf certificates this close to expiry are re-issued on start (k3s CertificateRenewDays). */
export const CERT_RENEW_DAYS = 90;

// Private keys readable by the owner only; certificates are public (k3s: 0600 and 0644).
const KEY_MODE = 0o600;
const CERT_MODE = 0o644;

export interface StoredCa extends CertificateAuthority {
  readonly certPath: string;
  readonly keyPath: string;
}

export interface StoredCert extends IssuedCert {
  readonly certPath: string;
  readonly keyPath: string;
}

/** A file this call (re)generated, and why: for the server's startup log. */
export interface PkiChange {
  file: string;
  reason: string;
}

export interface Pki {
  /** DATA_DIR/tls */
  dir: string;
  serverCa: StoredCa;
  clientCa: StoredCa;
  /** The API server's serving certificate, signed by serverCa. */
  serving: StoredCert;
  /** CN system:admin, O system:masters, signed by clientCa: the admin kubeconfig's identity. */
  admin: StoredCert;
  /** Empty on a plain restart. */
  changes: PkiChange[];
}

export interface EnsurePkiOptions {
  dataDir: string;
  /** --bind-address; added to the serving cert when it is a specific address. */
  bindAddress?: string;
  /** Extra serving names, e.g. the service CIDR's first IP (10.43.0.1) or --tls-san values. */
  extraSANs?: readonly string[];
  /** Default os.hostname(). */
  hostname?: string;
  /** Clock for tests. */
  now?: Date;
}

export async function ensurePki(options: EnsurePkiOptions): Promise<Pki> {
  const now = options.now ?? new Date();
  const dir = await ensureTlsDir(options.dataDir);
  const changes: PkiChange[] = [];
  const serverCa = await ensureCa({ dir, baseName: 'server-ca', prefix: 'navis-server', now, changes });
  const clientCa = await ensureCa({ dir, baseName: 'client-ca', prefix: 'navis-client', now, changes });
  const sans = servingSubjectAltNames({
    bindAddress: options.bindAddress,
    extraSANs: options.extraSANs,
    hostname: options.hostname ?? osHostname(),
  });
  const serving = await ensureLeaf({
    dir,
    baseName: 'serving-kube-apiserver',
    ca: serverCa,
    spec: { commonName: 'kube-apiserver', usages: 'server', ...sans, now },
    changes,
  });
  const admin = await ensureLeaf({
    dir,
    baseName: 'client-admin',
    ca: clientCa,
    spec: { commonName: 'system:admin', organizations: ['system:masters'], usages: 'client', now },
    changes,
  });
  return { dir, serverCa, clientCa, serving, admin, changes };
}

export interface EnsureClientCertOptions {
  /** File name part: `scheduler` is stored as client-scheduler.crt/.key. */
  name: string;
  /** The user, e.g. `system:kube-scheduler`. */
  commonName: string;
  /** The groups, e.g. `system:nodes`. */
  organizations?: readonly string[];
  /** Clock for tests. */
  now?: Date;
}

/**
 * A client certificate from the client CA for one component identity (k3s: client-scheduler,
 * client-controller, client-kube-proxy, ...), stored beside the admin's and reused like it.
 */
export async function ensureClientCert(
  pki: Pick<Pki, 'dir' | 'clientCa'>,
  options: EnsureClientCertOptions,
): Promise<StoredCert> {
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(options.name)) {
    throw new Error(
      `pki: client certificate name must be lower-case kebab-case, got ${JSON.stringify(options.name)}`,
    );
  }
  return ensureLeaf({
    dir: pki.dir,
    baseName: `client-${options.name}`,
    ca: pki.clientCa,
    spec: {
      commonName: options.commonName,
      organizations: options.organizations,
      usages: 'client',
      now: options.now,
    },
    changes: [],
  });
}

async function ensureTlsDir(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'tls');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is masked by the umask and ignored for an existing directory.
  await chmod(dir, 0o700);
  return dir;
}

interface EnsureCaParams {
  dir: string;
  baseName: string;
  prefix: string;
  now: Date;
  changes: PkiChange[];
}

async function ensureCa(p: EnsureCaParams): Promise<StoredCa> {
  const certPath = join(p.dir, `${p.baseName}.crt`);
  const keyPath = join(p.dir, `${p.baseName}.key`);
  const [certPem, keyPem] = await Promise.all([readIfExists(certPath), readIfExists(keyPath)]);
  if (certPem !== undefined && keyPem !== undefined) {
    return { ...(await loadCertificateAuthority(certPem, keyPem)), certPath, keyPath };
  }
  if (certPem !== undefined) {
    throw new Error(
      `pki: ${certPath} exists but its key ${keyPath} is missing; restore the key, or remove ` +
        'the certificate to create a new CA (every certificate and kubeconfig it issued must then be replaced)',
    );
  }
  // No CA yet, or only a key: a crash between writing the key and the certificate, so nothing
  // can have been issued from it yet and starting over is safe.
  const ca = await createCertificateAuthority({ prefix: p.prefix, now: p.now });
  await writeFileAtomic(keyPath, ca.keyPem, KEY_MODE);
  await writeFileAtomic(certPath, ca.certPem, CERT_MODE);
  p.changes.push({ file: certPath, reason: 'created' });
  return { ...ca, certPath, keyPath };
}

interface EnsureLeafParams {
  dir: string;
  baseName: string;
  ca: CertificateAuthority;
  spec: IssueCertOptions;
  changes: PkiChange[];
}

async function ensureLeaf(p: EnsureLeafParams): Promise<StoredCert> {
  const certPath = join(p.dir, `${p.baseName}.crt`);
  const keyPath = join(p.dir, `${p.baseName}.key`);
  const [certPem, keyPem] = await Promise.all([readIfExists(certPath), readIfExists(keyPath)]);
  let reason = certPem === undefined && keyPem === undefined ? 'created' : 'certificate or key missing';
  if (certPem !== undefined && keyPem !== undefined) {
    const existing = parseCertificate(certPem);
    const why = existing ? reissueReason(existing, keyPem, p) : 'unreadable certificate';
    if (existing && why === undefined) return { cert: existing, certPem, keyPem, certPath, keyPath };
    reason = why ?? reason;
  }
  const issued = await issueCertificate(p.ca, p.spec);
  // Key first: if the process dies between the writes, the next start sees a key that does not
  // match the certificate and issues again.
  await writeFileAtomic(keyPath, issued.keyPem, KEY_MODE);
  await writeFileAtomic(certPath, issued.certPem, CERT_MODE);
  p.changes.push({ file: certPath, reason });
  return { ...issued, certPath, keyPath };
}

/** Why an existing leaf must be re-issued, or undefined when it still fits (k3s fieldsChanged + expired). */
function reissueReason(cert: x509.X509Certificate, keyPem: string, p: EnsureLeafParams): string | undefined {
  if (!keyMatchesCertificate(keyPem, cert)) return 'key does not match certificate';
  if (!isIssuedBy(cert, p.ca)) return 'not issued by the current CA';
  const cn = cert.subjectName.getField('CN')[0];
  const orgs = new Set(cert.subjectName.getField('O'));
  const wantOrgs = new Set(p.spec.organizations ?? []);
  if (cn !== p.spec.commonName || orgs.size !== wantOrgs.size || [...wantOrgs].some((o) => !orgs.has(o))) {
    return 'subject changed';
  }
  const missing = missingSubjectAltNames(cert, {
    dnsNames: [...(p.spec.dnsNames ?? [])],
    ipAddresses: [...(p.spec.ipAddresses ?? [])],
  });
  if (missing.length > 0) return `does not cover ${missing.join(', ')}`;
  if (expiresWithin(cert, CERT_RENEW_DAYS, p.spec.now)) return `expires within ${CERT_RENEW_DAYS} days`;
  return undefined;
}

function parseCertificate(pem: string): x509.X509Certificate | undefined {
  try {
    return new x509.X509Certificate(pem);
  } catch (e: unknown) {
    if (e instanceof Error) return undefined;
    throw e;
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
