import PDFDocument from 'pdfkit';
import { checkDrawnSignature } from './drawn-signature';

export type CompanyLogoCheck =
  | {
      readonly usable: true;
      readonly mediaType: 'image/png' | 'image/jpeg';
      readonly width: number;
      readonly height: number;
    }
  | { readonly usable: false; readonly reason: string };

/** pdfkit parses an image without drawing it; its typings leave the method out. */
interface ImageOpener {
  openImage(source: Buffer): { width: number; height: number };
}

const JPEG_START = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * Whether a logo can go on every order issued from now on: a PNG checked down to its scanlines (pdfkit decodes
 * PNG pixels where a corrupt image cannot be caught), or a JPEG whose frame header pdfkit reads.
 */
export function checkCompanyLogo(bytes: Buffer): CompanyLogoCheck {
  if (bytes.subarray(0, 3).equals(JPEG_START)) {
    try {
      const doc = new PDFDocument({ autoFirstPage: false }) as unknown as ImageOpener;
      const image = doc.openImage(bytes);
      if (!(image.width > 0 && image.height > 0)) return { usable: false, reason: 'the JPEG image has no size' };
      return { usable: true, mediaType: 'image/jpeg', width: image.width, height: image.height };
    } catch (error) {
      return { usable: false, reason: `the JPEG image cannot be read (${(error as Error).message})` };
    }
  }
  const png = checkDrawnSignature(bytes);
  if (!png.usable)
    return { usable: false, reason: png.reason === 'not a PNG image' ? 'not a PNG or JPEG image' : png.reason };
  return { usable: true, mediaType: 'image/png', width: png.width, height: png.height };
}
