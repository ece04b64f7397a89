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
 * Adds a PAdES seal (subfilter ETSI.CAdES.detached) so that any later change to the PDF
 * shows up in a PDF reader or in `pdfsig`.
 *
 * placeholder-plain edits the finished file with string operations and only understands a
 * classic cross-reference table; pdfkit 0.20 writes exactly that (it has no xref or object
 * streams; its `compress` option only deflates page content), so documents from this
 * library can be sealed as they come.
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
