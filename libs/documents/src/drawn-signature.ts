import { crc32, inflateSync } from 'node:zlib';

/**
 * The drawn signature comes from an unauthenticated page, and pdfkit decodes PNG pixels in a
 * callback where a corrupt image throws outside any promise. So an image is drawn only once it
 * has been checked here down to its scanlines; otherwise the typed name stands on its own.
 */

export const DRAWN_SIGNATURE_LIMITS = { maxBytes: 512 * 1024, maxWidth: 3000, maxHeight: 1500 } as const;

export type DrawnSignatureCheck =
  | { readonly usable: true; readonly width: number; readonly height: number }
  | { readonly usable: false; readonly reason: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Channels per pixel for each PNG colour type (8 bits per channel only). */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function rejected(reason: string): DrawnSignatureCheck {
  return { usable: false, reason };
}

export function checkDrawnSignature(png: unknown): DrawnSignatureCheck {
  const { maxBytes, maxWidth, maxHeight } = DRAWN_SIGNATURE_LIMITS;
  if (!Buffer.isBuffer(png)) return rejected('not binary data');
  if (png.length > maxBytes) return rejected(`larger than ${maxBytes} bytes`);
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) return rejected('not a PNG image');

  const chunks: Array<{ type: string; data: Buffer }> = [];
  let offset = 8;
  while (offset < png.length) {
    if (offset + 12 > png.length) return rejected('truncated PNG chunk');
    const length = png.readUInt32BE(offset);
    const end = offset + 12 + length;
    if (end > png.length) return rejected('truncated PNG chunk');
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    if (crc32(typeAndData) !== png.readUInt32BE(offset + 8 + length)) return rejected('PNG checksum mismatch');
    const type = typeAndData.subarray(0, 4).toString('latin1');
    chunks.push({ type, data: typeAndData.subarray(4) });
    offset = end;
    if (type === 'IEND') break;
  }

  const header = chunks[0];
  if (!header || header.type !== 'IHDR' || header.data.length !== 13) return rejected('missing PNG header');
  if (chunks[chunks.length - 1]?.type !== 'IEND') return rejected('missing PNG end marker');
  const width = header.data.readUInt32BE(0);
  const height = header.data.readUInt32BE(4);
  const [bitDepth, colourType, compression, filter, interlace] = header.data.subarray(8);
  if (width < 1 || height < 1) return rejected('empty image');
  if (width > maxWidth || height > maxHeight) return rejected(`larger than ${maxWidth}x${maxHeight} pixels`);
  const channels = CHANNELS[colourType!];
  if (channels === undefined || bitDepth !== 8) return rejected('unsupported PNG pixel format (8-bit images only)');
  if (compression !== 0 || filter !== 0) return rejected('unknown PNG compression or filter method');
  if (interlace !== 0) return rejected('interlaced PNG images are not supported');
  if (colourType === 3 && !chunks.some((chunk) => chunk.type === 'PLTE'))
    return rejected('palette image without a palette');

  const compressed = Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data));
  if (compressed.length === 0) return rejected('no image data');
  const stride = width * channels + 1; // one filter byte leads each scanline
  const expected = stride * height;
  let pixels: Buffer;
  try {
    pixels = inflateSync(compressed, { maxOutputLength: expected });
  } catch {
    return rejected('corrupt or oversized image data');
  }
  if (pixels.length !== expected) return rejected('image data does not match its size');
  for (let row = 0; row < height; row++) if (pixels[row * stride]! > 4) return rejected('corrupt image scanline');
  return { usable: true, width, height };
}
