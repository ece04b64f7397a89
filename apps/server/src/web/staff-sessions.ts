import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { migrate, Migration } from '@scope-ledger/event-store';
import { Platform } from '@scope-ledger/platform';
import { StaffKey } from '../auth/api-keys.service';
import { ServerConfig } from '../config';
import { PLATFORM, SERVER_CONFIG, SIGNING_SECRET } from '../platform.token';
import { csrfMatches, csrfToken, deriveCsrfKey } from './csrf';

export const SESSION_HOURS = 12;

const migrations: Migration[] = [
  {
    id: 'staff-pages/001-sessions',
    sql: `CREATE TABLE staff_sessions (
      id_sha256 text PRIMARY KEY,
      key_id text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at)`,
  },
  {
    id: 'staff-pages/002-sign-in-nonces',
    sql: `CREATE TABLE sign_in_nonces (nonce_sha256 text PRIMARY KEY, used_at timestamptz NOT NULL)`,
  },
];

/** How long a sign-in form may be sent after it was shown: its nonce cookie lives as long. */
export const SIGN_IN_FORM_SECONDS = 3600;

export interface StaffSession {
  id: string;
  staff: StaffKey;
  csrfToken: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Staff browser sessions. The table keeps only the SHA-256 of the cookie's random id, so a leaked row cannot be
 * replayed; every lookup joins the live API key, so revoking the key ends its sessions at once.
 */
@Injectable()
export class StaffSessions implements OnModuleInit {
  private readonly csrfKey: Buffer;

  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(SIGNING_SECRET) secret: Buffer,
  ) {
    this.csrfKey = deriveCsrfKey(secret);
  }

  async onModuleInit(): Promise<void> {
    await migrate(this.platform.sql, migrations);
  }

  /** `__Host-` pins the cookie to this host and path / whenever the cookie can be Secure. */
  get cookieName(): string {
    return this.secureCookies ? '__Host-sl_session' : 'sl_session';
  }

  get signInCookieName(): string {
    return this.secureCookies ? '__Host-sl_sign_in' : 'sl_sign_in';
  }

  get secureCookies(): boolean {
    return this.config.publicUrl.startsWith('https://');
  }

  async start(staff: StaffKey, now = new Date()): Promise<StaffSession> {
    const id = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
    await this.platform.sql.query(`DELETE FROM staff_sessions WHERE expires_at <= $1`, [now.toISOString()]);
    await this.platform.sql.query(
      `INSERT INTO staff_sessions (id_sha256, key_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
      [sha256(id), staff.id, now.toISOString(), expiresAt.toISOString()],
    );
    return this.session(id, staff);
  }

  private session(id: string, staff: StaffKey): StaffSession {
    return { id, staff, csrfToken: csrfToken(this.csrfKey, `session:${id}`) };
  }

  /** The session and its staff member, or undefined when unknown, expired or the key was revoked. */
  async find(id: string | undefined, now = new Date()): Promise<StaffSession | undefined> {
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const { rows } = await this.platform.sql.query<StaffKey>(
      `SELECT k.id, k.name, k.role, k.created_at::text AS "createdAt", k.revoked_at::text AS "revokedAt",
         k.last_used_at::text AS "lastUsedAt"
       FROM staff_sessions s JOIN api_keys k ON k.id = s.key_id
       WHERE s.id_sha256 = $1 AND s.expires_at > $2 AND k.revoked_at IS NULL`,
      [sha256(id), now.toISOString()],
    );
    return rows[0] && this.session(id, rows[0]);
  }

  async end(id: string): Promise<void> {
    await this.platform.sql.query(`DELETE FROM staff_sessions WHERE id_sha256 = $1`, [sha256(id)]);
  }

  sessionCsrfMatches(session: StaffSession, presented: unknown): boolean {
    return csrfMatches(this.csrfKey, `session:${session.id}`, presented);
  }

  /** A nonce for one showing of the sign-in form: when it was made, and random bytes. */
  newSignInNonce(now = Date.now()): string {
    return `${now.toString(36)}.${randomBytes(24).toString('base64url')}`;
  }

  /** Before sign-in the form is bound to a random nonce kept in its own short-lived cookie. */
  signInCsrfToken(nonce: string): string {
    return csrfToken(this.csrfKey, `sign-in:${nonce}`);
  }

  /**
   * Each sign-in form can be sent once, within the hour it was shown: a replayed nonce and token pair is
   * refused, so every attempt needs a fresh form. Used nonces are kept only as long as they could be valid.
   */
  async useSignInNonce(nonce: string, now = Date.now()): Promise<boolean> {
    const madeAt = parseInt(nonce.split('.')[0], 36);
    if (!Number.isSafeInteger(madeAt) || madeAt > now || now - madeAt > SIGN_IN_FORM_SECONDS * 1000) return false;
    const oldest = new Date(now - SIGN_IN_FORM_SECONDS * 1000).toISOString();
    await this.platform.sql.query(`DELETE FROM sign_in_nonces WHERE used_at < $1`, [oldest]);
    const { rowCount } = await this.platform.sql.query(
      `INSERT INTO sign_in_nonces (nonce_sha256, used_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [sha256(nonce), new Date(now).toISOString()],
    );
    return rowCount === 1;
  }

  signInCsrfMatches(nonce: string | undefined, presented: unknown): boolean {
    return Boolean(nonce) && csrfMatches(this.csrfKey, `sign-in:${nonce}`, presented);
  }
}
