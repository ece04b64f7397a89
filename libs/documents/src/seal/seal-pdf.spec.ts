import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { unreachableTsaUrl } from '../../../../test/support/tsa-responder';
import { renderChangeOrderPdf } from '../render-change-order-pdf';
import { twentyLineOrder } from '../testing/change-order.fixture';
import { loadSealCertificate, openSealCertificate, type SealCertificate } from './seal-certificate';
import { sealPdf } from './seal-pdf';

const OIDS = { messageDigest: '1.2.840.113549.1.9.4', signingCertificateV2: '1.2.840.113549.1.9.16.2.47' };

/** The bytes the seal covers and the CMS it carries, read as a verifier would. */
function readSeal(sealed: Buffer): { covered: Buffer; cms: forge.asn1.Asn1 } {
  const text = sealed.toString('latin1');
  const range = /\/ByteRange \[(\d+) +(\d+) +(\d+) +(\d+) *\]/.exec(text)!.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const covered = Buffer.concat([
    sealed.subarray(range[0], range[0] + range[1]),
    sealed.subarray(range[2], range[2] + range[3]),
  ]);
  const hex = text.slice(range[0] + range[1] + 1, range[2] - 1);
  // The placeholder is zero-padded after the CMS; forge accepts that with parseAllBytes off
  // (an option its type declarations do not list yet).
  const fromDer = forge.asn1.fromDer as unknown as (
    bytes: string,
    options: { parseAllBytes: boolean },
  ) => forge.asn1.Asn1;
  const cms = fromDer(Buffer.from(hex, 'hex').toString('binary'), { parseAllBytes: false });
  return { covered, cms };
}

function children(node: forge.asn1.Asn1): forge.asn1.Asn1[] {
  return node.value as forge.asn1.Asn1[];
}

describe('sealPdf', () => {
  let dataDir: string;
  let seal: SealCertificate;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'scope-ledger-seal-'));
    seal = await loadSealCertificate({ dataDir });
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('seals as PAdES (ETSI.CAdES.detached) with a signature over the whole document', async () => {
    const pdf = await renderChangeOrderPdf(twentyLineOrder());
    const { pdf: sealed } = await sealPdf(pdf, seal, { sealedAt: new Date('2026-03-09T16:45:12Z') });
    expect(sealed.toString('latin1')).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(sealed.toString('latin1')).toContain('/M (D:20260309164512Z)');

    const { covered, cms } = readSeal(sealed);
    expect(covered.length).toBeGreaterThan(pdf.length);
    const signedData = children(children(cms)[1]!)[0]!;
    const signerInfo = children(children(signedData).at(-1)!)[0]!;
    const [, , , signedAttributes, , signatureValue] = children(signerInfo);
    const attributes = new Map(
      children(signedAttributes!).map((attribute) => [
        forge.asn1.derToOid(children(attribute)[0]!.value as string),
        children(children(attribute)[1]!)[0]!,
      ]),
    );

    const digest = Buffer.from(attributes.get(OIDS.messageDigest)!.value as string, 'binary');
    expect(digest.equals(createHash('sha256').update(covered).digest())).toBe(true);
    expect(attributes.has(OIDS.signingCertificateV2)).toBe(true);

    const asSet = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, children(signedAttributes!));
    const publicKey = createPublicKey(forge.pki.publicKeyToPem(openSealCertificate(seal).certificate.publicKey));
    const valid = verify(
      'sha256',
      Buffer.from(forge.asn1.toDer(asSet).getBytes(), 'binary'),
      publicKey,
      Buffer.from(signatureValue!.value as string, 'binary'),
    );
    expect(valid).toBe(true);
  });

  it('points startxref at the cross-reference section the seal appends, where readers look first', async () => {
    const sealed = (await sealPdf(await renderChangeOrderPdf(twentyLineOrder()), seal)).pdf.toString('latin1');
    const startxref = Number(/startxref\n(\d+)\n%%EOF$/.exec(sealed)![1]);
    expect(sealed.slice(startxref, startxref + 'xref\n'.length)).toBe('xref\n');
    expect(startxref).toBe(sealed.lastIndexOf('\nxref\n') + 1);
  });

  it('refuses to seal, rather than seal without a trusted time, when the TSA cannot be reached', async () => {
    const pdf = await renderChangeOrderPdf(twentyLineOrder());
    await expect(sealPdf(pdf, seal, { tsaUrl: await unreachableTsaUrl() })).rejects.toMatchObject({
      name: 'TimeStampUnavailableError',
      message: 'No trusted time for the seal: the time-stamp authority could not be reached (ECONNREFUSED)',
    });
  });

  it('gives the same sealed bytes for the same document, certificate and time', async () => {
    const pdf = await renderChangeOrderPdf(twentyLineOrder());
    const sealedAt = new Date('2026-03-09T16:45:12Z');
    const first = await sealPdf(pdf, seal, { sealedAt });
    const second = await sealPdf(pdf, seal, { sealedAt });
    expect(second.pdf.equals(first.pdf)).toBe(true);
  });
});
