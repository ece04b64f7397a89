import request from 'supertest';
import { pdfFonts, pdfPageCount, pdfToText } from '../../libs/documents/src/testing/poppler';
import { startTestServer, TestServer } from '../support/test-server';
import { issueOrder, readAndConsent } from './change-order-scenario';
import { multilingualDraft } from './multilingual-scenario';

/** People and items named in Polish, Greek, Cyrillic, Vietnamese and Chinese, through the API to the PDFs. */
describe('names in the issued and signed change order, exactly as typed', () => {
  let t: TestServer;
  let issuedPdf: Buffer;
  let signedPdf: Buffer;

  beforeAll(async () => {
    t = await startTestServer({ config: { mspName: 'Nguyễn IT Services', mspEmail: 'projects@nguyen-it.example' } });
    const { projectId, changeOrderId } = await multilingualDraft(t, {
      project: 'Przeprowadzka biura 北京',
      request: 'Анна Смирнова: new laptop',
    });
    const issued = await issueOrder(t, projectId, changeOrderId);
    const pdfOf = async () =>
      (await t.api.get(`/api/projects/${projectId}/change-orders/${changeOrderId}/pdf`).expect(200)).body as Buffer;
    issuedPdf = await pdfOf();

    await readAndConsent(t.http, issued.signPath);
    await request(t.http)
      .post(issued.signPath)
      .send({ name: 'Nguyễn Văn Thắng', documentSha256: issued.documentSha256 })
      .expect(200);
    signedPdf = await pdfOf();
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('prints every name in the issued order as it was typed, in embedded fonts', () => {
    const text = pdfToText(issuedPdf);
    expect(text).toContain('Nguyễn IT Services');
    expect(text).toContain('Gabinet Żółć (biuro@gabinet-zolc.example)');
    expect(text).toContain('Przeprowadzka biura 北京');
    expect(text).toContain('Łukasz Więckowski (lukasz@gabinet-zolc.example)');
    expect(text).toContain('Анна Смирнова: new laptop');
    expect(text).toContain('Γιώργος');
    expect(text).toContain('Παπαδόπουλος');
    expect(text).toContain('MFA-1 — 王小明 (Wang) desk');
    for (const font of pdfFonts(issuedPdf)) expect(font).toMatchObject({ embedded: true });
  });

  it('prints the name the signer typed on the signed copy and its certificate', () => {
    expect(pdfToText(signedPdf)).toContain('Signed by Nguyễn Văn Thắng; sent to Łukasz Więckowski');
    const pages = pdfPageCount(signedPdf);
    expect(pdfToText(signedPdf, { first: pages, last: pages })).toMatch(/Signer name\s+Nguyễn Văn Thắng/);
    for (const font of pdfFonts(signedPdf)) expect(font).toMatchObject({ embedded: true });
  });
});
