import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { authorityKeyId, createCertificateAuthority, loadCertificateAuthority, subjectKeyId } from './ca.ts';
import {
  canonicalIp,
  expiresWithin,
  isIssuedBy,
  issueCertificate,
  missingSubjectAltNames,
  servingSubjectAltNames,
  subjectAltNamesOf,
} from './certs.ts';
import { x509 } from './x509.ts';

const DAY_MS = 86_400_000;
const now = new Date('2030-01-02T03:04:05Z');
const ca = await createCertificateAuthority({ prefix: 'navis', now });
const otherCa = await createCertificateAuthority({ prefix: 'other', now });

describe('certificate authority', () => {
  test('is a self-signed 10-year CA named navis-ca@<unix time>', async () => {
    assert.equal(ca.cert.subject, `CN=navis-ca@${Math.floor(now.getTime() / 1000)}`);
    assert.equal(ca.cert.issuer, ca.cert.subject);
    assert.ok(await ca.cert.isSelfSigned());
    const days = (ca.cert.notAfter.getTime() - now.getTime()) / DAY_MS;
    assert.equal(Math.round(days), 3650);
    assert.ok(ca.cert.notBefore.getTime() < now.getTime(), 'notBefore is backdated for clock skew');
  });

  test('has critical CA basicConstraints, keyCertSign|cRLSign|digitalSignature and an SKI', () => {
    const bc = ca.cert.getExtension(x509.BasicConstraintsExtension);
    assert.ok(bc?.ca);
    assert.ok(bc.critical);
    const ku = ca.cert.getExtension(x509.KeyUsagesExtension);
    const { keyCertSign, cRLSign, digitalSignature } = x509.KeyUsageFlags;
    assert.equal(ku?.usages, keyCertSign | cRLSign | digitalSignature);
    assert.ok(ku.critical);
    assert.match(subjectKeyId(ca.cert) ?? '', /^[0-9a-f]{40}$/);
  });

  test('round-trips through PEM and refuses a key that is not its own', async () => {
    assert.match(ca.certPem, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    assert.equal(createPrivateKey(ca.keyPem).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const loaded = await loadCertificateAuthority(ca.certPem, ca.keyPem);
    const leaf = await issueCertificate(loaded, { commonName: 'x', usages: 'client', now });
    assert.ok(await leaf.cert.verify({ publicKey: ca.cert.publicKey, signatureOnly: true }));
    await assert.rejects(loadCertificateAuthority(ca.certPem, otherCa.keyPem), /does not belong/);
    await assert.rejects(loadCertificateAuthority(leaf.certPem, leaf.keyPem), /not a CA/);
  });
});

describe('issueCertificate', () => {
  const eku = (cert: x509.X509Certificate) => [
    ...(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? []),
  ];
  const { serverAuth, clientAuth } = x509.ExtendedKeyUsage;
  for (const [usages, want] of [
    ['server', [serverAuth]],
    ['client', [clientAuth]],
    ['both', [serverAuth, clientAuth]],
  ] as const) {
    test(`usages '${usages}' sets extKeyUsage`, async () => {
      const { cert } = await issueCertificate(ca, { commonName: 'c', usages, now });
      assert.deepEqual(eku(cert), want);
    });
  }

  test('sets subject, SANs, key usages, key identifiers and validity', async () => {
    const { cert, keyPem } = await issueCertificate(ca, {
      commonName: 'system:admin',
      organizations: ['system:masters', 'team-a'],
      dnsNames: ['Example.COM'],
      ipAddresses: ['10.43.0.1', '0:0:0:0:0:0:0:1'],
      usages: 'client',
      validityDays: 30,
      now,
    });
    assert.deepEqual(cert.subjectName.getField('CN'), ['system:admin']);
    assert.deepEqual(cert.subjectName.getField('O'), ['system:masters', 'team-a']);
    assert.equal(cert.issuer, ca.cert.subject);
    assert.deepEqual(subjectAltNamesOf(cert), {
      dnsNames: ['example.com'],
      ipAddresses: ['10.43.0.1', '::1'],
    });
    const ku = cert.getExtension(x509.KeyUsagesExtension);
    assert.equal(ku?.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    assert.equal(cert.getExtension(x509.BasicConstraintsExtension)?.ca, false);
    assert.equal(authorityKeyId(cert), subjectKeyId(ca.cert));
    assert.notEqual(subjectKeyId(cert), subjectKeyId(ca.cert));
    assert.equal(Math.round((cert.notAfter.getTime() - now.getTime()) / DAY_MS), 30);
    assert.ok(isIssuedBy(cert, ca));
    assert.ok(!isIssuedBy(cert, otherCa));
    // Node's TLS stack accepts the pair (same parser as tls.createSecureContext).
    assert.ok(new NodeX509Certificate(cert.toString('pem')).checkPrivateKey(createPrivateKey(keyPem)));
  });

  test('defaults to 365 days, omits SANs for a client cert, and uses random positive serials', async () => {
    const a = await issueCertificate(ca, { commonName: 'a', usages: 'client', now });
    const b = await issueCertificate(ca, { commonName: 'a', usages: 'client', now });
    assert.equal(Math.round((a.cert.notAfter.getTime() - now.getTime()) / DAY_MS), 365);
    assert.equal(a.cert.getExtension(x509.SubjectAlternativeNameExtension), null);
    assert.notEqual(a.cert.serialNumber, b.cert.serialNumber);
    assert.match(a.cert.serialNumber, /^[4-7][0-9a-f]{31}$/);
    assert.notEqual(a.keyPem, b.keyPem, 'each certificate gets its own key');
  });

  test('expiresWithin compares notAfter with the clock', async () => {
    const { cert } = await issueCertificate(ca, {
      commonName: 'a',
      usages: 'server',
      validityDays: 100,
      now,
    });
    assert.ok(!expiresWithin(cert, 90, now));
    assert.ok(expiresWithin(cert, 90, new Date(now.getTime() + 20 * DAY_MS)));
  });
});

describe('serving names', () => {
  const base = {
    dnsNames: [
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      'node-1',
    ],
    ipAddresses: ['127.0.0.1', '::1'],
  };
  const cases: { name: string; bind?: string; extra?: string[]; dns?: string[]; ips?: string[] }[] = [
    { name: 'no bind address' },
    { name: 'bind 0.0.0.0 adds nothing', bind: '0.0.0.0' },
    { name: 'bind :: adds nothing', bind: '::' },
    { name: 'bind IPv4', bind: '192.168.1.5', ips: ['192.168.1.5'] },
    { name: 'bind IPv6, bracketed and expanded', bind: '[fd00:0:0:0::5]', ips: ['fd00::5'] },
    { name: 'bind hostname becomes a DNS name', bind: 'API.example.com', dns: ['api.example.com'] },
    { name: 'bind loopback is not duplicated', bind: '127.0.0.1' },
    {
      name: 'extra SANs split into IPs and DNS names',
      extra: ['10.43.0.1', 'my.lb.example', ' ', 'localhost'],
      dns: ['my.lb.example'],
      ips: ['10.43.0.1'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = servingSubjectAltNames({ bindAddress: c.bind, extraSANs: c.extra, hostname: 'Node-1' });
      assert.deepEqual(got, {
        dnsNames: [...base.dnsNames, ...(c.dns ?? [])],
        ipAddresses: [...base.ipAddresses, ...(c.ips ?? [])],
      });
    });
  }

  test('missingSubjectAltNames reports names a certificate does not cover', async () => {
    const sans = servingSubjectAltNames({ bindAddress: '10.0.0.5', hostname: 'node-1' });
    const { cert } = await issueCertificate(ca, {
      commonName: 'kube-apiserver',
      usages: 'server',
      ...sans,
      now,
    });
    assert.deepEqual(missingSubjectAltNames(cert, sans), []);
    const moved = servingSubjectAltNames({
      bindAddress: '10.0.0.6',
      extraSANs: ['api.x'],
      hostname: 'node-1',
    });
    assert.deepEqual(missingSubjectAltNames(cert, moved), ['api.x', '10.0.0.6']);
  });

  test('canonicalIp', () => {
    assert.equal(canonicalIp('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(canonicalIp('FD00::0:1'), 'fd00::1');
    assert.equal(canonicalIp('[fe80::1%eth0]'), 'fe80::1');
    assert.equal(canonicalIp('10.43.0.1'), '10.43.0.1');
    assert.throws(() => canonicalIp('localhost'), /not an IP/);
  });
});

// A second, independent X.509 implementation: OpenSSL must accept the chain and the purposes.
describe('openssl verify', async () => {
  const openssl = await promisify(execFile)('openssl', ['version']).then(
    () => true,
    () => false,
  );
  const dir = mkdtempSync(join(tmpdir(), 'navis-pki-openssl-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test(
    'accepts server and client certs for their purpose only',
    {
      skip: !openssl && 'openssl not found',
    },
    async () => {
      const realNow = new Date();
      const realCa = await createCertificateAuthority({ now: realNow });
      const server = await issueCertificate(realCa, {
        commonName: 's',
        usages: 'server',
        dnsNames: ['localhost'],
      });
      const client = await issueCertificate(realCa, {
        commonName: 'c',
        organizations: ['g'],
        usages: 'client',
      });
      writeFileSync(join(dir, 'ca.crt'), realCa.certPem);
      writeFileSync(join(dir, 'server.crt'), server.certPem);
      writeFileSync(join(dir, 'client.crt'), client.certPem);
      const verify = (purpose: string, file: string) =>
        promisify(execFile)(
          'openssl',
          ['verify', '-CAfile', join(dir, 'ca.crt'), '-purpose', purpose, join(dir, file)],
          {
            timeout: 10_000,
          },
        );
      await verify('sslserver', 'server.crt');
      await verify('sslclient', 'client.crt');
      await assert.rejects(verify('sslclient', 'server.crt'));
      await assert.rejects(verify('sslserver', 'client.crt'));
    },
  );
});
