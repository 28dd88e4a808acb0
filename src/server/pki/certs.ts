// Leaf certificates signed by a cluster CA, and the names the API server's serving cert covers.
//
// issueCertificate mirrors client-go's certutil.NewSignedCert as k3s calls it: subject
// CN + O (Kubernetes reads a client cert's CN as the user name and each O as a group), SANs,
// extKeyUsage serverAuth and/or clientAuth, keyUsage digitalSignature|keyEncipherment,
// basicConstraints CA:FALSE, SubjectKeyIdentifier and an AuthorityKeyIdentifier equal to the
// CA's SubjectKeyIdentifier, so verifiers (and our own rotation check) can find the issuer.
import { isIP } from 'node:net';
import { authorityKeyId, type CertificateAuthority, CLOCK_SKEW_MS, subjectKeyId } from './ca.ts';
import {
  certificateToPem,
  generateKeyPair,
  privateKeyToPem,
  randomSerialNumber,
  signingAlgorithm,
} from './keys.ts';
import { x509 } from './x509.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export type CertUsage = 'server' | 'client' | 'both';

export interface IssueCertOptions {
  commonName: string;
  /** Subject O values; for a client cert, the Kubernetes groups (e.g. `system:masters`). */
  organizations?: readonly string[];
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  usages: CertUsage;
  /** Default 365, as certutil.NewSignedCert. */
  validityDays?: number;
  /** Clock for tests. */
  now?: Date;
}

export interface IssuedCert {
  readonly cert: x509.X509Certificate;
  readonly certPem: string;
  /** PKCS#8 PEM of the leaf's own, freshly generated key. */
  readonly keyPem: string;
}

export async function issueCertificate(
  ca: CertificateAuthority,
  options: IssueCertOptions,
): Promise<IssuedCert> {
  const now = options.now ?? new Date();
  const keys = await generateKeyPair();
  const caKeyId = subjectKeyId(ca.cert);
  const sans = normalizeSubjectAltNames({
    dnsNames: options.dnsNames ?? [],
    ipAddresses: options.ipAddresses ?? [],
  });
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension(extendedKeyUsages(options.usages)),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    caKeyId
      ? new x509.AuthorityKeyIdentifierExtension(caKeyId)
      : await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
  ];
  // An empty SubjectAltName extension is invalid (RFC 5280 §4.2.1.6), so omit it for client certs.
  const generalNames: x509.JsonGeneralName[] = [
    ...sans.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...sans.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  if (generalNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(generalNames));

  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: subjectName(options.commonName, options.organizations ?? []),
    // The CA's own encoded name, so issuer and CA subject are byte-identical: Go's chain
    // builder matches them as raw bytes.
    issuer: ca.cert.subjectName,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + (options.validityDays ?? 365) * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm,
    extensions,
  });
  return { cert, certPem: certificateToPem(cert), keyPem: await privateKeyToPem(keys.privateKey) };
}

function extendedKeyUsages(usages: CertUsage): string[] {
  switch (usages) {
    case 'server':
      return [x509.ExtendedKeyUsage.serverAuth];
    case 'client':
      return [x509.ExtendedKeyUsage.clientAuth];
    case 'both':
      return [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth];
  }
}

// Go's pkix.Name.ToRDNSequence order (O before CN), with all O values in one multi-valued RDN,
// as Go writes them; kubectl, client-go and Node parse either form.
function subjectName(commonName: string, organizations: readonly string[]): x509.JsonName {
  return organizations.length > 0
    ? [{ O: [...organizations] }, { CN: [commonName] }]
    : [{ CN: [commonName] }];
}

// ---- Subject alternative names ----

export interface SubjectAltNames {
  dnsNames: string[];
  ipAddresses: string[];
}

/** The in-cluster names of the `kubernetes` Service, as kubeadm and k3s put in the serving cert. */
export const KUBERNETES_SERVICE_DNS_NAMES: readonly string[] = [
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];

export interface ServingNamesOptions {
  /** --bind-address; an unspecified address (empty, 0.0.0.0, ::) adds nothing. */
  bindAddress?: string;
  /** Extra names (k3s --tls-san): IPs, e.g. the service CIDR's first address 10.43.0.1, or DNS names. */
  extraSANs?: readonly string[];
  /** The machine's hostname (os.hostname()). */
  hostname?: string;
}

/**
 * Every name a client may use to reach the API server: loopback by name and address (the admin
 * kubeconfig points at 127.0.0.1), the `kubernetes` Service names used from pods, the machine's
 * hostname, the bind address, and the caller's extras (k3s addSANs: IPs as IP SANs, the rest DNS).
 * A bind address that is a name rather than an IP is added as a DNS name, since the kubeconfig's
 * server URL then uses that name.
 */
export function servingSubjectAltNames(options: ServingNamesOptions): SubjectAltNames {
  const dnsNames = ['localhost', ...KUBERNETES_SERVICE_DNS_NAMES];
  const ipAddresses = ['127.0.0.1', '::1'];
  if (options.hostname) dnsNames.push(options.hostname);
  const bind = unbracket(options.bindAddress ?? '');
  if (bind !== '' && !isUnspecifiedAddress(bind)) (isIP(bind) ? ipAddresses : dnsNames).push(bind);
  for (const san of options.extraSANs ?? []) {
    const name = unbracket(san.trim());
    if (name !== '') (isIP(name) ? ipAddresses : dnsNames).push(name);
  }
  return normalizeSubjectAltNames({ dnsNames, ipAddresses });
}

/** The DNS and IP SANs of a certificate, normalized like servingSubjectAltNames' output. */
export function subjectAltNamesOf(cert: x509.X509Certificate): SubjectAltNames {
  const names = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? [];
  return normalizeSubjectAltNames({
    dnsNames: names.filter((n) => n.type === 'dns').map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === 'ip').map((n) => n.value),
  });
}

/** The wanted names a certificate does not cover (exact matches, as k3s's fieldsChanged). */
export function missingSubjectAltNames(cert: x509.X509Certificate, wanted: SubjectAltNames): string[] {
  const have = subjectAltNamesOf(cert);
  const want = normalizeSubjectAltNames(wanted);
  return [
    ...want.dnsNames.filter((n) => !have.dnsNames.includes(n)),
    ...want.ipAddresses.filter((ip) => !have.ipAddresses.includes(ip)),
  ];
}

/** True when the certificate is no longer valid `days` from `now` (k3s renews at 90 days). */
export function expiresWithin(cert: x509.X509Certificate, days: number, now: Date = new Date()): boolean {
  return cert.notAfter.getTime() - now.getTime() < days * DAY_MS;
}

/** True when the certificate's AuthorityKeyIdentifier names this CA (k3s's fieldsChanged check). */
export function isIssuedBy(cert: x509.X509Certificate, ca: CertificateAuthority): boolean {
  const aki = authorityKeyId(cert);
  return aki !== undefined && aki === subjectKeyId(ca.cert);
}

/**
 * One spelling per address: IPv6 compressed and lower case per RFC 5952 (the WHATWG URL parser
 * serializes IPv6 hosts that way), zone IDs dropped (a certificate cannot carry one). Comparing
 * canonical forms keeps `::1` and `0:0:0:0:0:0:0:1` from triggering a needless rotation.
 */
export function canonicalIp(ip: string): string {
  const address = unbracket(ip).split('%')[0]!;
  const family = isIP(address);
  if (family === 0) throw new Error(`pki: not an IP address: ${ip}`);
  return family === 4 ? address : new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

export function isUnspecifiedAddress(address: string): boolean {
  const a = unbracket(address);
  return a === '' || (isIP(a) !== 0 && (canonicalIp(a) === '0.0.0.0' || canonicalIp(a) === '::'));
}

function normalizeSubjectAltNames(sans: {
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
}): SubjectAltNames {
  const dns = sans.dnsNames.map((n) => n.toLowerCase().replace(/\.$/, '')).filter((n) => n !== '');
  return { dnsNames: [...new Set(dns)], ipAddresses: [...new Set(sans.ipAddresses.map(canonicalIp))] };
}

function unbracket(address: string): string {
  return address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
}
