import { drawCertificateOfCompletion } from './certificate-of-completion';
import type { ChangeOrderDocumentModel, SignatureRecord } from './change-order-document.model';
import { drawChangeOrderPages, drawDraftMarks, drawPageFooters } from './change-order-pages';
import { requireInstant } from './document-format';
import { checkDrawnSignature } from './drawn-signature';
import { createReproduciblePdf, finishPdf } from './reproducible-pdf';
import { printableDeep } from './printable-text';

/** Fields whose line breaks are kept when drawn. */
const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['terms', 'address']);

/** The change order as issued to the client. Same model, same bytes. */
export async function renderChangeOrderPdf(model: ChangeOrderDocumentModel): Promise<Buffer> {
  const doc = createReproduciblePdf({
    createdAt: requireInstant(model.order.issuedAt, 'order.issuedAt'),
    identity: { document: 'change-order', model },
    title: `Change order ${model.order.number}`,
  });
  const printable = printableDeep(model, MULTILINE_FIELDS);
  drawChangeOrderPages(doc, printable);
  drawPageFooters(doc, printable);
  return finishPdf(doc);
}

/**
 * A draft as it would be issued now, marked "DRAFT — not for signature" on every page, with no signature block
 * and no signing link. For staff to read before issuing; never stored or hashed into an event.
 */
export async function renderDraftPreviewPdf(model: ChangeOrderDocumentModel): Promise<Buffer> {
  const doc = createReproduciblePdf({
    createdAt: requireInstant(model.order.issuedAt, 'order.issuedAt'),
    identity: { document: 'change-order-draft-preview', model },
    title: `Change order ${model.order.number} (draft, not for signature)`,
  });
  const printable = printableDeep(model, MULTILINE_FIELDS);
  drawChangeOrderPages(doc, printable, undefined, { draft: true });
  drawPageFooters(doc, printable);
  drawDraftMarks(doc);
  return finishPdf(doc);
}

/** The issued pages with the signature block filled, then the certificate of completion; dated when signed. */
export async function renderSignedChangeOrderPdf(
  model: ChangeOrderDocumentModel,
  signature: SignatureRecord,
): Promise<Buffer> {
  const doc = createReproduciblePdf({
    createdAt: requireInstant(signature.signedAt, 'signature.signedAt'),
    identity: { document: 'signed-change-order', model, signature },
    title: `Change order ${model.order.number} (signed)`,
  });
  const drawn =
    signature.drawnSignaturePng === undefined ? undefined : checkDrawnSignature(signature.drawnSignaturePng);
  const printable = printableDeep(model, MULTILINE_FIELDS);
  const printableSignature = printableDeep(signature);
  drawChangeOrderPages(doc, printable, {
    name: printableSignature.signerName,
    signedAt: signature.signedAt,
    ...(drawn?.usable ? { drawnPng: signature.drawnSignaturePng } : {}),
  });
  drawCertificateOfCompletion(doc, printable, printableSignature, drawn);
  drawPageFooters(doc, printable);
  return finishPdf(doc);
}
