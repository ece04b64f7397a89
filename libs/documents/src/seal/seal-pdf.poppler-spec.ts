import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { startTsaResponder, type TsaResponder } from '../../../../test/support/tsa-responder';
import { sha256Hex } from '../document-hash';
import { renderChangeOrderPdf, renderSignedChangeOrderPdf } from '../render-change-order-pdf';
import { signatureFor, twentyLineOrder } from '../testing/change-order.fixture';
import { pdfSignatures, qpdfCheck } from '../testing/poppler';
import { loadSealCertificate, openSealCertificate, type SealCertificate } from './seal-certificate';
import { sealPdf, type SealedPdf } from './seal-pdf';
import {
  appendRevisedObject,
  chainedSealP12,
  opensslCmsVerify,
  opensslTsText,
  opensslTsVerify,
  qpdfObjects,
  readSeal,
} from './testing/seal-inspection';

type PdfDictionary = Record<string, unknown>;

/** The catalog, and the object a reference in it names, as qpdf reads them. */
function catalogOf(pdf: Buffer): { catalog: PdfDictionary; resolve: (reference: unknown) => PdfDictionary } {
  const objects = qpdfObjects(pdf);
  const resolve = (reference: unknown) => {
    const object = objects[`obj:${String(reference)}`]!;
    return (object.value ?? object.stream?.dict) as PdfDictionary;
  };
  const trailer = objects.trailer!.value as PdfDictionary;
  return { catalog: resolve(trailer['/Root']), resolve };
}

describe('sealed change order checked with pdfsig, qpdf and openssl', () => {
  let dataDir: string;
  let seal: SealCertificate;
  let sealPem: string;
  let signed: Buffer;
  let sealed: Buffer;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'scope-ledger-seal-'));
    seal = await loadSealCertificate({ dataDir });
    sealPem = join(dataDir, 'seal.pem');
    await writeFile(sealPem, forge.pki.certificateToPem(openSealCertificate(seal).certificate));
    const model = twentyLineOrder();
    const signature = signatureFor(model, sha256Hex(await renderChangeOrderPdf(model)));
    signed = await renderSignedChangeOrderPdf(model, signature);
    sealed = (await sealPdf(signed, seal, { sealedAt: new Date(signature.signedAt) })).pdf;
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports the seal as a valid PAdES signature over the whole document', () => {
    const report = pdfSignatures(sealed);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Signature Type: ETSI.CAdES.detached');
    expect(report).toContain('Signer Certificate Common Name: Scope Ledger local seal');
    expect(report).toContain('Total document signed');
    expect(report).not.toMatch(/Syntax Error/);
  });

  it('is a sound file to qpdf --check, whose cross-reference sections the seal extends', () => {
    expect(qpdfCheck(sealed)).toMatchObject({ exitCode: 0 });
  });

  it('is a signature openssl cms -verify accepts over the bytes it covers', () => {
    expect(opensslCmsVerify(sealed, sealPem)).toMatchObject({ exitCode: 0, output: 'CMS Verification successful\n' });
  });

  it('reports the seal as broken once a single signed byte changes', () => {
    const tampered = Buffer.from(sealed);
    // Inside the first signed range: the binary marker comment on the second line.
    tampered[10] = tampered[10]! ^ 0x01;
    const report = pdfSignatures(tampered);
    expect(report).not.toContain('Signature is Valid');
    expect(report).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
  });

  it('certifies the document with no changes permitted: the catalog names the seal under /Perms /DocMDP', () => {
    const { catalog, resolve } = catalogOf(sealed);
    const certification = resolve((catalog['/Perms'] as PdfDictionary)['/DocMDP']);
    expect(certification).toMatchObject({
      '/Type': '/Sig',
      '/SubFilter': '/ETSI.CAdES.detached',
      '/Reference': [
        {
          '/Type': '/SigRef',
          '/TransformMethod': '/DocMDP',
          '/TransformParams': { '/Type': '/TransformParams', '/P': 1, '/V': '/1.2' },
        },
      ],
    });
    // The seal is the only signature, and the one the form's field holds.
    const form = resolve(catalog['/AcroForm']);
    expect(form['/SigFlags']).toBe(3);
    const fields = form['/Fields'] as string[];
    expect(fields).toHaveLength(1);
    expect(resolve(fields[0])['/V']).toBe((catalog['/Perms'] as PdfDictionary)['/DocMDP']);
  });

  it('shows an incremental update appended after sealing: pdfsig no longer finds the whole document signed', () => {
    // Rewrite the first page's text, as someone changing a figure in a sealed copy would.
    const pageContents = Number(/\/Contents (\d+) 0 R/.exec(signed.toString('latin1'))![1]);
    const text = 'BT /F1 12 Tf 72 720 Td (Total 0.00) Tj ET';
    const edited = appendRevisedObject(
      sealed,
      pageContents,
      `<<\n/Length ${text.length}\n>>\nstream\n${text}\nendstream`,
    );
    expect(qpdfCheck(edited)).toMatchObject({ exitCode: 0 });

    const untouched = pdfSignatures(sealed);
    const report = pdfSignatures(edited);
    expect(untouched).toContain('- Total document signed');
    expect(report).toContain('- Not total document signed');
    // The signed revision itself is intact; what changed is everything after it.
    expect(report).toContain('Signature Validation: Signature is Valid.');
  });

  it("says the time is the server's clock when there is no time-stamp authority", async () => {
    const result = await sealPdf(signed, seal, { sealedAt: new Date('2026-03-09T16:45:12Z') });
    expect(result).toMatchObject({ timeSource: 'server-clock' });
    expect(result.timeStampedAt).toBeUndefined();
    expect(readSeal(result.pdf).timeStampToken).toBeUndefined();
  });

  describe('with a time-stamp authority (PAdES B-T)', () => {
    let tsa: TsaResponder;
    let stamped: SealedPdf;
    let before: number;

    beforeAll(async () => {
      tsa = await startTsaResponder();
      before = Date.now();
      stamped = await sealPdf(signed, seal, { tsaUrl: tsa.url });
    });

    afterAll(async () => {
      await tsa.close();
    });

    it('says the time comes from the authority, and which time it asserts', () => {
      expect(stamped.timeSource).toBe('time-stamp-authority');
      // genTime is whole seconds with an accuracy of one
      expect(stamped.timeStampedAt!.getTime()).toBeGreaterThanOrEqual(before - 2000);
      expect(stamped.timeStampedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('carries a token that openssl ts -verify accepts for the signature value, against the TSA root', () => {
      expect(opensslTsVerify(stamped.pdf, tsa.caCertificateFile)).toMatchObject({ exitCode: 0 });
      expect(opensslTsVerify(stamped.pdf, tsa.caCertificateFile).output).toContain('Verification: OK');
      const token = opensslTsText(readSeal(stamped.pdf).timeStampToken!);
      expect(token).toContain('TSA: DirName:/CN=Scope Ledger test TSA');
      expect(token).toMatch(/Nonce: 0x[0-9A-F]+/);
    });

    it('is still a valid seal over the whole document to pdfsig, qpdf and openssl cms', () => {
      const report = pdfSignatures(stamped.pdf);
      expect(report).toContain('Signature Validation: Signature is Valid.');
      expect(report).toContain('- Total document signed');
      expect(qpdfCheck(stamped.pdf)).toMatchObject({ exitCode: 0 });
      expect(opensslCmsVerify(stamped.pdf, sealPem)).toMatchObject({ exitCode: 0 });
    });

    it('does not verify against another signature value', () => {
      const other = Buffer.from(stamped.pdf);
      const { signatureValue } = readSeal(other);
      const at = other.indexOf(signatureValue.toString('hex'), 0, 'latin1');
      other.write(Buffer.from([signatureValue[0]! ^ 1]).toString('hex'), at, 'latin1');
      expect(opensslTsVerify(other, tsa.caCertificateFile).exitCode).not.toBe(0);
    });

    it('refuses to seal, rather than seal without a time, when the authority refuses', async () => {
      tsa.behaviour = 'reject';
      try {
        await expect(sealPdf(signed, seal, { tsaUrl: tsa.url })).rejects.toMatchObject({
          name: 'TimeStampUnavailableError',
          reason: 'the time-stamp authority refused the request (PKIStatus 2)',
        });
      } finally {
        tsa.behaviour = 'grant';
      }
    });
  });

  describe('with a seal certificate that has a chain (PAdES B-LT)', () => {
    let chained: SealedPdf;
    let rootFile: string;

    beforeAll(async () => {
      const made = chainedSealP12(dataDir, 'chain passphrase');
      rootFile = made.rootFile;
      const p12Path = join(dataDir, 'company.p12');
      await writeFile(p12Path, made.p12);
      const company = await loadSealCertificate({ p12Path, passphrase: 'chain passphrase', dataDir });
      chained = await sealPdf(signed, company);
    });

    it('keeps the chain in the document security store, covered by the seal', async () => {
      const { catalog, resolve } = catalogOf(chained.pdf);
      const store = resolve(catalog['/DSS']);
      expect(store['/Type']).toBe('/DSS');
      expect(store['/Certs']).toHaveLength(3);
      const root = forge.pki.certificateFromPem(await readFile(rootFile, 'utf8'));
      const rootDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(root)).getBytes(), 'binary');
      expect(chained.pdf.includes(rootDer)).toBe(true);
      expect(pdfSignatures(chained.pdf)).toContain('- Total document signed');
    });

    it('verifies with openssl cms against the root alone, and stays sound to pdfsig and qpdf', () => {
      expect(opensslCmsVerify(chained.pdf, rootFile)).toMatchObject({ exitCode: 0 });
      const report = pdfSignatures(chained.pdf);
      expect(report).toContain('Signature Validation: Signature is Valid.');
      expect(report).toContain('Signer Certificate Common Name: Example MSP document seal');
      expect(qpdfCheck(chained.pdf)).toMatchObject({ exitCode: 0 });
    });
  });
});
