export type {
  ChangeOrderDocumentModel,
  DocumentCompany,
  LineItemFigures,
  EvidenceEvent,
  SignatureRecord,
  SigningEvidence,
} from './change-order-document.model';
export { renderChangeOrderPdf, renderDraftPreviewPdf, renderSignedChangeOrderPdf } from './render-change-order-pdf';
export { sha256Hex } from './document-hash';
export { checkDrawnSignature } from './drawn-signature';
export { checkCompanyLogo, type CompanyLogoCheck } from './company-logo';
export { loadSealCertificate, type SealCertificate, SealCertificateError } from './seal/seal-certificate';
export { sealPdf, type SealedPdf } from './seal/seal-pdf';
export { TimeStampUnavailableError } from './seal/time-stamp';
export { formatUtcTimestamp, formatInTimeZone } from './document-format';
export { pdfPageCount } from './pdf-page-count';
