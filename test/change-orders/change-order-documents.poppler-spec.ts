import { createHash } from 'node:crypto';
import request from 'supertest';
import { ChangeOrderDocumentModel, renderChangeOrderPdf } from '@scope-ledger/documents';
import { drawnSignaturePng } from '../../libs/documents/src/testing/png.fixture';
import { pdfPageCount, pdfSignatures, pdfToText, qpdfCheck } from '../../libs/documents/src/testing/poppler';
import { startTestServer, TestServer } from '../support/test-server';
import {
  assessedRequest,
  draftOrder,
  IssuedOrder,
  issueOrder,
  openProject,
  readAndConsent,
  signer,
} from './change-order-scenario';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The documents a client signs and keeps, read back with poppler: the issued change order
 * shows the hand-worked figures of change-order-scenario.ts, the signed copy carries the
 * certificate of completion and a seal that pdfsig checks.
 */
describe('change order documents read with poppler', () => {
  let t: TestServer;
  let projectId: string;
  let orderId: string;
  let issued: IssuedOrder;
  let issuedPdf: Buffer;
  let signedPdf: Buffer;
  let signerIp: string;

  const pdfOf = async () =>
    (await t.api.get(`/api/projects/${projectId}/change-orders/${orderId}/pdf`).expect(200)).body as Buffer;

  beforeAll(async () => {
    t = await startTestServer({
      config: { mspName: 'Lighthouse Managed IT', mspEmail: 'projects@lighthouse-it.example' },
    });
    projectId = await openProject(t);
    // CO-1 (MFA-1, 420.00) is signed first, so CO-2 shows previously approved changes.
    const mfa = await assessedRequest(t, projectId, 'mfa');
    const co1 = await draftOrder(t, projectId, [mfa]);
    const link1 = await issueOrder(t, projectId, co1.id);
    await readAndConsent(t.http, link1.signPath);
    await request(t.http)
      .post(link1.signPath)
      .send({ name: signer.name, documentSha256: link1.documentSha256 })
      .expect(200);

    const ids = [
      await assessedRequest(t, projectId, 'vpn'),
      await assessedRequest(t, projectId, 'docs'),
      await assessedRequest(t, projectId, 'wifi'),
      await assessedRequest(t, projectId, 'printers'),
    ];
    const co2 = await draftOrder(t, projectId, ids);
    orderId = co2.id;
    issued = await issueOrder(t, projectId, orderId);
    issuedPdf = await pdfOf();

    const signature = `data:image/png;base64,${drawnSignaturePng().toString('base64')}`;
    await readAndConsent(t.http, issued.signPath);
    await request(t.http)
      .post(issued.signPath)
      .set('User-Agent', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/140.0')
      .send({ name: 'Morgan Ellery', documentSha256: issued.documentSha256, signature })
      .expect(200);
    signedPdf = await pdfOf();
    const events = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as {
      type: string;
      data: { ip?: string };
    }[];
    signerIp = events.filter((e) => e.type === 'ChangeOrderSigned')[1].data.ip!;
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('is the document whose SHA-256 the issue answered', () => {
    expect(sha256(issuedPdf)).toBe(issued.documentSha256);
  });

  it(
    'shows the order and request numbers, every line with its hand-worked amount, ' +
      'the milestone dates and the price summary',
    () => {
      const text = pdfToText(issuedPdf);

      expect(text).toContain('Change order CO-2');
      expect(text).toContain('Lighthouse Managed IT');
      expect(text).toContain('Harbour Freight Logistics (it@harbour-freight.example)');
      expect(text).toMatch(/To be signed by\s+Morgan Ellery \(morgan\.ellery@harbour-freight\.example\)/);

      expect(text).toContain('Change requests covered (4)');
      expect(text).toMatch(/CR-2\s+Second site VPN tunnel\s+Email\s+Jo Okafor\s+\d{4}-\d{2}-\d{2}\s+Chargeable/);
      expect(text).toMatch(/CR-5\s+Printer driver clean-up\s+Ticket\s+Jo Okafor\s+\d{4}-\d{2}-\d{2}\s+No charge/);
      expect(text).not.toMatch(/CR-1\s/);

      expect(text).toContain('Scope changes (4 lines)');
      expect(text).toMatch(/CR-2\s+VPN-2 — Site-to-site VPN to\s+Add\s+engineer\s+7\.50\s+USD 150\.00\s+USD 1,250\.00/);
      expect(text).toContain('Fixed cost USD 125.00');
      // A modification: the item as changed, less the item as it stood (1,102.50 - 735.00 = 367.50).
      expect(text).toMatch(
        /CR-3\s+DOC-1 — As-built documentation\s+Modify\s+architect\s+5\.25\s+USD 210\.00\s+USD 1,102\.50/,
      );
      expect(text).toMatch(/less DOC-1 before this change\s+architect\s+-3\.50\s+USD 210\.00\s+-USD 735\.00/);
      expect(text).toContain('Change: USD 367.50');
      expect(text).toMatch(
        /CR-4\s+WIFI-1 — Wireless site survey\s+Remove\s+technician\s+-6\.75\s+USD 95\.50\s+-USD 644\.63/,
      );
      expect(text).toMatch(/CR-5\s+PRN-1 — Remove stale printer\s+Add\s+technician\s+1\.50\s+USD 95\.50\s+USD 0\.00/);
      expect(text).toMatch(/Total\s+4\.00\s+USD 972\.87/);

      // Baseline, before this order (CO-1 moved no dates), after it, and the change.
      expect(text).toMatch(/M1 — Network live\s+2026-03-20\s+2026-03-20\s+2026-03-24\s+\+2 working days/);
      expect(text).toMatch(/M2 — Handover\s+2026-04-01\s+2026-04-01\s+2026-04-07\s+\+3 working days/);
      expect(text).toMatch(/M3 — Warranty review\s+2026-04-15\s+2026-04-15\s+2026-04-20\s+\+3 working days/);

      expect(text).toMatch(/Original contract value\s+USD 4,716\.13/);
      expect(text).toMatch(/Net change by previously signed orders\s+USD 420\.00/);
      expect(text).toMatch(/Contract value before this order\s+USD 5,136\.13/);
      expect(text).toMatch(/This change order \(CO-2\)\s+USD 972\.87/);
      expect(text).toMatch(/New contract total\s+USD 6,109\.00/);
      expect(text).toContain('absorbed by Lighthouse Managed IT and not billed: USD 143.25');
      expect(text).toContain(`can be signed until ${issued.expiresAt.slice(0, 10)}`);
    },
  );

  it('re-renders to the same bytes from the model stored with the document', async () => {
    const { rows } = await t.database.sql.query<{ model: ChangeOrderDocumentModel }>(
      `SELECT model FROM documents WHERE sha256 = $1`,
      [issued.documentSha256],
    );
    expect(rows).toHaveLength(1);
    const again = await renderChangeOrderPdf(rows[0].model);
    expect(sha256(again)).toBe(issued.documentSha256);
    expect(again.equals(issuedPdf)).toBe(true);
  });

  it('adds a certificate of completion with the document SHA-256, the signer and their IP address', () => {
    const pages = pdfPageCount(signedPdf);
    expect(pages).toBe(pdfPageCount(issuedPdf) + 1);
    expect(pdfToText(signedPdf)).toMatch(/Morgan Ellery\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);

    const certificate = pdfToText(signedPdf, { first: pages, last: pages });
    expect(certificate).toContain('Certificate of completion');
    expect(certificate).toMatch(/Change order\s+CO-2/);
    expect(certificate).toMatch(new RegExp(`Document SHA-256\\s+${issued.documentSha256}`));
    expect(certificate).toMatch(/Signer name\s+Morgan Ellery/);
    expect(certificate).toMatch(/Signer email\s+morgan\.ellery@harbour-freight\.example/);
    expect(certificate).toContain('Typed name and drawn signature');
    expect(certificate).toMatch(new RegExp(`IP address\\s+${signerIp.replace(/[.:]/g, (c) => `\\${c}`)}`));
    expect(certificate).toContain('Edge/140.0');
  });

  it('carries a seal that pdfsig reports valid over the whole document', () => {
    const report = pdfSignatures(signedPdf);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Signature Type: ETSI.CAdES.detached');
    expect(report).toContain('Total document signed');
  });

  it('serves issued and sealed files that qpdf --check finds sound', () => {
    expect(qpdfCheck(issuedPdf)).toMatchObject({ exitCode: 0 });
    expect(qpdfCheck(signedPdf)).toMatchObject({ exitCode: 0 });
  });

  it('reports the seal broken once one byte inside the signed range changes', () => {
    const byteRange = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(signedPdf.toString('latin1'));
    expect(byteRange).not.toBeNull();
    const firstRangeEnd = Number(byteRange![2]);
    // A byte of the first page's content stream: the file still parses, only the digest differs.
    const contentAt = signedPdf.indexOf('stream\n') + 'stream\n'.length + 12;
    expect(contentAt).toBeLessThan(firstRangeEnd);
    const tampered = Buffer.from(signedPdf);
    tampered[contentAt] = tampered[contentAt]! ^ 0x01;
    const report = pdfSignatures(tampered);
    expect(report).not.toContain('Signature is Valid');
    expect(report).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
  });
});
