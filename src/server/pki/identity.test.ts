import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCertificateAuthority } from './ca.ts';
import { issueCertificate } from './certs.ts';
import { createClientCertVerifier, peerCertificateDer } from './identity.ts';
import type { x509 } from './x509.ts';

const DAY_MS = 86_400_000;
const now = new Date('2030-06-01T00:00:00Z');
const clientCa = await createCertificateAuthority({ prefix: 'navis-client', now });
const serverCa = await createCertificateAuthority({ prefix: 'navis-server', now });
const verify = createClientCertVerifier(clientCa.certPem, { now: () => now });
const der = (cert: x509.X509Certificate) => new Uint8Array(cert.rawData);

describe('createClientCertVerifier', () => {
  test('maps CN to the user and O to groups (CommonNameUserConversion)', async () => {
    const admin = await issueCertificate(clientCa, {
      commonName: 'system:admin',
      organizations: ['system:masters', 'system:authenticated'],
      usages: 'client',
      now,
    });
    assert.deepEqual(verify(der(admin.cert)), {
      ok: true,
      identity: { user: 'system:admin', groups: ['system:masters', 'system:authenticated'] },
    });
    const scheduler = await issueCertificate(clientCa, {
      commonName: 'system:kube-scheduler',
      usages: 'both',
      now,
    });
    assert.deepEqual(verify(der(scheduler.cert)), {
      ok: true,
      identity: { user: 'system:kube-scheduler', groups: [] },
    });
  });

  const refusals: { name: string; make: () => Promise<Uint8Array | undefined>; reason: RegExp }[] = [
    { name: 'no certificate', make: async () => undefined, reason: /no client certificate/ },
    { name: 'garbage', make: async () => new Uint8Array([1, 2, 3]), reason: /unparsable/ },
    {
      name: 'signed by another CA (the server CA)',
      make: async () =>
        der(
          (
            await issueCertificate(serverCa, {
              commonName: 'x',
              organizations: ['system:masters'],
              usages: 'client',
              now,
            })
          ).cert,
        ),
      reason: /unknown authority/,
    },
    {
      name: 'a self-signed impostor with the same CA name',
      make: async () => {
        const fake = await createCertificateAuthority({ prefix: 'navis-client', now });
        return der(
          (await issueCertificate(fake, { commonName: 'system:admin', usages: 'client', now })).cert,
        );
      },
      reason: /unknown authority/,
    },
    {
      name: 'expired',
      make: async () =>
        der(
          (
            await issueCertificate(clientCa, {
              commonName: 'x',
              usages: 'client',
              validityDays: 1,
              now: new Date(now.getTime() - 3 * DAY_MS),
            })
          ).cert,
        ),
      reason: /expired or is not yet valid/,
    },
    {
      name: 'server-only extKeyUsage',
      make: async () =>
        der((await issueCertificate(clientCa, { commonName: 'x', usages: 'server', now })).cert),
      reason: /incompatible key usage/,
    },
    {
      name: 'empty common name',
      make: async () =>
        der((await issueCertificate(clientCa, { commonName: '', usages: 'client', now })).cert),
      reason: /empty common name/,
    },
  ];
  for (const r of refusals) {
    test(`refuses ${r.name}`, async () => {
      const verdict = verify(await r.make());
      assert.equal(verdict.ok, false);
      assert.match(verdict.ok ? '' : verdict.reason, r.reason);
    });
  }
});

test('peerCertificateDer treats an empty peer certificate as none', () => {
  assert.equal(peerCertificateDer({ getPeerCertificate: () => ({}) as never }), undefined);
  const raw = Buffer.from([48, 0]);
  assert.equal(peerCertificateDer({ getPeerCertificate: () => ({ raw }) as never }), raw);
});
