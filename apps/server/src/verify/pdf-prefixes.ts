import { createHash } from 'node:crypto';

/** Readers accept the header anywhere in the first kilobyte (ISO 32000-1, 7.5.2 and its implementation notes). */
const HEADER_WINDOW = 1024;
/** Enough for any honest chain of incremental updates; a file of nothing but markers costs no more than this. */
const MAX_EOF_MARKERS = 200;
const MAX_BYTE_RANGES = 20;
const EOF = Buffer.from('%%EOF');
const BYTE_RANGE = Buffer.from('/ByteRange');
/** `/ByteRange [0 a b c]`: a signature covers bytes [0, a) and [b, b + c), so a sealed file is b + c bytes long. */
const BYTE_RANGE_ARRAY = /^\/ByteRange\s*\[\s*0\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/;

export function looksLikePdf(file: Buffer): boolean {
  return file.subarray(0, HEADER_WINDOW).includes('%PDF-');
}

/**
 * Where an earlier version of the file may end: after each signature's byte range, and after each
 * `%%EOF` marker (with or without its end of line). A PDF changed by incremental updates keeps the
 * earlier version's bytes unchanged at its start, so hashing these prefixes finds the document it
 * was made from. Shortest first, each once, shorter than the file.
 */
export function earlierVersionLengths(file: Buffer): number[] {
  const lengths = new Set<number>();
  for (const length of [...signedLengths(file), ...eofLengths(file)]) if (length < file.length) lengths.add(length);
  return [...lengths].sort((a, b) => a - b);
}

function signedLengths(file: Buffer): number[] {
  const lengths: number[] = [];
  for (let at = file.indexOf(BYTE_RANGE); at >= 0 && lengths.length < MAX_BYTE_RANGES;) {
    const range = BYTE_RANGE_ARRAY.exec(file.subarray(at, at + 80).toString('latin1'));
    if (range) lengths.push(Number(range[2]) + Number(range[3]));
    at = file.indexOf(BYTE_RANGE, at + BYTE_RANGE.length);
  }
  return lengths;
}

function eofLengths(file: Buffer): number[] {
  const lengths: number[] = [];
  for (let at = file.indexOf(EOF), seen = 0; at >= 0 && seen < MAX_EOF_MARKERS; seen++) {
    const end = at + EOF.length;
    for (let n = 0; n <= endOfLineLength(file, end); n++) lengths.push(end + n);
    at = file.indexOf(EOF, end);
  }
  return lengths;
}

/** CR LF, LF or CR at `at`, or none. */
function endOfLineLength(file: Buffer, at: number): number {
  if (file[at] === 0x0d) return file[at + 1] === 0x0a ? 2 : 1;
  return file[at] === 0x0a ? 1 : 0;
}

/** The SHA-256 (hex) of each prefix of these lengths, in one pass over the file. */
export function prefixHashes(file: Buffer, lengths: readonly number[]): Map<number, string> {
  const hashes = new Map<number, string>();
  const hash = createHash('sha256');
  let hashed = 0;
  for (const length of [...lengths].sort((a, b) => a - b)) {
    hash.update(file.subarray(hashed, length));
    hashed = length;
    hashes.set(length, hash.copy().digest('hex'));
  }
  return hashes;
}
