import type { ChangeOrderDocumentModel } from './change-order-document.model';
import { formatUtcTimestamp } from './document-format';
import { FONT, FONT_BOLD, FONT_ITALIC, useFont } from './fonts';
import { contentWidth, GREY } from './pdf-table';

/** What goes into the block once the client has signed. */
export interface SignatureBlockFill {
  readonly name: string;
  readonly signedAt: string;
  /** Only an image that passed checkDrawnSignature. */
  readonly drawnPng?: Buffer;
}

/** Fixed, and drawn the same way empty or filled, so the signed copy keeps the layout the client read. */
const SIGNATURE_BLOCK_HEIGHT = 154;

const FIELD_GAP = 12;
const SIGNATURE_AREA_HEIGHT = 56;

export function drawSignatureBlock(
  doc: PDFKit.PDFDocument,
  model: ChangeOrderDocumentModel,
  fill?: SignatureBlockFill,
) {
  const { client, order } = model;
  if (doc.y + SIGNATURE_BLOCK_HEIGHT > doc.page.maxY()) doc.addPage();
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const top = doc.y;

  useFont(doc, FONT_BOLD, 12, 'black').text('Acceptance', left, top, { width });
  useFont(doc, FONT, 9).text(
    `By signing, ${client.name} accepts this change order: ` +
      `the scope, price and schedule changes above, under the terms stated.`,
    left,
    top + 18,
    { width, height: 25, ellipsis: true },
  );

  const lineY = top + 44 + SIGNATURE_AREA_HEIGHT;
  const nameWidth = 170;
  const dateWidth = 125;
  const signatureWidth = width - nameWidth - dateWidth - 2 * FIELD_GAP;
  const fields = [
    { label: 'Name', x: left, width: nameWidth },
    { label: 'Date (UTC)', x: left + nameWidth + FIELD_GAP, width: dateWidth },
    { label: 'Signature', x: left + nameWidth + dateWidth + 2 * FIELD_GAP, width: signatureWidth },
  ] as const;

  for (const field of fields) {
    doc
      .moveTo(field.x, lineY)
      .lineTo(field.x + field.width, lineY)
      .lineWidth(0.75)
      .strokeColor('black')
      .stroke();
    useFont(doc, FONT, 8, GREY).text(field.label, field.x, lineY + 3, { width: field.width, lineBreak: false });
  }
  // Once signed, the block names who signed, as typed, and the person the order was sent to when that differs.
  const sentTo = `${order.signer.name} (${order.signer.email})`;
  const signer =
    fill && fill.name !== order.signer.name ? `Signed by ${fill.name}; sent to ${sentTo}` : `Signer: ${sentTo}`;
  useFont(doc, FONT, 8, GREY).text(signer, left, lineY + 16, { width, height: 10, ellipsis: true });

  if (fill) {
    const [nameField, dateField, signatureField] = fields;
    useFont(doc, FONT, 10, 'black')
      .text(fill.name, nameField.x, lineY - 14, { width: nameField.width, height: 12, ellipsis: true })
      .text(formatUtcTimestamp(fill.signedAt), dateField.x, lineY - 14, { width: dateField.width, lineBreak: false });
    if (fill.drawnPng) {
      doc.image(fill.drawnPng, signatureField.x, lineY - SIGNATURE_AREA_HEIGHT, {
        fit: [signatureField.width, SIGNATURE_AREA_HEIGHT - 4],
        valign: 'bottom',
      });
    } else {
      const area = { width: signatureField.width, height: 20, ellipsis: true };
      useFont(doc, FONT_ITALIC, 16).text(fill.name, signatureField.x, lineY - 22, area);
    }
  }

  const note = fill
    ? `Signed electronically on ${formatUtcTimestamp(fill.signedAt)}. ` +
      `The certificate of completion on the last page records how.`
    : `To accept, sign electronically through the link sent to ${order.signer.email} ` +
      `before ${formatUtcTimestamp(order.expiresAt)}.`;
  useFont(doc, FONT, 8, GREY).text(note, left, lineY + 30, { width, height: 22, ellipsis: true });

  doc.fillColor('black');
  doc.x = left;
  doc.y = top + SIGNATURE_BLOCK_HEIGHT;
}
