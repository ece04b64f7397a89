import { join } from 'node:path';

/** Settings from the environment, read once at start-up. */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  eventStoreConnectionString?: string;
  adminApiKey?: string;
  publicUrl: string;
  mspName: string;
  mspEmail?: string;
  sealP12Path?: string;
  sealP12Base64?: string;
  sealPassphrase?: string;
  smtpUrl?: string;
  mailFrom: string;
  signingSecret?: string;
  expiryIntervalMs: number;
  bodyLimit: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const host = env.HOST ?? '0.0.0.0';
  return {
    port,
    host,
    dataDir: env.DATA_DIR ?? join(process.cwd(), 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    adminApiKey: env.ADMIN_API_KEY || undefined,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    mspName: env.MSP_NAME ?? 'Your Managed Services Provider',
    mspEmail: env.MSP_EMAIL || undefined,
    sealP12Path: env.SEAL_P12_PATH || undefined,
    sealP12Base64: env.SEAL_P12_BASE64 || undefined,
    sealPassphrase: env.SEAL_P12_PASSPHRASE || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'Scope Ledger <no-reply@scope-ledger.local>',
    signingSecret: env.SIGNING_SECRET || undefined,
    expiryIntervalMs: Number(env.EXPIRY_INTERVAL_MS ?? 60_000),
    bodyLimit: env.BODY_LIMIT ?? '1mb',
  };
}
