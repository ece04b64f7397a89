import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import PDFDocument from 'pdfkit';

export interface ReproduciblePdfOptions {
  /** CreationDate and ModDate. */
  readonly createdAt: Date;
  /** Any JSON-like value that identifies the content; its hash becomes the file /ID. */
  readonly identity: unknown;
  readonly title: string;
}

/**
 * A pdfkit document whose bytes depend only on what is drawn into it: the creation date and
 * the trailer /ID are pinned, because the client signs the issued document's SHA-256 and it
 * must be reproducible from the project stream.
 */
export function createReproduciblePdf(options: ReproduciblePdfOptions): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    pdfVersion: '1.7',
    // Deflate output differs across zlib builds, which would tie the bytes to a runtime (a
    // 20-line order is about 40 KB uncompressed). pdfkit still deflates a drawn signature.
    compress: false,
    // Page numbers are written once all pages exist.
    bufferPages: true,
    info: {
      // pdfkit copies Title into the XMP packet without escaping.
      Title: options.title.replace(/[<>&"']/g, ''),
      Creator: 'Scope Ledger',
      Producer: 'Scope Ledger (PDFKit)',
      CreationDate: options.createdAt,
      ModDate: options.createdAt,
    },
  });
  const internals = doc as unknown as { _id?: unknown };
  // pdfkit 0.20 keeps the trailer /ID in `_id`; fail loudly if a later version moves it.
  if (!(internals._id instanceof Uint8Array)) {
    throw new Error('pdfkit no longer exposes the file identifier; reproducible output cannot be guaranteed');
  }
  internals._id = fileIdentifier(options.identity);
  return doc;
}

/** 16 bytes (the size PDF readers expect) of the SHA-256 of its canonical JSON, binary parts by their digest. */
export function fileIdentifier(identity: unknown): Uint8Array {
  const json = canonicalize(withDigests(identity)) ?? 'null';
  return new Uint8Array(createHash('sha256').update(json).digest().subarray(0, 16));
}

function withDigests(value: unknown): unknown {
  if (value instanceof Uint8Array) return { sha256: createHash('sha256').update(value).digest('hex') };
  if (Array.isArray(value)) return value.map(withDigests);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withDigests(item)]));
}

/** Ends the document and collects its bytes. */
export function finishPdf(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
