export type { ChangeOrderDocumentModel, SignatureRecord } from './change-order-document.model';
export { renderChangeOrderPdf, renderSignedChangeOrderPdf } from './render-change-order-pdf';
export { sha256Hex } from './document-hash';
export { checkDrawnSignature, DRAWN_SIGNATURE_LIMITS, type DrawnSignatureCheck } from './drawn-signature';
export { toWinAnsiText } from './winansi-text';
export {
  loadSealCertificate,
  LOCAL_SEAL_COMMON_NAME,
  type SealCertificate,
  type SealCertificateSettings,
} from './seal/seal-certificate';
export { sealPdf, type SealOptions } from './seal/seal-pdf';
export { formatUtcTimestamp } from './document-format';
