import { sha256Hex } from './document-hash';
import { renderChangeOrderPdf, renderSignedChangeOrderPdf } from './render-change-order-pdf';
import { signatureFor, twentyLineOrder } from './testing/change-order.fixture';
import { drawnSignaturePng } from './testing/png.fixture';
import { pdfPageCount, pdfToText, qpdfCheck } from './testing/poppler';

describe('change order PDF as a reader sees it', () => {
  it('shows the parties, every request and line, the schedule and the price summary of a 20-line order', async () => {
    const text = pdfToText(await renderChangeOrderPdf(twentyLineOrder()));

    expect(text).toContain('Change order CO-3');
    expect(text).toContain('Northwind Managed IT');
    expect(text).toContain('Contoso Dental Group (it@contoso-dental.example)');
    expect(text).toContain('2026-03-06 10:30:00 UTC');
    expect(text).toContain('2026-03-20 10:30:00 UTC');

    expect(text).toContain('Change requests covered (3)');
    for (const cr of ['CR-2', 'CR-3', 'CR-5']) expect(text).toContain(cr);
    expect(text).toMatch(/CR-5\s+Printer driver clean-up\s+ticket\s+Dana Whitfield\s+2026-03-05\s+No charge/);

    expect(text).toContain('Scope changes (20 lines)');
    expect(text.match(/SI-\d+ —/g)).toHaveLength(20);
    expect(text).toMatch(/CR-2\s+SI-10 — Configure Intune.*Add\s+Engineer\s+12\.50\s+USD 150\.00\s+USD 1,875\.00/);
    expect(text).toMatch(/SI-3 — Mailbox migration.*Modify\s+Technician\s+8\.25\s+USD 95\.50\s+USD 787\.88/);
    expect(text).toMatch(/SI-7 — On-premises print server.*Remove\s+Technician\s+-4\.00\s+USD 95\.50\s+-USD 382\.00/);
    expect(text).toContain('Fixed cost USD 500.00');
    expect(text).toMatch(/SI-23 — Remove stale printer.*USD 0\.00\s+drivers\s+no charge/s);
    expect(text).toContain('SI-25 — Re-permission every');
    expect(text).toMatch(/Total\s+79\.50\s+USD 11,402\.38/);

    // Baseline date, date before this order, date after it, and the change between the two.
    expect(text).toMatch(/M2 — Pilot group migrated\s+2026-04-10\s+2026-04-10\s+2026-04-15\s+\+3 working days/);
    expect(text).toMatch(/M3 — All users migrated\s+2026-05-08\s+2026-05-11\s+2026-05-14\s+\+3 working days/);
    expect(text).toMatch(/M4 — Handover\s+2026-05-29\s+2026-06-01\s+2026-06-04/);

    expect(text).toMatch(/Original contract value\s+USD 48,250\.00/);
    expect(text).toMatch(/Net change by previously signed orders\s+USD 3,125\.50/);
    expect(text).toMatch(/Contract value before this order\s+USD 51,375\.50/);
    expect(text).toMatch(/This change order \(CO-3\)\s+USD 11,402\.38/);
    expect(text).toMatch(/New contract total\s+USD 62,777\.88/);
    expect(text).toContain('absorbed by Northwind Managed IT and not billed: USD 443.25');

    expect(text).toContain('Work starts within five working days of signature.');
    expect(text).toContain('can be signed until 2026-03-20 10:30:00 UTC');
    expect(text).toMatch(/Name\s+Date \(UTC\)\s+Signature/);
    expect(text).toMatch(/Page 1 of \d/);
  });

  it('writes issued and signed copies that qpdf --check finds sound', async () => {
    const model = twentyLineOrder();
    const issued = await renderChangeOrderPdf(model);
    const signed = await renderSignedChangeOrderPdf(model, signatureFor(model, sha256Hex(issued), drawnSignaturePng()));
    expect(qpdfCheck(issued)).toMatchObject({ exitCode: 0 });
    expect(qpdfCheck(signed)).toMatchObject({ exitCode: 0 });
  });

  it('repeats the line table header on the page where the table continues', async () => {
    const pdf = await renderChangeOrderPdf(twentyLineOrder());
    const pages = pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pdfToText(pdf, { first: 2, last: 2 })).toMatch(
      /CR\s+Scope item\s+Change\s+Role\s+Hours\s+Rate per hour\s+Amount/,
    );
  });

  it('prints markup as plain text and foreign scripts as typed', async () => {
    const model = twentyLineOrder();
    // Short enough for the request table's title column, so the line is not wrapped.
    const request = { ...model.requests[0]!, title: '<script>x()</script> Zażółć 中文' };
    const text = pdfToText(await renderChangeOrderPdf({ ...model, requests: [request, ...model.requests.slice(1)] }));
    expect(text).toContain('<script>x()</script> Zażółć 中文');
  });

  it('adds the filled signature block and a certificate of completion to the signed copy', async () => {
    const model = twentyLineOrder();
    const issued = await renderChangeOrderPdf(model);
    const documentSha256 = sha256Hex(issued);
    const signed = await renderSignedChangeOrderPdf(model, signatureFor(model, documentSha256, drawnSignaturePng()));

    const pages = pdfPageCount(signed);
    expect(pages).toBe(pdfPageCount(issued) + 1);
    const allText = pdfToText(signed);
    expect(allText).toMatch(/Priya Raman\s+2026-03-09 16:45:12 UTC/);
    expect(allText).toContain('Signed electronically on 2026-03-09 16:45:12 UTC');

    const certificate = pdfToText(signed, { first: pages, last: pages });
    expect(certificate).toContain('Certificate of completion');
    expect(certificate).toMatch(/Change order\s+CO-3/);
    expect(certificate).toMatch(new RegExp(`Change order id\\s+${model.order.id}`));
    expect(certificate).toMatch(/Authentication\s+Link sent by email to priya\.raman@contoso-dental\.example/);
    expect(certificate).toMatch(/Project\s+Microsoft 365 migration/);
    expect(certificate).toMatch(new RegExp(`Document SHA-256\\s+${documentSha256}`));
    expect(certificate).toMatch(/Signer name\s+Priya Raman/);
    expect(certificate).toMatch(/Signer email\s+priya\.raman@contoso-dental\.example/);
    expect(certificate).toMatch(/IP address\s+203\.0\.113\.57/);
    expect(certificate).toContain('Mozilla/5.0 (Windows NT 10.0; Win64; x64)');
    expect(certificate).toMatch(/Sent\s+2026-03-06 10:30:02 UTC/);
    expect(certificate).toMatch(/Viewed\s+2026-03-09 16:41:55 UTC/);
    expect(certificate).toMatch(/Signed\s+2026-03-09 16:45:12 UTC/);
    expect(certificate).toContain('consent text version esign-consent-2026-01');
    expect(certificate).toContain('9c1e4d2b7a5f3e8d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d');
    expect(certificate).toContain('Typed name and drawn signature');
  });

  it('prints the name the client typed in the signature block, and whom the order went to if different', async () => {
    const model = twentyLineOrder();
    const issued = await renderChangeOrderPdf(model);
    const asSent = pdfToText(await renderSignedChangeOrderPdf(model, signatureFor(model, sha256Hex(issued))));
    expect(asSent).toContain('Signer: Priya Raman (priya.raman@contoso-dental.example)');

    const delegated = { ...signatureFor(model, sha256Hex(issued)), signerName: 'Morgan Ellery' };
    const text = pdfToText(await renderSignedChangeOrderPdf(model, delegated));
    expect(text).toMatch(/Morgan Ellery\s+2026-03-09 16:45:12 UTC/);
    expect(text).toContain('Signed by Morgan Ellery; sent to Priya Raman (priya.raman@contoso-dental.example)');
    expect(text).not.toContain('Signer: Priya Raman');
  });
});
