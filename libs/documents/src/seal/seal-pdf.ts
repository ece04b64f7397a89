import signpdf from '@signpdf/signpdf';
import forge from 'node-forge';
import { CadesSigner } from './cades-signer';
import { openSealCertificate, type SealCertificate } from './seal-certificate';
import { appendSealRevision } from './seal-revision';

export interface SealOptions {
  /** Recorded as the signature time (/M); pass the signing moment for reproducible output. */
  readonly sealedAt?: Date;
  readonly reason?: string;
  /**
   * An RFC 3161 time-stamp authority. With it the seal is PAdES B-T, and a TSA that cannot be
   * reached refuses the seal (TimeStampUnavailableError) rather than sealing without a trusted time.
   */
  readonly tsaUrl?: string;
}

export interface SealedPdf {
  readonly pdf: Buffer;
  /**
   * Who vouches for the signing time: a time-stamp authority (a token in the signature), or only
   * this server's clock (the /M entry), which a certificate of completion should say as
   * "time asserted by the server".
   */
  readonly timeSource: 'time-stamp-authority' | 'server-clock';
  /** The time the authority asserts, when `timeSource` is 'time-stamp-authority'. */
  readonly timeStampedAt?: Date;
}

/** Room for the CMS: the signature, the seal's chain and a time-stamp token with the TSA's certificates. */
const SIGNATURE_ROOM_BYTES = 24_576;

/**
 * Seals a PDF: a PAdES signature (ETSI.CAdES.detached) that certifies the document with no changes
 * permitted (DocMDP /P 1), so that any later change shows in a PDF reader or `pdfsig`; with a TSA,
 * time-stamped (B-T); with a seal certificate that has a chain, the chain in a /DSS (B-LT).
 */
export async function sealPdf(
  pdf: Buffer,
  certificate: SealCertificate,
  options: SealOptions = {},
): Promise<SealedPdf> {
  const sealedAt = options.sealedAt ?? new Date();
  const { chain } = openSealCertificate(certificate);
  const prepared = appendSealRevision(pdf, {
    signerName: certificate.subject,
    reason: options.reason ?? 'Sealed by Scope Ledger: the signed change order as recorded',
    signingTime: sealedAt,
    // A lone self-signed certificate is its own chain: nothing a validator would need to look up.
    validationCertificates: chain.length > 1 ? chain.map(certificateDer) : [],
    signatureRoom: SIGNATURE_ROOM_BYTES,
  });
  const signer = new CadesSigner(certificate, options.tsaUrl);
  const sealed = await signpdf.sign(prepared, signer, sealedAt);
  return signer.timeStamp
    ? { pdf: sealed, timeSource: 'time-stamp-authority', timeStampedAt: signer.timeStamp.time }
    : { pdf: sealed, timeSource: 'server-clock' };
}

function certificateDer(certificate: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary');
}
