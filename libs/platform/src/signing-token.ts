import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SqlClient, migrate } from '@scope-ledger/event-store';

/**
 * A signing link's token is HMAC-SHA256(server secret, order id + random 128-bit nonce). The stream keeps only the
 * nonce and the token's SHA-256: stored events without the secret cannot rebuild the link, the mailer can.
 */
export function newTokenNonce(): string {
  return randomBytes(16).toString('base64url');
}

export function signingToken(secret: Buffer, changeOrderId: string, nonce: string): string {
  return createHmac('sha256', secret).update(`${changeOrderId}:${nonce}`).digest('base64url');
}

export function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenMatches(token: string, expectedSha256: string): boolean {
  const a = Buffer.from(tokenSha256(token), 'hex');
  const b = Buffer.from(expectedSha256, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A token looks like 43 base64url characters; anything else is refused before any lookup. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** SIGNING_SECRET (hex or base64, at least 32 bytes), or one created once in the database for every server. */
export async function loadSigningSecret(sql: SqlClient, configured?: string): Promise<Buffer> {
  if (configured) {
    const bytes = /^[0-9a-f]+$/i.test(configured) ? Buffer.from(configured, 'hex') : Buffer.from(configured, 'base64');
    if (bytes.length < 32) throw new Error('SIGNING_SECRET must hold at least 32 bytes (64 hex characters)');
    return bytes;
  }
  await migrate(sql, [
    {
      id: 'secrets/001-server-secrets',
      sql: `CREATE TABLE server_secrets (name text PRIMARY KEY, value text NOT NULL)`,
    },
  ]);
  await sql.query(`INSERT INTO server_secrets (name, value) VALUES ('signing', $1) ON CONFLICT (name) DO NOTHING`, [
    randomBytes(32).toString('hex'),
  ]);
  const { rows } = await sql.query<{ value: string }>(`SELECT value FROM server_secrets WHERE name = 'signing'`);
  return Buffer.from(rows[0].value, 'hex');
}
