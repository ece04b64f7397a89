import type { ChangeOrderDocumentModel, SignatureRecord } from './change-order-document.model';
import { formatUtcTimestamp } from './document-format';
import type { DrawnSignatureCheck } from './drawn-signature';
import { FONT, FONT_BOLD, useFont } from './fonts';
import { contentWidth, drawDetails } from './pdf-table';

/**
 * The last page of a signed change order: the evidence of who signed which document,
 * when, from where, and under which consent text. Expects printable text (printableDeep).
 */
export function drawCertificateOfCompletion(
  doc: PDFKit.PDFDocument,
  model: ChangeOrderDocumentModel,
  signature: SignatureRecord,
  drawn: DrawnSignatureCheck | undefined,
): void {
  doc.addPage();
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  useFont(doc, FONT_BOLD, 18, 'black').text('Certificate of completion', left, doc.y, { width });
  doc.y += 4;
  useFont(doc, FONT, 9.5).text(
    `This page records the electronic signature of change order ${model.order.number}. ` +
      'The document SHA-256 identifies the exact issued document the signer was shown; ' +
      'recompute it from the issued PDF to check that nothing was changed.',
    left,
    doc.y,
    { width },
  );
  doc.y += 10;
  const rows: [string, string][] = [
    ['Change order', model.order.number],
    ['Change order id', model.order.id],
    ['Project', model.project.name],
    ['Client', model.client.name],
    ['Document SHA-256', signature.documentSha256],
    ['Signer name', signature.signerName],
    ['Signer email', signature.signerEmail],
    ['Signature', signatureMethod(drawn)],
    ['Authentication', authentication(model.order.signer.email, signature)],
    ['IP address', signature.ip],
    ['User agent', signature.userAgent],
    ['Sent', formatUtcTimestamp(signature.sentAt)],
    ['Viewed', signature.viewedAt ? formatUtcTimestamp(signature.viewedAt) : 'Not recorded'],
    ['Signed', formatUtcTimestamp(signature.signedAt)],
    [
      'Consent to sign electronically',
      `Given${signature.consentedAt ? ` ${formatUtcTimestamp(signature.consentedAt)}` : ''}; ` +
        `consent text version ${signature.consentVersion}`,
    ],
  ];
  if (signature.streamHeadHash) rows.push(['Project audit trail head at signing', signature.streamHeadHash]);
  drawDetails(doc, 150, rows);
}

function authentication(email: string, signature: SignatureRecord): string {
  const verification = signature.signerVerification;
  if (verification?.method === 'email_code' && verification.verifiedAt)
    return `Email one-time code sent to ${email}, entered ${formatUtcTimestamp(verification.verifiedAt)}`;
  return `Link sent by email to ${email}; no further check`;
}

function signatureMethod(drawn: DrawnSignatureCheck | undefined): string {
  if (!drawn) return 'Typed name';
  if (drawn.usable) return 'Typed name and drawn signature';
  return `Typed name (the drawn signature was not used: ${drawn.reason})`;
}
