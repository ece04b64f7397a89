import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { loadSealCertificate, openSealCertificate, SealCertificateError } from './seal-certificate';

const PASSPHRASE = 'correct horse battery staple';
const DAY = 86_400_000;

function rsaKey(): forge.pki.rsa.PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
}

/** A company seal certificate as a CA would issue it, self-signed here for the test. */
function certificateFor(
  key: forge.pki.rsa.PrivateKey,
  validity = { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 365 * DAY) },
): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  certificate.serialNumber = '01';
  certificate.validity.notBefore = validity.notBefore;
  certificate.validity.notAfter = validity.notAfter;
  const name = [{ name: 'commonName', value: 'Northwind company seal' }];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.sign(key, forge.md.sha256.create());
  return certificate;
}

/** A P12 as SEAL_P12_BASE64 holds it. */
function p12Base64(key: forge.pki.rsa.PrivateKey | null, certificates: forge.pki.Certificate[]): string {
  // forge would derive the key id from the first certificate, which a bundle without one lacks.
  const options = { algorithm: 'aes256', generateLocalKeyId: certificates.length > 0 } as const;
  const bundle = forge.pkcs12.toPkcs12Asn1(key, certificates, PASSPHRASE, options);
  return Buffer.from(forge.asn1.toDer(bundle).getBytes(), 'binary').toString('base64');
}

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

  it('dates the local seal from a minute before its creation, for validators whose clock is behind', async () => {
    const before = Date.now();
    const { certificate } = openSealCertificate(await loadSealCertificate({ dataDir }));
    const after = Date.now();
    // Certificates keep whole seconds.
    expect(certificate.validity.notBefore.getTime()).toBeGreaterThanOrEqual(
      Math.floor((before - 60_000) / 1000) * 1000,
    );
    expect(certificate.validity.notBefore.getTime()).toBeLessThanOrEqual(after - 60_000);
  });

  describe('a configured P12 that cannot seal is refused when loaded, with the reason in one line', () => {
    const refusal = async (settings: { p12Path?: string; p12Base64?: string; passphrase?: string }) => {
      const error: unknown = await loadSealCertificate({ ...settings, dataDir }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(SealCertificateError);
      const { fault, reason, message } = error as SealCertificateError;
      expect(message).not.toContain('\n');
      // Nothing was created in its place.
      await expect(stat(join(dataDir, 'seal'))).rejects.toMatchObject({ code: 'ENOENT' });
      return { fault, reason, message };
    };

    it('blames the passphrase when it is wrong or missing', async () => {
      const key = rsaKey();
      const p12 = p12Base64(key, [certificateFor(key)]);
      expect(await refusal({ p12Base64: p12, passphrase: 'wrong' })).toEqual({
        fault: 'passphrase',
        reason: 'does not open the seal certificate',
        message: 'The passphrase does not open the seal certificate',
      });
      expect(await refusal({ p12Base64: p12 })).toMatchObject({
        fault: 'passphrase',
        reason: 'is not set, and the seal certificate needs one',
      });
    });

    it('says when the file cannot be read or holds no P12', async () => {
      const missing = join(dataDir, 'missing.p12');
      expect(await refusal({ p12Path: missing, passphrase: PASSPHRASE })).toEqual({
        fault: 'p12',
        reason: `names a file that cannot be read (ENOENT: no such file or directory, open '${missing}')`,
        message: expect.any(String),
      });
      expect(await refusal({ p12Path: tmpdir(), passphrase: PASSPHRASE })).toMatchObject({
        fault: 'p12',
        reason: expect.stringMatching(/^names a file that cannot be read \(EISDIR/),
      });
      const text = Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64');
      expect(await refusal({ p12Base64: text, passphrase: PASSPHRASE })).toMatchObject({
        fault: 'p12',
        reason: expect.stringMatching(/^is not a PKCS#12 \(P12\) bundle that can be read \(.+\)$/),
      });
    });

    it('says when it holds no private key, or no certificate for its key', async () => {
      const key = rsaKey();
      expect(
        await refusal({ p12Base64: p12Base64(null, [certificateFor(key)]), passphrase: PASSPHRASE }),
      ).toMatchObject({ fault: 'p12', reason: 'holds no RSA private key' });
      for (const certificates of [[], [certificateFor(rsaKey())]]) {
        expect(await refusal({ p12Base64: p12Base64(key, certificates), passphrase: PASSPHRASE })).toMatchObject({
          fault: 'p12',
          reason: 'holds no certificate for its private key',
        });
      }
    });

    it('says when its certificate expired', async () => {
      const key = rsaKey();
      const validity = { notBefore: new Date('2024-07-01T00:00:00Z'), notAfter: new Date('2025-06-30T12:00:00Z') };
      const p12 = p12Base64(key, [certificateFor(key, validity)]);
      expect(await refusal({ p12Base64: p12, passphrase: PASSPHRASE })).toMatchObject({
        fault: 'p12',
        reason: 'holds a certificate that expired on 2025-06-30 12:00:00 UTC (CN=Northwind company seal)',
      });
    });

    it('accepts the same key and certificate while the certificate is valid', async () => {
      const key = rsaKey();
      const seal = await loadSealCertificate({
        p12Base64: p12Base64(key, [certificateFor(key)]),
        passphrase: PASSPHRASE,
        dataDir,
      });
      expect(seal).toMatchObject({ subject: 'CN=Northwind company seal', selfSigned: true });
    });
  });
});
