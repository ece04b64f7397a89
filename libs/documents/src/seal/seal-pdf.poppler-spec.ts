import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../document-hash';
import { renderChangeOrderPdf, renderSignedChangeOrderPdf } from '../render-change-order-pdf';
import { signatureFor, twentyLineOrder } from '../testing/change-order.fixture';
import { pdfSignatures, qpdfCheck } from '../testing/poppler';
import { loadSealCertificate, type SealCertificate } from './seal-certificate';
import { sealPdf } from './seal-pdf';

describe('sealed change order checked with pdfsig', () => {
  let dataDir: string;
  let seal: SealCertificate;
  let sealed: Buffer;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'scope-ledger-seal-'));
    seal = await loadSealCertificate({ dataDir });
    const model = twentyLineOrder();
    const signature = signatureFor(model, sha256Hex(await renderChangeOrderPdf(model)));
    const signed = await renderSignedChangeOrderPdf(model, signature);
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

  it('reports the seal as broken once a single signed byte changes', () => {
    const tampered = Buffer.from(sealed);
    // Inside the first signed range: the binary marker comment on the second line.
    tampered[10] = tampered[10]! ^ 0x01;
    const report = pdfSignatures(tampered);
    expect(report).not.toContain('Signature is Valid');
    expect(report).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
  });
});
