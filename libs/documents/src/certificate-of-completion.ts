import type { ChangeOrderDocumentModel, SignatureRecord, SigningEvidence } from './change-order-document.model';
import { formatInTimeZone, formatUtcTimestamp } from './document-format';
import type { DrawnSignatureCheck } from './drawn-signature';
import { FONT, FONT_BOLD, useFont } from './fonts';
import { accentOf } from './change-order-pages';
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
  if (model.msp.logo) {
    doc.image(Buffer.from(model.msp.logo.base64, 'base64'), left, doc.y, { fit: [120, 36] });
    doc.y += 46;
  }
  useFont(doc, FONT_BOLD, 18, accentOf(doc)).text('Certificate of completion', left, doc.y, { width });
  doc.y += 4;
  useFont(doc, FONT, 9.5, 'black').text(
    `This page records the electronic signature of change order ${model.order.number}. ` +
      'The document SHA-256 identifies the exact issued document the signer was shown; ' +
      'recompute it from the issued PDF to check that nothing was changed.',
    left,
    doc.y,
    { width },
  );
  doc.y += 10;
  const evidence = signature.evidence;
  const rows: [string, string][] = [
    ['Change order', model.order.number],
    ['Change order id', model.order.id],
    ['Project', model.project.name],
    ['Client', model.client.name],
    ['Document SHA-256', signature.documentSha256],
  ];
  if (evidence) rows.push(['Document pages', String(evidence.issuedPageCount)], ['Sender', sender(evidence)]);
  rows.push(
    ['Signer name', signature.signerName],
    ['Signer email', signature.signerEmail],
    ['Signature', signatureMethod(drawn)],
    ['Authentication', authentication(model.order.signer.email, signature)],
    ['IP address', signature.ip],
    ['User agent', signature.userAgent],
  );
  if (evidence) {
    rows.push(['Time of signing', evidence.timeSource]);
    if (evidence.signerTimeZone) rows.push(["Signer's time zone", evidence.signerTimeZone]);
  } else {
    rows.push(
      ['Sent', formatUtcTimestamp(signature.sentAt)],
      ['Viewed', signature.viewedAt ? formatUtcTimestamp(signature.viewedAt) : 'Not recorded'],
      ['Signed', formatUtcTimestamp(signature.signedAt)],
    );
  }
  rows.push([
    'Consent to sign electronically',
    `Given${signature.consentedAt ? ` ${formatUtcTimestamp(signature.consentedAt)}` : ''}; ` +
      `consent text version ${signature.consentVersion}`,
  ]);
  if (signature.streamHeadHash) rows.push(['Project audit trail head at signing', signature.streamHeadHash]);
  drawDetails(doc, 150, rows);
  if (evidence) drawSignerEvents(doc, evidence);
}

/** Each step of the signer's, oldest first: the time in UTC and in the signer's zone, and the address. */
function drawSignerEvents(doc: PDFKit.PDFDocument, evidence: SigningEvidence): void {
  const left = doc.page.margins.left;
  doc.y += 10;
  useFont(doc, FONT_BOLD, 12, accentOf(doc)).text('Signer events', left, doc.y, { width: contentWidth(doc) });
  doc.fillColor('black');
  doc.y += 4;
  const zone = evidence.signerTimeZone;
  drawDetails(
    doc,
    150,
    evidence.events.map((e) => {
      const when = formatUtcTimestamp(e.at) + (zone ? ` (${formatInTimeZone(e.at, zone)})` : '');
      const parts = [when, e.ip ? `IP ${e.ip}` : undefined, e.detail].filter((p) => p !== undefined);
      return [e.what, parts.join(' · ')];
    }),
  );
}

function sender(evidence: SigningEvidence): string {
  const { name, organisation, email, ip } = evidence.sender;
  const who = [name, organisation].filter(Boolean).join(', ');
  return [who, email, ip ? `IP ${ip}` : undefined].filter(Boolean).join(' · ');
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
