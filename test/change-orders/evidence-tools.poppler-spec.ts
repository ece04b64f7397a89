import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import request from 'supertest';
import { type SealCertificate } from '@scope-ledger/documents';
import { openSealCertificate } from '../../libs/documents/src/seal/seal-certificate';
import {
  appendRevisedObject,
  opensslCmsVerify,
  opensslTsVerify,
} from '../../libs/documents/src/seal/testing/seal-inspection';
import { pdfFonts, pdfSignatures, pdfToText, qpdfCheck } from '../../libs/documents/src/testing/poppler';
import { SEAL_CERTIFICATE } from '../../apps/server/src/platform.token';
import { startTestServer, TestServer } from '../support/test-server';
import { startTsaResponder, type TsaResponder } from '../support/tsa-responder';
import { issueOrder, readAndConsent } from './change-order-scenario';
import { multilingualDraft } from './multilingual-scenario';

/**
 * What a third party runs on the documents of one order whose client, signer and items are named in
 * Polish, Greek, Cyrillic, Vietnamese and Chinese: the issued PDF, its revision, and the sealed copy
 * (time-stamped by a local RFC 3161 authority), then the sealed copy with an update appended.
 */
describe('issued, revised and sealed PDFs under pdfsig, qpdf, openssl and pdffonts', () => {
  let t: TestServer;
  let tsa: TsaResponder;
  let dir: string;
  let sealPem: string;
  const pdfs: Record<'issued' | 'revised' | 'sealed', Buffer> = {} as never;

  beforeAll(async () => {
    tsa = await startTsaResponder();
    t = await startTestServer({ config: { tsaUrl: tsa.url, mspName: 'Nguyễn IT Services' } });
    dir = await mkdtemp(join(tmpdir(), 'scope-ledger-evidence-'));
    sealPem = join(dir, 'seal.pem');
    const seal = t.server.app.get<SealCertificate>(SEAL_CERTIFICATE);
    await writeFile(sealPem, forge.pki.certificateToPem(openSealCertificate(seal).certificate));

    const { projectId, changeOrderId: coId } = await multilingualDraft(t, {
      project: 'Переезд офиса 北京 Ελλάδα',
      request: 'Анна Смирнова: đổi máy tính',
    });
    const pdfOf = async (copy = '') =>
      (await t.api.get(`/api/projects/${projectId}/change-orders/${coId}/pdf${copy}`).expect(200)).body as Buffer;
    await issueOrder(t, projectId, coId);
    pdfs.issued = await pdfOf();
    const revised = (await t.api.post(`/api/projects/${projectId}/change-orders/${coId}/revise`).expect(200)).body;
    pdfs.revised = await pdfOf();
    const signPath = new URL(revised.signingUrl as string).pathname;
    await readAndConsent(t.http, signPath);
    await request(t.http)
      .post(signPath)
      .send({ name: 'Nguyễn Văn Thắng', documentSha256: revised.documentSha256 })
      .expect(200);
    pdfs.sealed = await pdfOf();
    expect(await pdfOf('?copy=issued')).toEqual(pdfs.revised);
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    await tsa?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['issued', 'revised', 'sealed'] as const)('%s: qpdf --check passes and every font is embedded', (kind) => {
    expect(qpdfCheck(pdfs[kind])).toMatchObject({ exitCode: 0 });
    const fonts = pdfFonts(pdfs[kind]);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatchObject({ embedded: true, subset: true });
  });

  it.each(['issued', 'revised', 'sealed'] as const)('%s: pdftotext gives every name as typed', (kind) => {
    const text = pdfToText(pdfs[kind]);
    for (const name of ['Gabinet Żółć', 'Łukasz Więckowski', 'Анна Смирнова: đổi máy tính', '王小明 (Wang) desk'])
      expect(text).toContain(name);
    expect(text).toContain('Γιώργος');
  });

  it('labels the revision on its document', () => {
    expect(pdfToText(pdfs.revised)).toContain('CO-1 R1');
    expect(pdfToText(pdfs.issued)).not.toContain('CO-1 R1');
  });

  it('sealed: pdfsig finds a valid signature over the whole file; openssl verifies signature and time-stamp', () => {
    const report = pdfSignatures(pdfs.sealed);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Total document signed');
    expect(opensslCmsVerify(pdfs.sealed, sealPem)).toMatchObject({ exitCode: 0 });
    const stamp = opensslTsVerify(pdfs.sealed, tsa.caCertificateFile);
    expect(stamp.output).toContain('Verification: OK');
    expect(pdfToText(pdfs.sealed)).toContain('Signed by Nguyễn Văn Thắng; sent to Łukasz Więckowski');
  });

  it('sealed with an update appended: pdfsig says the signature no longer covers the whole document', () => {
    const tampered = appendRevisedObject(pdfs.sealed, 1, '<< /Type /Catalog >>');
    const report = pdfSignatures(tampered);
    expect(report).toContain('Not total document signed');
    expect(report).not.toContain('Total document signed\n');
  });
});
