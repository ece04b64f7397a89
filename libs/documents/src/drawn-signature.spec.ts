import { deflateSync } from 'node:zlib';
import { checkDrawnSignature, DRAWN_SIGNATURE_LIMITS } from './drawn-signature';
import { drawnSignaturePng, withChunk } from './testing/png.fixture';

function header(width: number, height: number, bitDepth = 8, colourType = 6, interlace = 0): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([bitDepth, colourType, 0, 0, interlace], 8);
  return data;
}

function reasonFor(png: unknown): string {
  const check = checkDrawnSignature(png);
  if (check.usable) throw new Error('expected the image to be rejected');
  return check.reason;
}

describe('checkDrawnSignature', () => {
  it('accepts the RGBA PNG a signature pad produces and reports its size', () => {
    expect(checkDrawnSignature(drawnSignaturePng(300, 100))).toEqual({ usable: true, width: 300, height: 100 });
  });

  it('rejects data that is not a PNG', () => {
    expect(reasonFor(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]))).toBe('not a PNG image');
    expect(reasonFor(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('not a PNG image');
    expect(reasonFor('iVBORw0KGgo=')).toBe('not binary data');
    expect(reasonFor(Buffer.alloc(0))).toBe('not a PNG image');
  });

  it('rejects truncated and tampered files', () => {
    const png = drawnSignaturePng();
    expect(reasonFor(png.subarray(0, png.length - 30))).toMatch(/truncated|end marker/);
    const flipped = Buffer.from(png);
    flipped[40] ^= 0x01;
    expect(reasonFor(flipped)).toBe('PNG checksum mismatch');
  });

  it('rejects images larger than a signature needs', () => {
    const wide = withChunk(drawnSignaturePng(), 'IHDR', header(DRAWN_SIGNATURE_LIMITS.maxWidth + 1, 100));
    expect(reasonFor(wide)).toMatch(/larger than/);
    const padded = Buffer.concat([drawnSignaturePng(), Buffer.alloc(DRAWN_SIGNATURE_LIMITS.maxBytes)]);
    expect(reasonFor(padded)).toMatch(/larger than \d+ bytes/);
  });

  it('rejects pixel formats and encodings the PDF renderer would choke on', () => {
    expect(reasonFor(withChunk(drawnSignaturePng(), 'IHDR', header(300, 100, 16)))).toMatch(/8-bit/);
    expect(reasonFor(withChunk(drawnSignaturePng(), 'IHDR', header(300, 100, 8, 6, 1)))).toMatch(/interlaced/);
    expect(reasonFor(withChunk(drawnSignaturePng(), 'IHDR', header(300, 100, 8, 3)))).toMatch(/palette/);
  });

  it('rejects image data that does not decode to the declared pixels', () => {
    expect(reasonFor(withChunk(drawnSignaturePng(), 'IDAT', Buffer.from('not deflate data')))).toMatch(
      /corrupt or oversized/,
    );
    const tooShort = deflateSync(Buffer.alloc(10 * (1 + 300 * 4)));
    expect(reasonFor(withChunk(drawnSignaturePng(300, 100), 'IDAT', tooShort))).toBe(
      'image data does not match its size',
    );
    const tooLong = deflateSync(Buffer.alloc(200 * (1 + 300 * 4)));
    expect(reasonFor(withChunk(drawnSignaturePng(300, 100), 'IDAT', tooLong))).toMatch(/corrupt or oversized/);
    const badFilter = Buffer.alloc(100 * (1 + 300 * 4));
    badFilter[0] = 9;
    expect(reasonFor(withChunk(drawnSignaturePng(300, 100), 'IDAT', deflateSync(badFilter)))).toBe(
      'corrupt image scanline',
    );
  });
});
