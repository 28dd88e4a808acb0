// Public surface of the cluster PKI (see README.md).
export { type CertificateAuthority, createCertificateAuthority, loadCertificateAuthority } from './ca.ts';
export {
  type CertUsage,
  canonicalIp,
  expiresWithin,
  type IssueCertOptions,
  type IssuedCert,
  isIssuedBy,
  issueCertificate,
  KUBERNETES_SERVICE_DNS_NAMES,
  missingSubjectAltNames,
  type SubjectAltNames,
  servingSubjectAltNames,
  subjectAltNamesOf,
} from './certs.ts';
export {
  type ClientCertVerdict,
  type ClientCertVerifier,
  createClientCertVerifier,
  peerCertificateDer,
  type UserIdentity,
} from './identity.ts';
export { apiServerUrl, type KubeconfigOptions, renderKubeconfig, writeKubeconfig } from './kubeconfig.ts';
export {
  CERT_RENEW_DAYS,
  type EnsureClientCertOptions,
  type EnsurePkiOptions,
  ensureClientCert,
  ensurePki,
  type Pki,
  type PkiChange,
  type StoredCa,
  type StoredCert,
} from './store.ts';
