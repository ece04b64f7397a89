import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import request from 'supertest';
import { loadSealCertificate, SealCertificate } from '@scope-ledger/documents';
import { openSealCertificate } from '../../libs/documents/src/seal/seal-certificate';
import { startTestServer } from '../support/test-server';
import { issuedScenario, readAndConsent, signer } from './change-order-scenario';

/**
 * A configured seal certificate is checked when the server starts: one that cannot seal stops the
 * start with one line naming the variable to fix, instead of failing the first client's signature.
 */
describe('the seal certificate at start-up', () => {
  let folder: string;
  let company: SealCertificate;
  let p12Path: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'scope-ledger-company-seal-'));
    company = await loadSealCertificate({ dataDir: folder });
    p12Path = join(folder, 'company-seal.p12');
    await writeFile(p12Path, company.p12);
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('stops the start naming the variable and the reason when the configured P12 cannot seal', async () => {
    const missing = join(folder, 'missing.p12');
    const refusals: [Record<string, string>, string | RegExp][] = [
      [{ sealP12Path: p12Path, sealPassphrase: 'wrong' }, 'SEAL_P12_PASSPHRASE does not open the seal certificate'],
      [
        { sealP12Base64: company.p12.toString('base64') },
        'SEAL_P12_PASSPHRASE is not set, and the seal certificate needs one',
      ],
      [
        { sealP12Path: missing, sealPassphrase: company.passphrase },
        `SEAL_P12_PATH names a file that cannot be read (ENOENT: no such file or directory, open '${missing}')`,
      ],
      [
        { sealP12Base64: Buffer.from('not a certificate').toString('base64'), sealPassphrase: company.passphrase },
        /^SEAL_P12_BASE64 is not a PKCS#12 \(P12\) bundle that can be read \(.+\)$/,
      ],
    ];
    for (const [config, message] of refusals) {
      const refused: unknown = await startTestServer({ config }).then(
        (t) => t.close(),
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(Error);
      if (typeof message === 'string') expect((refused as Error).message).toBe(message);
      else expect((refused as Error).message).toMatch(message);
    }
  });

  it('seals signed orders with a configured P12 that opens', async () => {
    const t = await startTestServer({ config: { sealP12Path: p12Path, sealPassphrase: company.passphrase } });
    try {
      const { projectId, order, issued } = await issuedScenario(t, 'Company seal');
      await readAndConsent(t.http, issued.signPath);
      await request(t.http)
        .post(issued.signPath)
        .send({ name: signer.name, documentSha256: issued.documentSha256 })
        .expect(200);
      const sealed = (await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}/pdf`).expect(200))
        .body as Buffer;
      const { certificate } = openSealCertificate(company);
      const certificateHex = forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).toHex();
      // The signature's CMS, written in hex into /Contents, carries the sealing certificate.
      expect(sealed.toString('latin1').toLowerCase()).toContain(certificateHex.toLowerCase());
    } finally {
      await t.close();
    }
  });
});
