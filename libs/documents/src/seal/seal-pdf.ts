import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import signpdf from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { CadesSigner } from './cades-signer';
import type { SealCertificate } from './seal-certificate';

export interface SealOptions {
  /** Recorded as the signature time (/M); pass the signing moment for reproducible output. */
  readonly sealedAt?: Date;
  readonly reason?: string;
}

/**
 * Adds a PAdES seal (ETSI.CAdES.detached), so that any later change shows in a PDF reader or
 * `pdfsig`. placeholder-plain only understands a classic cross-reference table, which is what
 * pdfkit 0.20 writes.
 */
export async function sealPdf(pdf: Buffer, certificate: SealCertificate, options: SealOptions = {}): Promise<Buffer> {
  const sealedAt = options.sealedAt ?? new Date();
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: options.reason ?? 'Sealed by Scope Ledger: the signed change order as recorded',
    contactInfo: '',
    name: certificate.subject,
    location: '',
    signingTime: sealedAt,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'ScopeLedger', // written as a PDF name: no spaces
  });
  return signpdf.sign(withPlaceholder, new CadesSigner(certificate), sealedAt);
}
