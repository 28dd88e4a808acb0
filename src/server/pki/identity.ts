// Client certificate authentication: who is on the other end of a TLS connection.
//
// Follows the kube-apiserver x509 authenticator (k8s.io/apiserver/pkg/authentication/request/x509):
// the certificate must chain to the client CA and allow client authentication; then
// CommonNameUserConversion makes the subject CN the user name and each O a group
// (CN=system:admin, O=system:masters is a cluster admin).
//
// The server listens with requestCert: true but rejectUnauthorized: false, so clients without a
// certificate (bearer tokens, anonymous) can still connect; a presented certificate is therefore
// only trusted after the checks below. They are done here rather than by reading
// socket.authorized so that they do not depend on what else the TLS server's `ca` option holds.
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { x509 } from './x509.ts';

const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE_OID = '2.5.29.37.0';

/** The authenticated user, as Kubernetes' user.Info: name and groups. */
export interface UserIdentity {
  user: string;
  groups: string[];
}

export type ClientCertVerdict = { ok: true; identity: UserIdentity } | { ok: false; reason: string };

/** Checks a peer certificate (DER) against the client CA; returns the identity or why it was refused. */
export type ClientCertVerifier = (der: Uint8Array | undefined) => ClientCertVerdict;

export interface ClientCertVerifierOptions {
  /** Clock for tests. */
  now?: () => Date;
}

/**
 * Builds a verifier for certificates issued by one client CA. The CA is parsed once; each check
 * is synchronous (Node's X509Certificate), so it is cheap enough to run once per connection.
 * Only a direct issuer is accepted: the cluster PKI has no intermediates.
 */
export function createClientCertVerifier(
  clientCaPem: string,
  options: ClientCertVerifierOptions = {},
): ClientCertVerifier {
  const ca = new NodeX509Certificate(clientCaPem);
  const now = options.now ?? (() => new Date());
  return (der) => {
    if (der === undefined || der.length === 0) return { ok: false, reason: 'no client certificate' };
    let cert: NodeX509Certificate;
    try {
      cert = new NodeX509Certificate(der);
    } catch (e: unknown) {
      return {
        ok: false,
        reason: `unparsable client certificate: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    // checkIssued matches issuer name to the CA subject (and key identifiers); verify checks the
    // signature itself, which is what actually proves the CA issued it.
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
      return { ok: false, reason: 'x509: certificate signed by unknown authority' };
    }
    const t = now().getTime();
    if (t < cert.validFromDate.getTime() || t > cert.validToDate.getTime()) {
      return { ok: false, reason: 'x509: certificate has expired or is not yet valid' };
    }
    // As Go's x509.Verify with KeyUsages [ClientAuth]: no extKeyUsage extension means any usage.
    const eku: readonly string[] | undefined = cert.keyUsage;
    if (eku && !eku.includes(CLIENT_AUTH_OID) && !eku.includes(ANY_EXTENDED_KEY_USAGE_OID)) {
      return { ok: false, reason: 'x509: certificate specifies an incompatible key usage' };
    }
    // Node's subject string flattens multi-valued RDNs ambiguously; read the parsed DER names.
    const subject = new x509.X509Certificate(cert.raw).subjectName;
    const user = subject.getField('CN')[0] ?? '';
    if (user === '') return { ok: false, reason: 'certificate has an empty common name' };
    return { ok: true, identity: { user, groups: subject.getField('O') } };
  };
}

/** The DER certificate a TLS peer presented, or undefined when it presented none. */
export function peerCertificateDer(socket: Pick<TLSSocket, 'getPeerCertificate'>): Buffer | undefined {
  // getPeerCertificate() returns an empty object, not null, when there is no certificate.
  const raw = socket.getPeerCertificate().raw as Buffer | undefined;
  return raw && raw.length > 0 ? raw : undefined;
}
