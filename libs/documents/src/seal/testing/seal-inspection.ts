import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

const SIGNATURE_TIME_STAMP_TOKEN = '1.2.840.113549.1.9.16.2.14';

/** What a verifier takes out of a sealed PDF: the bytes the seal covers, and its CMS and parts. */
export interface SealContents {
  /** The two signed ranges of /ByteRange, joined. */
  readonly covered: Buffer;
  /** The CMS ContentInfo (DER), without the zero padding of /Contents. */
  readonly cms: Buffer;
  /** The SignerInfo's signature value: what a signature time-stamp is over. */
  readonly signatureValue: Buffer;
  /** The RFC 3161 token in the unsigned attribute signature-time-stamp, if any. */
  readonly timeStampToken?: Buffer;
}

export function readSeal(sealed: Buffer): SealContents {
  const text = sealed.toString('latin1');
  const match = /\/ByteRange \[(\d+) +(\d+) +(\d+) +(\d+) *\]/.exec(text);
  if (!match) throw new Error('No /ByteRange in the PDF');
  const [start, firstLength, second, secondLength] = match.slice(1).map(Number) as [number, number, number, number];
  const covered = Buffer.concat([
    sealed.subarray(start, start + firstLength),
    sealed.subarray(second, second + secondLength),
  ]);
  const padded = Buffer.from(text.slice(start + firstLength + 1, second - 1), 'hex');
  // The placeholder is zero-padded after the CMS; forge reads past that with parseAllBytes off
  // (an option its type declarations do not list yet).
  const fromDer = forge.asn1.fromDer as unknown as (bytes: string, options: object) => forge.asn1.Asn1;
  const contentInfo = fromDer(padded.toString('binary'), { parseAllBytes: false });
  const cms = Buffer.from(forge.asn1.toDer(contentInfo).getBytes(), 'binary');

  const signedData = children(children(contentInfo)[1]!)[0]!;
  const signerInfo = children(children(signedData).at(-1)!)[0]!;
  const fields = children(signerInfo);
  const signatureValue = Buffer.from(fields[5]!.value as string, 'binary');
  const unsigned = fields[6] && children(fields[6]);
  const stamp = unsigned?.find((attribute) => oidOf(children(attribute)[0]!) === SIGNATURE_TIME_STAMP_TOKEN);
  const timeStampToken = stamp && der(children(children(stamp)[1]!)[0]!);
  return { covered, cms, signatureValue, ...(timeStampToken ? { timeStampToken } : {}) };
}

/** `openssl cms -verify` of the seal over the bytes it covers, against the given trust anchors. */
export function opensslCmsVerify(sealed: Buffer, caFile: string): { exitCode: number | null; output: string } {
  const { covered, cms } = readSeal(sealed);
  return run('openssl', { 'covered.bin': covered, 'cms.der': cms }, (file) => [
    ...['cms', '-verify', '-binary', '-inform', 'DER', '-in', file('cms.der'), '-content', file('covered.bin')],
    ...['-CAfile', caFile, '-purpose', 'any', '-out', file('content.out')],
  ]);
}

/** `openssl ts -verify` of the seal's time-stamp token against the signature value it time-stamps. */
export function opensslTsVerify(sealed: Buffer, tsaCaFile: string): { exitCode: number | null; output: string } {
  const { signatureValue, timeStampToken } = readSeal(sealed);
  if (!timeStampToken) throw new Error('The seal carries no time-stamp token');
  return run('openssl', { 'signature.bin': signatureValue, 'token.der': timeStampToken }, (file) => [
    ...['ts', '-verify', '-data', file('signature.bin'), '-in', file('token.der'), '-token_in'],
    ...['-CAfile', tsaCaFile],
  ]);
}

/** `openssl ts -reply -text` of the token: its time, policy, nonce and TSA in words. */
export function opensslTsText(token: Buffer): string {
  return run('openssl', { 'token.der': token }, (file) => [
    'ts',
    '-reply',
    '-in',
    file('token.der'),
    '-token_in',
    '-text',
  ]).output;
}

/** The PDF's objects as qpdf reads them (`qpdf --json=2`), keyed "trailer" and "obj:N 0 R". */
export function qpdfObjects(pdf: Buffer): Record<string, { value?: unknown; stream?: { dict: unknown } }> {
  const result = run('qpdf', { 'document.pdf': pdf }, (file) => [
    ...['--json=2', '--json-key=qpdf', '--json-stream-data=inline', file('document.pdf')],
  ]);
  const json = JSON.parse(result.output) as { qpdf: [unknown, Record<string, { value?: unknown }>] };
  return json.qpdf[1];
}

/**
 * A seal certificate with a chain, as a company would configure one: a P12 (made by
 * `openssl pkcs12 -export`) holding the key, its certificate, an intermediate and the root.
 * Returns the P12 and the root's PEM file, to verify against.
 */
export function chainedSealP12(dir: string, passphrase: string): { p12: Buffer; rootFile: string } {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => {
    const result = spawnSync('openssl', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
  };
  writeFileSync(file('ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  writeFileSync(
    file('seal.ext'),
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n',
  );
  openssl(
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=Test Root CA'],
    ...['-keyout', file('root.key'), '-out', file('root.pem')],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  );
  const issue = (name: string, subject: string, issuer: string, extensions: string) => {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
    );
    openssl(
      ...['x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${issuer}.pem`), '-CAkey', file(`${issuer}.key`)],
      ...['-CAcreateserial', '-days', '30', '-extfile', file(extensions), '-out', file(`${name}.pem`)],
    );
  };
  issue('intermediate', '/CN=Test Intermediate CA', 'root', 'ca.ext');
  issue('seal', '/O=Example MSP/CN=Example MSP document seal', 'intermediate', 'seal.ext');
  writeFileSync(
    file('chain.pem'),
    Buffer.concat(['intermediate.pem', 'root.pem'].map((name) => readFileSync(file(name)))),
  );
  openssl(
    ...['pkcs12', '-export', '-inkey', file('seal.key'), '-in', file('seal.pem'), '-certfile', file('chain.pem')],
    ...['-passout', `pass:${passphrase}`, '-out', file('seal.p12')],
  );
  return { p12: readFileSync(file('seal.p12')), rootFile: file('root.pem') };
}

/**
 * Appends an incremental update that replaces one object, as someone editing a sealed PDF would:
 * the new object, a cross-reference section for it, and a trailer pointing back at the seal's.
 */
export function appendRevisedObject(pdf: Buffer, objectNumber: number, body: string): Buffer {
  const tail = pdf.subarray(pdf.lastIndexOf('trailer')).toString('latin1');
  const size = /\/Size\s+(\d+)/.exec(tail)![1];
  const root = /\/Root\s+(\d+ \d+ R)/.exec(tail)![1];
  const previous = /startxref\s+(\d+)/.exec(tail)![1];
  const object = `\n${objectNumber} 0 obj\n${body}\nendobj\n`;
  const objectAt = pdf.length + 1;
  const xrefAt = pdf.length + Buffer.byteLength(object, 'latin1');
  const update = [
    object,
    `xref\n${objectNumber} 1\n${String(objectAt).padStart(10, '0')} 00000 n \n`,
    `trailer\n<<\n/Size ${size}\n/Root ${root}\n/Prev ${previous}\n>>\nstartxref\n${xrefAt}\n%%EOF\n`,
  ].join('');
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}

function run(
  tool: string,
  files: Record<string, Buffer>,
  args: (file: (name: string) => string) => string[],
): { exitCode: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'scope-ledger-seal-check-'));
  try {
    const file = (name: string) => join(dir, name);
    for (const [name, content] of Object.entries(files)) writeFileSync(file(name), content);
    const result = spawnSync(tool, args(file), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw new Error(`${tool} could not run: ${result.error.message}`);
    return { exitCode: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function children(node: forge.asn1.Asn1): forge.asn1.Asn1[] {
  return node.value as forge.asn1.Asn1[];
}

function oidOf(node: forge.asn1.Asn1): string {
  return forge.asn1.derToOid(node.value as string);
}

function der(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}
