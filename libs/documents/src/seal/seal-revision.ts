import { DEFAULT_BYTE_RANGE_PLACEHOLDER, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';

/** What the revision that carries the seal says about it. */
export interface SealRevisionFields {
  readonly signerName: string;
  readonly reason: string;
  /** Written as /M, the signing time a reader shows when the signature carries no time-stamp. */
  readonly signingTime: Date;
  /** Certificates (DER) for the document security store; none leaves the store out. */
  readonly validationCertificates: readonly Buffer[];
  /** Bytes reserved for the CMS signature in /Contents. */
  readonly signatureRoom: number;
}

/**
 * Appends, as an incremental update, the revision that the seal signs: a certification signature
 * (DocMDP, /P 1: no changes permitted) with a ByteRange and Contents placeholder for @signpdf/signpdf,
 * its invisible field, and, when the seal has a chain, a /DSS holding it (PAdES B-LT).
 *
 * The DSS goes into this same revision, before signing, rather than into a revision after it as
 * PAdES usually adds it: the signature then covers the whole file, a reader that follows DocMDP
 * strictly finds nothing appended, and anything appended later stands out. Revocation data is left
 * out: it would have to be fetched from the issuers at signing time, and the seal does not go online
 * for it. /VRI is left out too: it is keyed by a hash of the signature value, unknown before signing.
 *
 * Objects are read with plain string operations, which is enough for the classic cross-reference
 * tables and uncompressed dictionaries that pdfkit 0.20 writes.
 */
export function appendSealRevision(pdf: Buffer, fields: SealRevisionFields): Buffer {
  const trailer = readTrailer(pdf);
  const offsets = objectOffsets(pdf, trailer.startxref);
  const catalogNumber = objectNumber(trailer.root);
  const catalog = dictionaryOf(pdf, offsets, catalogNumber);
  for (const key of ['/AcroForm', '/Perms', '/DSS']) {
    if (new RegExp(`${key}\\b`).test(catalog)) throw new Error(`The PDF to seal already has ${key} in its catalog`);
  }
  const pageNumber = firstPage(pdf, offsets, catalog);

  let next = trailer.size;
  const number = () => next++;
  const signature = number();
  const field = number();
  const form = number();
  const certificates = fields.validationCertificates.map((certificate) => ({ number: number(), certificate }));
  const store = certificates.length > 0 ? number() : undefined;

  const objects = new Map<number, Buffer>([
    [signature, text(signatureDictionary(fields))],
    [field, text(fieldWidget(signature, pageNumber))],
    [form, text(`<<\n/Fields [${field} 0 R]\n/SigFlags 3\n>>`)],
    [pageNumber, text(withWidget(dictionaryOf(pdf, offsets, pageNumber), field))],
  ]);
  for (const { number: certificateNumber, certificate } of certificates) {
    objects.set(certificateNumber, stream(certificate));
  }
  const added = [`/AcroForm ${form} 0 R`, `/Perms <<\n/DocMDP ${signature} 0 R\n>>`];
  if (store !== undefined) {
    objects.set(store, text(`<<\n/Type /DSS\n/Certs [${certificates.map((c) => `${c.number} 0 R`).join(' ')}]\n>>`));
    added.push(`/DSS ${store} 0 R`);
  }
  objects.set(catalogNumber, text(`<<${catalog.trimEnd()}\n${added.join('\n')}\n>>`));

  return appendRevision(pdf, trailer, objects, next);
}

/** The seal's field and its widget in one: invisible, printable and locked (/F 132), on the first page. */
function fieldWidget(signature: number, page: number): string {
  const entries = ['/Type /Annot', '/Subtype /Widget', '/FT /Sig', '/T (Seal)', '/F 132', '/Rect [0 0 0 0]'];
  return `<<\n${[...entries, `/V ${signature} 0 R`, `/P ${page} 0 R`].join('\n')}\n>>`;
}

function signatureDictionary(fields: SealRevisionFields): string {
  const byteRange = `/${DEFAULT_BYTE_RANGE_PLACEHOLDER}`;
  return [
    '<<',
    '/Type /Sig',
    '/Filter /Adobe.PPKLite',
    `/SubFilter /${SUBFILTER_ETSI_CADES_DETACHED}`,
    // Placeholders that signpdf fills in; /Contents must come after /ByteRange for it to find them.
    `/ByteRange [0 ${byteRange} ${byteRange} ${byteRange}]`,
    `/Contents <${'0'.repeat(fields.signatureRoom * 2)}>`,
    `/Reason ${pdfString(fields.reason)}`,
    `/M (D:${pdfDate(fields.signingTime)})`,
    `/Name ${pdfString(fields.signerName)}`,
    // The lock: a certification signature that permits no change at all after it (ISO 32000-1, 12.8.2.2).
    '/Reference [<<\n/Type /SigRef\n/TransformMethod /DocMDP',
    '/TransformParams <<\n/Type /TransformParams\n/P 1\n/V /1.2\n>>\n>>]',
    '/Prop_Build <<\n/App <<\n/Name /ScopeLedger\n>>\n>>',
    '>>',
  ].join('\n');
}

interface Trailer {
  readonly size: number;
  readonly root: string;
  readonly info?: string;
  readonly id?: string;
  readonly startxref: number;
}

function readTrailer(pdf: Buffer): Trailer {
  const tail = pdf.subarray(pdf.lastIndexOf('trailer')).toString('latin1');
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)?.[1];
  const size = /\/Size\s+(\d+)/.exec(tail)?.[1];
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(tail)?.[1];
  if (!startxref || !size || !root) throw new Error('The PDF to seal has no classic trailer with /Size and /Root');
  return {
    size: Number(size),
    root,
    info: /\/Info\s+(\d+\s+\d+\s+R)/.exec(tail)?.[1],
    id: /\/ID\s*(\[[^\]]*\])/.exec(tail)?.[1],
    startxref: Number(startxref),
  };
}

/** Where each object starts, from the newest cross-reference section back through /Prev. */
function objectOffsets(pdf: Buffer, startxref: number): Map<number, number> {
  const offsets = new Map<number, number>();
  let section: number | undefined = startxref;
  while (section !== undefined) {
    const end = pdf.indexOf('trailer', section);
    const lines = pdf
      .subarray(section, end)
      .toString('latin1')
      .split(/\r\n|\r|\n/);
    if (lines[0]?.trim() !== 'xref') throw new Error(`The PDF to seal has no cross-reference table at ${section}`);
    let objectNumber = 0;
    for (const line of lines.slice(1)) {
      const header = /^(\d+) \d+\s*$/.exec(line);
      const entry = /^(\d{10}) \d{5} ([nf])/.exec(line);
      if (header) objectNumber = Number(header[1]);
      else if (entry) {
        if (entry[2] === 'n' && !offsets.has(objectNumber)) offsets.set(objectNumber, Number(entry[1]));
        objectNumber += 1;
      }
    }
    const prev = /\/Prev\s+(\d+)/.exec(pdf.subarray(end, pdf.indexOf('startxref', end)).toString('latin1'));
    section = prev ? Number(prev[1]) : undefined;
  }
  return offsets;
}

/** The inside of an object's dictionary, without its << >>. */
function dictionaryOf(pdf: Buffer, offsets: Map<number, number>, number: number): string {
  const offset = offsets.get(number);
  if (offset === undefined) throw new Error(`The PDF to seal has no object ${number}`);
  const object = pdf.subarray(offset, pdf.indexOf('endobj', offset)).toString('latin1');
  const match = new RegExp(`^${number}\\s+\\d+\\s+obj\\s*<<([\\s\\S]*)>>\\s*$`).exec(object);
  if (!match) throw new Error(`Object ${number} of the PDF to seal is not a plain dictionary`);
  return match[1]!;
}

function firstPage(pdf: Buffer, offsets: Map<number, number>, catalog: string): number {
  const pages = /\/Pages\s+(\d+)\s+\d+\s+R/.exec(catalog);
  const kid = pages && /\/Kids\s*\[\s*(\d+)\s+\d+\s+R/.exec(dictionaryOf(pdf, offsets, Number(pages[1])));
  if (!kid) throw new Error('The PDF to seal has no page to hold the seal field');
  return Number(kid[1]);
}

function withWidget(page: string, widget: number): string {
  if (/\/Annots\s+\d+\s+\d+\s+R/.test(page)) throw new Error('The page that takes the seal field has indirect /Annots');
  const annots = /\/Annots\s*\[([^\]]*)\]/.exec(page);
  if (!annots) return `<<${page.trimEnd()}\n/Annots [${widget} 0 R]\n>>`;
  const list = `/Annots [${annots[1]!.trim()} ${widget} 0 R]`;
  return `<<${page.slice(0, annots.index)}${list}${page.slice(annots.index + annots[0].length)}>>`;
}

function appendRevision(pdf: Buffer, trailer: Trailer, objects: Map<number, Buffer>, size: number): Buffer {
  const parts: Buffer[] = [pdf];
  let length = pdf.length;
  const add = (part: Buffer) => {
    parts.push(part);
    length += part.length;
  };
  const offsets = new Map<number, number>();
  for (const [number, body] of objects) {
    add(text('\n'));
    offsets.set(number, length);
    add(Buffer.concat([text(`${number} 0 obj\n`), body, text('\nendobj')]));
  }
  add(text('\n'));
  const xref = length;
  const trailerEntries = [
    `/Size ${size}`,
    `/Root ${trailer.root}`,
    ...(trailer.info ? [`/Info ${trailer.info}`] : []),
    ...(trailer.id ? [`/ID ${trailer.id}`] : []),
    `/Prev ${trailer.startxref}`,
  ];
  add(
    text(`xref\n${xrefSubsections(offsets)}trailer\n<<\n${trailerEntries.join('\n')}\n>>\nstartxref\n${xref}\n%%EOF`),
  );
  return Buffer.concat(parts);
}

/** One subsection per run of consecutive object numbers; each entry exactly 20 bytes. */
function xrefSubsections(offsets: Map<number, number>): string {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  let out = '';
  let runStart = 0;
  for (let i = 1; i <= numbers.length; i++) {
    if (i < numbers.length && numbers[i] === numbers[i - 1]! + 1) continue;
    const run = numbers.slice(runStart, i);
    out += `${run[0]} ${run.length}\n`;
    for (const number of run) out += `${String(offsets.get(number)).padStart(10, '0')} 00000 n \n`;
    runStart = i;
  }
  return out;
}

function objectNumber(reference: string): number {
  return Number(reference.split(/\s+/)[0]);
}

function stream(bytes: Buffer): Buffer {
  return Buffer.concat([text(`<<\n/Length ${bytes.length}\n>>\nstream\n`), bytes, text('\nendstream')]);
}

function text(value: string): Buffer {
  return Buffer.from(value, 'latin1');
}

/** A PDF text string: literal when plain ASCII, otherwise UTF-16BE with a byte order mark, in hex. */
function pdfString(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return `(${value.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  const utf16 = Buffer.from(`\ufeff${value}`, 'utf16le').swap16();
  return `<${utf16.toString('hex')}>`;
}

function pdfDate(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}
