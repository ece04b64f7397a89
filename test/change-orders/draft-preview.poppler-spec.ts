import { pdfPageCount, pdfToText } from '../../libs/documents/src/testing/poppler';
import { streamHead } from '../api/api-helpers';
import { startTestServer, TestServer } from '../support/test-server';
import { assessedRequest, draftOrder, openProject } from './change-order-scenario';

/**
 * A draft's preview, read with poppler: the figures of change-order-scenario.ts as they would be issued now
 * (1,250.00 + 367.50 - 644.63 + 0 = 972.87 on a 4,716.13 baseline: 5,689.00), marked on every page, with no
 * signing link; asking for it appends nothing and stores nothing.
 */
describe('the PDF preview of a draft order', () => {
  let t: TestServer;
  let projectId: string;
  let orderId: string;

  beforeAll(async () => {
    t = await startTestServer({
      config: { mspName: 'Lighthouse Managed IT', mspEmail: 'projects@lighthouse-it.example' },
    });
    projectId = await openProject(t);
    const ids = [
      await assessedRequest(t, projectId, 'vpn'),
      await assessedRequest(t, projectId, 'docs'),
      await assessedRequest(t, projectId, 'wifi'),
      await assessedRequest(t, projectId, 'printers'),
    ];
    orderId = (await draftOrder(t, projectId, ids)).id;
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  const storedDocuments = async () =>
    Number((await t.database.sql.query<{ n: string }>('SELECT count(*) AS n FROM documents')).rows[0].n);

  it('marks every page DRAFT, prints the figures of now and offers no way to sign', async () => {
    const before = { head: await streamHead(t, projectId), documents: await storedDocuments() };
    const preview = await t.api.get(`/api/projects/${projectId}/change-orders/${orderId}/preview.pdf`).expect(200);
    expect(preview.headers['content-type']).toBe('application/pdf');
    expect(preview.headers['cache-control']).toBe('no-store');
    expect(preview.headers['x-document-sha256']).toBeUndefined();
    const pdf = preview.body as Buffer;

    const pages = pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (let page = 1; page <= pages; page++) {
      expect(pdfToText(pdf, { first: page, last: page })).toContain('DRAFT — not for signature');
    }
    const text = pdfToText(pdf);
    expect(text).toContain('Change order CO-1');
    expect(text).toMatch(/Original contract value\s+USD 4,716\.13/);
    expect(text).toMatch(/This change order \(CO-1\)\s+USD 972\.87/);
    expect(text).toMatch(/New contract total\s+USD 5,689\.00/);
    expect(text).toMatch(/Total\s+4\.00\s+USD 972\.87/);
    expect(text).toMatch(/M2 — Handover\s+2026-04-01\s+2026-04-01\s+2026-04-07\s+\+3 working days/);
    expect(text).toMatch(/It was not\s+sent to the client/);
    expect(text).not.toContain('To accept, sign electronically');
    expect(text).not.toMatch(/\/sign\//);
    expect(text).not.toMatch(/Signature\s*$/m);

    expect(await streamHead(t, projectId)).toEqual(before.head);
    expect(await storedDocuments()).toBe(before.documents);
  });
});
