import type { ChangeOrderDocumentModel, SignatureRecord } from './change-order-document.model';
import { formatUtcTimestamp } from './document-format';
import type { DrawnSignatureCheck } from './drawn-signature';
import { FONT, FONT_BOLD, drawTable, type TableRow } from './pdf-table';

/**
 * The last page of a signed change order: the evidence of who signed which document,
 * when, from where, and under which consent text. Expects printable text (toWinAnsiDeep).
 */
export function drawCertificateOfCompletion(
  doc: PDFKit.PDFDocument,
  model: ChangeOrderDocumentModel,
  signature: SignatureRecord,
  drawn: DrawnSignatureCheck | undefined,
): void {
  doc.addPage();
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  doc.font(FONT_BOLD).fontSize(18).fillColor('black').text('Certificate of completion', left, doc.y, { width });
  doc.y += 4;
  doc
    .font(FONT)
    .fontSize(9.5)
    .text(
      `This page records the electronic signature of change order ${model.order.number}. ` +
        'The document SHA-256 identifies the exact issued document the signer was shown; ' +
        'recompute it from the issued PDF to check that nothing was changed.',
      left,
      doc.y,
      { width },
    );
  doc.y += 10;

  const rows: TableRow[] = [
    { cells: ['Change order', model.order.number] },
    { cells: ['Project', model.project.name] },
    { cells: ['Client', model.client.name] },
    { cells: ['Document SHA-256', signature.documentSha256] },
    { cells: ['Signer name', signature.signerName] },
    { cells: ['Signer email', signature.signerEmail] },
    { cells: ['Signature', signatureMethod(drawn)] },
    { cells: ['IP address', signature.ip] },
    { cells: ['User agent', signature.userAgent] },
    { cells: ['Sent', formatUtcTimestamp(signature.sentAt)] },
    { cells: ['Viewed', signature.viewedAt ? formatUtcTimestamp(signature.viewedAt) : 'Not recorded'] },
    { cells: ['Signed', formatUtcTimestamp(signature.signedAt)] },
    { cells: ['Consent to sign electronically', `Given; consent text version ${signature.consentVersion}`] },
  ];
  if (signature.streamHeadHash) {
    rows.push({ cells: ['Project audit trail head at signing', signature.streamHeadHash] });
  }
  drawTable(
    doc,
    [
      { header: '', width: 150 },
      { header: '', width: width - 150 },
    ],
    rows,
    { showHeader: false, boldFirstColumn: true },
  );
}

function signatureMethod(drawn: DrawnSignatureCheck | undefined): string {
  if (!drawn) return 'Typed name';
  if (drawn.usable) return 'Typed name and drawn signature';
  return `Typed name (the drawn signature was not used: ${drawn.reason})`;
}
