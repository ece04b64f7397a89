import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { migrate, Migration } from '@scope-ledger/event-store';
import { Platform } from '@scope-ledger/platform';
import type { Response } from 'express';
import { ApiKeysService, isoTimestamp, StaffKey } from '../auth/api-keys.service';
import { memberOf, StaffMember, StaffUsers } from '../auth/staff-users.service';
import { ServerConfig } from '../config';
import { PLATFORM, SERVER_CONFIG, SIGNING_SECRET } from '../platform.token';
import { setCookie } from './cookies';
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
  {
    // A session is a person's (signed in with a password or single sign-on) or an API key's.
    id: 'staff-pages/003-session-users',
    sql: `ALTER TABLE staff_sessions ADD COLUMN user_id text;
    ALTER TABLE staff_sessions ALTER COLUMN key_id DROP NOT NULL;
    CREATE INDEX staff_sessions_user ON staff_sessions (user_id)`,
  },
];

/** How long a sign-in form may be sent after it was shown: its nonce cookie lives as long. */
export const SIGN_IN_FORM_SECONDS = 3600;

export interface StaffSession {
  id: string;
  staff: StaffMember;
  csrfToken: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Staff browser sessions. The table keeps only the SHA-256 of the cookie's random id, so a leaked row cannot be
 * replayed. A session belongs to a user, or to the API key it was opened with; every lookup checks that the user
 * is active and the key unrevoked, so deactivating the user or revoking the key ends its sessions at once.
 */
@Injectable()
export class StaffSessions implements OnModuleInit {
  private readonly csrfKey: Buffer;

  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(SIGNING_SECRET) secret: Buffer,
    private readonly users: StaffUsers,
    private readonly keys: ApiKeysService,
  ) {
    this.csrfKey = deriveCsrfKey(secret);
  }

  async onModuleInit(): Promise<void> {
    await migrate(this.platform.sql, migrations);
    this.users.onDeactivated((userId) => this.endAllOf(userId));
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

  async start(staff: StaffMember, now = new Date()): Promise<StaffSession> {
    const id = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
    await this.platform.sql.query(`DELETE FROM staff_sessions WHERE expires_at <= $1`, [now.toISOString()]);
    await this.platform.sql.query(
      `INSERT INTO staff_sessions (id_sha256, key_id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [sha256(id), staff.keyId ?? null, staff.userId ?? null, now.toISOString(), expiresAt.toISOString()],
    );
    if (staff.userId) await this.users.recordSignIn(staff.userId);
    return this.session(id, staff);
  }

  /**
   * Signs the browser in as `staff`: a new session, its cookie set and the sign-in form's nonce cookie cleared.
   * Every way of signing in (password, API key, single sign-on) ends here; the caller redirects.
   */
  async signIn(res: Response, staff: StaffMember): Promise<StaffSession> {
    const session = await this.start(staff);
    setCookie(res, this.signInCookieName, '', { maxAge: 0, secure: this.secureCookies });
    setCookie(res, this.cookieName, session.id, { maxAge: SESSION_HOURS * 3600, secure: this.secureCookies });
    return session;
  }

  private session(id: string, staff: StaffMember): StaffSession {
    return { id, staff, csrfToken: csrfToken(this.csrfKey, `session:${id}`) };
  }

  /** The session and who it acts as, or undefined when unknown, expired, the user deactivated or the key revoked. */
  async find(id: string | undefined, now = new Date()): Promise<StaffSession | undefined> {
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const { rows } = await this.platform.sql.query<{ keyId: string | null; userId: string | null }>(
      `SELECT key_id AS "keyId", user_id AS "userId" FROM staff_sessions WHERE id_sha256 = $1 AND expires_at > $2`,
      [sha256(id), now.toISOString()],
    );
    const row = rows[0];
    if (!row) return undefined;
    const staff = row.keyId
      ? await this.keyMember(row.keyId)
      : row.userId
        ? await this.userMember(row.userId)
        : undefined;
    return staff && this.session(id, staff);
  }

  private async keyMember(keyId: string): Promise<StaffMember | undefined> {
    const { rows } = await this.platform.sql.query<StaffKey>(
      `SELECT id, name, role, ${isoTimestamp('created_at')} AS "createdAt",
         ${isoTimestamp('revoked_at')} AS "revokedAt", ${isoTimestamp('last_used_at')} AS "lastUsedAt",
         owner_user_id AS "ownerUserId"
       FROM api_keys WHERE id = $1 AND revoked_at IS NULL`,
      [keyId],
    );
    return rows[0] && this.users.memberForKey(rows[0]);
  }

  private async userMember(userId: string): Promise<StaffMember | undefined> {
    const user = await this.users.find(userId);
    return user?.active ? memberOf(user) : undefined;
  }

  /** Ends every session of a user, however it was opened. */
  async endAllOf(userId: string): Promise<void> {
    await this.platform.sql.query(
      `DELETE FROM staff_sessions WHERE user_id = $1 OR key_id IN (SELECT id FROM api_keys WHERE owner_user_id = $1)`,
      [userId],
    );
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
