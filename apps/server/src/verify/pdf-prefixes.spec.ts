import { createHash } from 'node:crypto';
import { earlierVersionLengths, looksLikePdf, prefixHashes } from './pdf-prefixes';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the earlier versions inside a PDF', () => {
  const original = Buffer.from('%PDF-1.7\n1 0 obj\n<< >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
  const update = Buffer.from('2 0 obj\n(more)\nendobj\nstartxref\n99\n%%EOF\r\n', 'latin1');
  const updated = Buffer.concat([original, update]);

  it('are found after each %%EOF marker, with and without its end of line, never the whole file', () => {
    const marker = original.length - '\n'.length;
    const secondMarker = updated.length - '\r\n'.length;
    expect(earlierVersionLengths(updated)).toEqual([marker, original.length, secondMarker, secondMarker + 1]);
  });

  it('are found at the end of what a signature covers, /ByteRange [0 a b c] ending at b + c', () => {
    const sealed = Buffer.from('%PDF-1.7\n/ByteRange [0 10 20 30 ]\n'.padEnd(50, ' '), 'latin1');
    const appended = Buffer.concat([sealed, Buffer.from('appended')]);
    expect(earlierVersionLengths(appended)).toEqual([50]);
  });

  it('hash each prefix as a whole file of that length would hash', () => {
    const hashes = prefixHashes(updated, earlierVersionLengths(updated));
    expect(hashes.get(original.length)).toBe(sha256(original));
    for (const [length, hash] of hashes) expect(hash).toBe(sha256(updated.subarray(0, length)));
  });

  it('tell a PDF by its header in the first kilobyte', () => {
    expect(looksLikePdf(original)).toBe(true);
    expect(looksLikePdf(Buffer.from('plain text, not a document'))).toBe(false);
  });
});
