// Self-signed certificate authorities, the roots of the cluster PKI.
//
// Shaped like client-go's certutil.NewSelfSignedCACert, which k3s uses for its k3s-server-ca and
// k3s-client-ca: a subject CN of `<prefix>-ca@<unix seconds>` (the timestamp makes a regenerated
// CA recognisably different from the one it replaced), ten years of validity, basicConstraints
// CA:TRUE, keyUsage keyCertSign|cRLSign|digitalSignature, and a SubjectKeyIdentifier that issued
// certificates point back to with their AuthorityKeyIdentifier.
import { X509Certificate as NodeX509Certificate, type webcrypto } from 'node:crypto';
import {
  certificateToPem,
  generateKeyPair,
  keyMatchesCertificate,
  privateKeyFromPem,
  privateKeyToPem,
  randomSerialNumber,
  signingAlgorithm,
} from './keys.ts';
import { x509 } from './x509.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Backdating notBefore tolerates clock skew between machines (client-go's cert helpers do the same). */
export const CLOCK_SKEW_MS = 60 * 60 * 1000;

export interface CertificateAuthority {
  readonly cert: x509.X509Certificate;
  /** Signing key; not extractable, keyPem is the persisted form. */
  readonly key: webcrypto.CryptoKey;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CreateCaOptions {
  /** Subject CN prefix: `navis` gives `navis-ca@<unix seconds>` (k3s: `k3s-server` gives `k3s-server-ca@...`). */
  prefix?: string;
  /** Default 10 years, as certutil.NewSelfSignedCACert. */
  validityDays?: number;
  /** Clock for tests. */
  now?: Date;
}

export async function createCertificateAuthority(
  options: CreateCaOptions = {},
): Promise<CertificateAuthority> {
  const now = options.now ?? new Date();
  const prefix = options.prefix ?? 'navis';
  const validityDays = options.validityDays ?? 3650;
  const keys = await generateKeyPair();
  const commonName = `${prefix}-ca@${Math.floor(now.getTime() / 1000)}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: [{ CN: [commonName] }],
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + validityDays * DAY_MS),
    keys,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    cert,
    key: keys.privateKey,
    certPem: certificateToPem(cert),
    keyPem: await privateKeyToPem(keys.privateKey),
  };
}

/**
 * Loads a CA from its PEM files' contents. Throws when the pair cannot sign: the certificate is
 * not a CA, or the key is not the certificate's. Callers must not paper over that by generating
 * a new CA, which would silently invalidate every certificate and kubeconfig already handed out.
 */
export async function loadCertificateAuthority(
  certPem: string,
  keyPem: string,
): Promise<CertificateAuthority> {
  const cert = new x509.X509Certificate(certPem);
  if (!new NodeX509Certificate(Buffer.from(cert.rawData)).ca) {
    throw new Error(`pki: ${cert.subject} is not a CA certificate (basicConstraints CA:FALSE)`);
  }
  if (!keyMatchesCertificate(keyPem, cert)) {
    throw new Error(`pki: the private key does not belong to CA certificate ${cert.subject}`);
  }
  return { cert, key: await privateKeyFromPem(keyPem), certPem, keyPem };
}

/** Hex SubjectKeyIdentifier of a certificate, lower case, if it has one. */
export function subjectKeyId(cert: x509.X509Certificate): string | undefined {
  return cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId.toLowerCase();
}

/** Hex AuthorityKeyIdentifier keyId of a certificate, lower case, if it has one. */
export function authorityKeyId(cert: x509.X509Certificate): string | undefined {
  return cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId?.toLowerCase();
}
