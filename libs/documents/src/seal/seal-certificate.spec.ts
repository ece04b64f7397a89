import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { loadSealCertificate, openSealCertificate } from './seal-certificate';

describe('loadSealCertificate', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'scope-ledger-seal-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a self-signed local seal on first start and reuses it afterwards', async () => {
    const first = await loadSealCertificate({ dataDir });
    const second = await loadSealCertificate({ dataDir });

    expect(first.subject).toBe('CN=Scope Ledger local seal');
    expect(first.selfSigned).toBe(true);
    expect(second.p12.equals(first.p12)).toBe(true);
    expect(second.passphrase).toBe(first.passphrase);
    expect((await readFile(join(dataDir, 'seal', 'seal.p12'))).equals(first.p12)).toBe(true);
    expect((await readFile(join(dataDir, 'seal', 'seal.passphrase'), 'utf8')).trim()).toBe(first.passphrase);
  });

  it('keeps the key and its passphrase readable by the owner only', async () => {
    await loadSealCertificate({ dataDir });
    expect((await stat(join(dataDir, 'seal', 'seal.p12'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'seal', 'seal.passphrase'))).mode & 0o777).toBe(0o600);
  });

  it('issues the local seal for ten years, RSA 2048, for signing and non-repudiation only', async () => {
    const seal = await loadSealCertificate({ dataDir });
    const { certificate } = openSealCertificate(seal);
    const years = certificate.validity.notAfter.getUTCFullYear() - certificate.validity.notBefore.getUTCFullYear();
    expect(years).toBe(10);
    expect((certificate.publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBe(2048);
    const keyUsage = certificate.getExtension('keyUsage') as {
      digitalSignature?: boolean;
      nonRepudiation?: boolean;
      keyCertSign?: boolean;
    };
    expect(keyUsage).toMatchObject({ digitalSignature: true, nonRepudiation: true, keyCertSign: false });
  });

  it('uses a configured P12, from a file or inline, and creates nothing', async () => {
    const configuredDir = await mkdtemp(join(tmpdir(), 'scope-ledger-configured-'));
    try {
      const local = await loadSealCertificate({ dataDir: configuredDir });
      const p12Path = join(dataDir, 'company-seal.p12');
      await writeFile(p12Path, local.p12);

      const fromFile = await loadSealCertificate({ p12Path, passphrase: local.passphrase, dataDir });
      const inline = await loadSealCertificate({
        p12Base64: local.p12.toString('base64'),
        passphrase: local.passphrase,
        dataDir,
      });

      expect(fromFile.p12.equals(local.p12)).toBe(true);
      expect(inline.p12.equals(local.p12)).toBe(true);
      expect(inline.subject).toBe('CN=Scope Ledger local seal');
      await expect(stat(join(dataDir, 'seal'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(configuredDir, { recursive: true, force: true });
    }
  });

  it('says so when the configured passphrase is wrong', async () => {
    const local = await loadSealCertificate({ dataDir });
    await expect(
      loadSealCertificate({ p12Base64: local.p12.toString('base64'), passphrase: 'wrong', dataDir }),
    ).rejects.toThrow(/cannot be opened/);
  });
});
