// Key generation and PEM encoding for the cluster PKI.
//
// ECDSA P-256 with SHA-256, as k3s and client-go's certutil use (certutil.NewPrivateKey): small
// keys, fast handshakes, and understood by every TLS stack that talks to Kubernetes. Private keys
// are written as PKCS#8 ("BEGIN PRIVATE KEY"), which Node's tls.createSecureContext and Go's
// tls.X509KeyPair (kubectl, client-go) both accept.
import { createPrivateKey, createPublicKey, randomBytes, type webcrypto } from 'node:crypto';
import { x509 } from './x509.ts';

export const keyAlgorithm: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
export const signingAlgorithm: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/** A fresh, extractable P-256 key pair (extractable so the private key can be written as PEM). */
export async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return crypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
}

/** PKCS#8 PEM of a private key, newline-terminated. */
export async function privateKeyToPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return withTrailingNewline(x509.PemConverter.encode(der, 'PRIVATE KEY'));
}

/** Imports a PKCS#8 PEM private key for signing (the CA key); not extractable again. */
export async function privateKeyFromPem(pem: string): Promise<webcrypto.CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return crypto.subtle.importKey('pkcs8', der, keyAlgorithm, false, ['sign']);
}

/** PEM of a certificate, newline-terminated (PEM files conventionally end with one). */
export function certificateToPem(cert: x509.X509Certificate): string {
  return withTrailingNewline(cert.toString('pem'));
}

/**
 * Whether a PEM private key belongs to a certificate: compares the public key derived from the
 * private key with the certificate's SubjectPublicKeyInfo. Catches a key and certificate left
 * out of step (e.g. a crash between writing the two files). Node's KeyObject can derive the public
 * key from an EC private key; WebCrypto cannot.
 */
export function keyMatchesCertificate(keyPem: string, cert: x509.X509Certificate): boolean {
  try {
    const spki = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
    return Buffer.compare(spki, Buffer.from(cert.publicKey.rawData)) === 0;
  } catch (e: unknown) {
    if (e instanceof Error) return false; // unreadable key: treat as not matching
    throw e;
  }
}

/**
 * A random positive serial number, as hex. RFC 5280 §4.1.2.2 allows up to 20 octets and requires
 * a positive integer; Go's x509 rejects negative serials. 16 random octets with the top bit
 * cleared (and the next one set, so the DER encoding is minimal and always 16 octets) leave 126
 * random bits, like certutil's 128-bit random serials.
 */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x3f) | 0x40;
  return bytes.toString('hex');
}

function withTrailingNewline(pem: string): string {
  const normalized = pem.replace(/\r\n/g, '\n');
  return normalized.endsWith('\n') ? normalized : `${normalized}\n`;
}
