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
  // Before signing: the signature covers the whole file, trailer included.
  return signpdf.sign(withStartxrefOnItsXref(withPlaceholder), new CadesSigner(certificate), sealedAt);
}

/**
 * placeholder-plain 3.3 gives as startxref the offset of the line break before the cross-reference
 * section it appends, one byte short: readers recover, but `qpdf --check` calls the file damaged.
 * Points startxref at the section itself.
 */
function withStartxrefOnItsXref(pdf: Buffer): Buffer {
  const startxref = pdf.lastIndexOf('startxref\n');
  const xref = pdf.lastIndexOf('\nxref\n', startxref) + 1;
  if (startxref < 0 || xref === 0) throw new Error('The PDF has no cross-reference table to seal against');
  return Buffer.concat([pdf.subarray(0, startxref), Buffer.from(`startxref\n${xref}\n%%EOF`)]);
}
