import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';
import { formatUtcTimestamp } from '../document-format';

/** The certificate that seals signed change orders, as a PKCS#12 bundle. */
export interface SealCertificate {
  readonly p12: Buffer;
  readonly passphrase: string;
  /** Distinguished name of the sealing certificate, e.g. "CN=Scope Ledger local seal". */
  readonly subject: string;
  readonly selfSigned: boolean;
}

export interface SealCertificateSettings {
  /** A P12 file from the deployment's configuration. */
  readonly p12Path?: string;
  /** The same P12 given inline (for secret stores that hand out strings). */
  readonly p12Base64?: string;
  readonly passphrase?: string;
  /** Where the local self-signed certificate lives when none is configured. */
  readonly dataDir: string;
}

const LOCAL_SEAL_COMMON_NAME = 'Scope Ledger local seal';
const LOCAL_SEAL_VALIDITY_YEARS = 10;
/** A validator whose clock runs a little behind ours must not find a seal made at first start "not yet valid". */
const LOCAL_SEAL_BACKDATED_MS = 60_000;

/**
 * A seal certificate that cannot seal, and whether the P12 itself or its passphrase is at fault;
 * `reason` reads on from the name of the setting ("holds no private key").
 */
export class SealCertificateError extends Error {
  constructor(
    readonly fault: 'p12' | 'passphrase',
    readonly reason: string,
  ) {
    super(`${fault === 'passphrase' ? 'The passphrase' : 'The seal certificate P12'} ${reason}`);
    this.name = 'SealCertificateError';
  }
}

/**
 * The configured P12 when there is one. Otherwise a self-signed certificate for local use,
 * created on first start under <dataDir>/seal and reused afterwards: a new key on every
 * start would make yesterday's seals look like they came from a different sealer.
 */
export async function loadSealCertificate(settings: SealCertificateSettings): Promise<SealCertificate> {
  const { p12Path, p12Base64, passphrase = '' } = settings;
  if (p12Path !== undefined && p12Base64 !== undefined) {
    throw new Error('Configure the seal certificate either as a P12 file or as base64, not both');
  }
  if (p12Path !== undefined) return configuredSeal(await readConfiguredP12(p12Path), passphrase);
  if (p12Base64 !== undefined) return configuredSeal(Buffer.from(p12Base64, 'base64'), passphrase);
  return loadOrCreateLocalSeal(join(settings.dataDir, 'seal'));
}

async function readConfiguredP12(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new SealCertificateError('p12', `names a file that cannot be read (${(error as Error).message})`);
  }
}

/** Checked whole when loaded, so that a configured certificate that cannot seal stops the start, not a signature. */
function configuredSeal(p12: Buffer, passphrase: string): SealCertificate {
  const seal = sealCertificateFrom(p12, passphrase);
  const { notAfter } = openSealCertificate(seal).certificate.validity;
  if (notAfter.getTime() <= Date.now()) {
    const expired = formatUtcTimestamp(notAfter.toISOString());
    throw new SealCertificateError('p12', `holds a certificate that expired on ${expired} (${seal.subject})`);
  }
  return seal;
}

async function loadOrCreateLocalSeal(sealDir: string): Promise<SealCertificate> {
  const p12File = join(sealDir, 'seal.p12');
  const passphraseFile = join(sealDir, 'seal.passphrase');
  const existing = await readIfPresent(p12File);
  if (existing) {
    const passphrase = await readIfPresent(passphraseFile);
    if (!passphrase) throw new Error(`${p12File} exists but its passphrase file ${passphraseFile} is missing`);
    return sealCertificateFrom(existing, passphrase.toString('utf8').trim());
  }

  await mkdir(sealDir, { recursive: true, mode: 0o700 });
  const passphrase = randomBytes(32).toString('base64url');
  const p12 = createSelfSignedP12(passphrase, new Date());
  // The P12 appears last and whole: its presence means the pair is complete.
  await writePrivateFile(passphraseFile, `${passphrase}\n`);
  await writePrivateFile(p12File, p12);
  return sealCertificateFrom(p12, passphrase);
}

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writePrivateFile(path: string, content: string | Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
  await rename(temporary, path);
}

function createSelfSignedP12(passphrase: string, now: Date): Buffer {
  // Node's native key generation takes milliseconds where forge's takes seconds.
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = forge.pki.privateKeyFromPem(keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const publicKey = forge.pki.publicKeyFromPem(keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());

  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f; // serial numbers are positive integers
  certificate.serialNumber = serial.toString('hex');
  certificate.validity.notBefore = new Date(now.getTime() - LOCAL_SEAL_BACKDATED_MS);
  certificate.validity.notAfter = new Date(now);
  certificate.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + LOCAL_SEAL_VALIDITY_YEARS);
  const name = [{ name: 'commonName', value: LOCAL_SEAL_COMMON_NAME }];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(privateKey, forge.md.sha256.create());

  const p12 = forge.pkcs12.toPkcs12Asn1(privateKey, [certificate], passphrase, {
    algorithm: 'aes256',
    friendlyName: LOCAL_SEAL_COMMON_NAME,
  });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

/** What signing needs from the P12, opened once per SealCertificate value. */
export interface OpenedSeal {
  readonly privateKey: KeyObject;
  readonly certificate: forge.pki.Certificate;
  /** Every certificate in the bundle, the sealing one first. */
  readonly chain: readonly forge.pki.Certificate[];
}

const opened = new WeakMap<SealCertificate, OpenedSeal>();

export function openSealCertificate(seal: SealCertificate): OpenedSeal {
  const result = opened.get(seal) ?? openP12(seal.p12, seal.passphrase);
  opened.set(seal, result);
  return result;
}

function openP12(p12: Buffer, passphrase: string): OpenedSeal {
  let bundle: forge.pkcs12.Pkcs12Pfx;
  try {
    bundle = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, passphrase);
  } catch (error) {
    const message = (error as Error).message;
    // forge's words for a MAC or an encrypted bag that the passphrase does not open.
    if (/MAC could not be verified|decrypt/i.test(message)) {
      throw new SealCertificateError(
        'passphrase',
        passphrase === '' ? 'is not set, and the seal certificate needs one' : 'does not open the seal certificate',
      );
    }
    throw new SealCertificateError('p12', `is not a PKCS#12 (P12) bundle that can be read (${message})`);
  }
  const bags = (bagType: string) => bundle.getBags({ bagType })[bagType] ?? [];
  const keyBag = bags(forge.pki.oids.pkcs8ShroudedKeyBag)[0] ?? bags(forge.pki.oids.keyBag)[0];
  const key = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new SealCertificateError('p12', 'holds no RSA private key');
  const certificates = bags(forge.pki.oids.certBag)
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => cert !== undefined);
  const certificate = certificates.find((cert) => {
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n?.equals(key.n) && publicKey.e?.equals(key.e);
  });
  if (!certificate) throw new SealCertificateError('p12', 'holds no certificate for its private key');
  return {
    privateKey: createPrivateKey(forge.pki.privateKeyToPem(key)),
    certificate,
    chain: [certificate, ...certificates.filter((cert) => cert !== certificate)],
  };
}

function sealCertificateFrom(p12: Buffer, passphrase: string): SealCertificate {
  const contents = openP12(p12, passphrase);
  const seal: SealCertificate = {
    p12,
    passphrase,
    subject: distinguishedName(contents.certificate.subject),
    selfSigned: isSelfSigned(contents.certificate),
  };
  opened.set(seal, contents);
  return seal;
}

function isSelfSigned(certificate: forge.pki.Certificate): boolean {
  try {
    return certificate.isIssuer(certificate) && certificate.verify(certificate);
  } catch {
    return false;
  }
}

function distinguishedName(name: forge.pki.Certificate['subject']): string {
  return name.attributes
    .map((attribute) => `${attribute.shortName ?? attribute.name ?? attribute.type}=${String(attribute.value)}`)
    .join(', ');
}
