import { join } from 'node:path';
import { SIGNER_VERIFICATIONS, SignerVerification } from '@scope-ledger/domain';
import { loadSealCertificate, SealCertificate, SealCertificateError } from '@scope-ledger/documents';
import { OidcConfig, oidcConfigFromEnv } from './auth/oidc-config';

/** Settings from the environment, read once at start-up. */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  eventStoreConnectionString?: string;
  adminApiKey?: string;
  publicUrl: string;
  /**
   * The company the change orders come from, and the other company defaults below (signer verification, time-stamp
   * authority, SMTP, From): starting values, each used only while the company settings have none stored.
   */
  mspName?: string;
  mspEmail?: string;
  /** How a new order's signer is verified unless the draft says otherwise. */
  signerVerificationDefault: SignerVerification;
  sealP12Path?: string;
  sealP12Base64?: string;
  sealPassphrase?: string;
  /** RFC 3161 time-stamp authority for the seal (PAdES B-T); without one the seal's time is the server's clock. */
  tsaUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  /** Signers who have not signed get one reminder this many hours before the order expires. */
  reminderHoursBeforeExpiry: number;
  signingSecret?: string;
  expiryIntervalMs: number;
  /** Express 'trust proxy' setting: a hop count, 'loopback', a subnet list, or true. */
  trustProxy?: boolean | number | string;
  bodyLimit: string;
  /** Requests per minute one client address may make to signing links (/sign/...). */
  signRateLimit: number;
  /** Uploads per address and minute to GET/POST /verify and POST /api/verify. */
  verifyRateLimit: number;
  /** Failed sign-ins and unknown API keys one address may present in 15 minutes before it must wait. */
  authFailureLimit: number;
  /** Single sign-on through an OpenID provider; undefined when no OIDC_* variable is set. */
  oidc?: OidcConfig;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const reminderHours = Number(env.REMINDER_HOURS_BEFORE_EXPIRY ?? 48);
  if (!Number.isInteger(reminderHours) || reminderHours < 1 || reminderHours > 8760) {
    throw new Error(
      `REMINDER_HOURS_BEFORE_EXPIRY must be a whole number of hours from 1 to 8760, ` +
        `got ${env.REMINDER_HOURS_BEFORE_EXPIRY}`,
    );
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: env.DATA_DIR ?? join(process.cwd(), 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    adminApiKey: strongAdminKey(env.ADMIN_API_KEY),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    mspName: env.MSP_NAME?.trim() || undefined,
    mspEmail: env.MSP_EMAIL?.trim() || undefined,
    signerVerificationDefault: signerVerification(env.SIGNER_VERIFICATION_DEFAULT ?? 'none', env.SMTP_URL),
    sealP12Path: env.SEAL_P12_PATH || undefined,
    sealP12Base64: env.SEAL_P12_BASE64 || undefined,
    sealPassphrase: env.SEAL_P12_PASSPHRASE || undefined,
    tsaUrl: httpUrl(env.TSA_URL, 'TSA_URL'),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'Scope Ledger <no-reply@scope-ledger.local>',
    reminderHoursBeforeExpiry: reminderHours,
    signingSecret: env.SIGNING_SECRET || undefined,
    expiryIntervalMs: Number(env.EXPIRY_INTERVAL_MS ?? 60_000),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    bodyLimit: env.BODY_LIMIT ?? '1mb',
    signRateLimit: positiveInteger(env.SIGN_RATE_LIMIT ?? '120', 'SIGN_RATE_LIMIT'),
    verifyRateLimit: positiveInteger(env.VERIFY_RATE_LIMIT ?? '30', 'VERIFY_RATE_LIMIT'),
    authFailureLimit: positiveInteger(env.AUTH_FAILURE_LIMIT ?? '20', 'AUTH_FAILURE_LIMIT'),
    oidc: oidcConfigFromEnv(env),
  };
}

/** Shortest ADMIN_API_KEY accepted, and the fewest different characters in it: about 128 random bits at least. */
const ADMIN_KEY_MIN_LENGTH = 32;
const ADMIN_KEY_MIN_DISTINCT = 12;

/** The first admin key opens everything: one that could be guessed stops the start. */
function strongAdminKey(key: string | undefined): string | undefined {
  if (!key) return undefined;
  const advice = 'use at least 32 random characters, such as the output of `openssl rand -base64 32`';
  if (/\s/.test(key)) throw new Error(`ADMIN_API_KEY must not contain spaces: ${advice}`);
  if (key.length < ADMIN_KEY_MIN_LENGTH)
    throw new Error(`ADMIN_API_KEY is too short (${key.length} characters): ${advice}`);
  if (key.length > 200) throw new Error('ADMIN_API_KEY is longer than 200 characters, the most a key may have');
  if (new Set(key).size < ADMIN_KEY_MIN_DISTINCT)
    throw new Error(`ADMIN_API_KEY has too few different characters to be random: ${advice}`);
  return key;
}

function signerVerification(text: string, smtpUrl: string | undefined): SignerVerification {
  const found = SIGNER_VERIFICATIONS.find((method) => method === text);
  if (!found)
    throw new Error(`SIGNER_VERIFICATION_DEFAULT must be one of ${SIGNER_VERIFICATIONS.join(', ')}, got ${text}`);
  if (found === 'email_code' && !smtpUrl)
    throw new Error(
      'SIGNER_VERIFICATION_DEFAULT=email_code needs SMTP_URL: the one-time code is emailed to the signer',
    );
  return found;
}

function httpUrl(text: string | undefined, name: string): string | undefined {
  if (!text) return undefined;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new Error(`${name} must be an http:// or https:// URL, got ${text}`);
  return text;
}

function positiveInteger(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number of 1 or more, got ${text}`);
  return value;
}

function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (!value) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * The seal certificate, loaded at start rather than by the first signature. A configured one that cannot seal
 * stops the start naming the variable to fix: "SEAL_P12_PASSPHRASE does not open the seal certificate".
 */
export async function loadSeal(config: ServerConfig): Promise<SealCertificate> {
  const { sealP12Path: p12Path, sealP12Base64: p12Base64, sealPassphrase: passphrase, dataDir } = config;
  try {
    return await loadSealCertificate({ p12Path, p12Base64, passphrase, dataDir });
  } catch (error) {
    if (!(error instanceof SealCertificateError) || (p12Path === undefined && p12Base64 === undefined)) throw error;
    const variable =
      error.fault === 'passphrase' ? 'SEAL_P12_PASSPHRASE' : p12Path ? 'SEAL_P12_PATH' : 'SEAL_P12_BASE64';
    throw new Error(`${variable} ${error.reason}`);
  }
}
