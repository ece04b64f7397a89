import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import {
  activeAdmins,
  decideStaff,
  findStaffUser,
  findStaffUserByEmail,
  invalid,
  roleCovers,
  StaffCommand,
  StaffRole,
  StaffState,
  StaffUser,
} from '@scope-ledger/domain';
import { migrate, Migration, SqlClient } from '@scope-ledger/event-store';
import { Actor, CommandContext, StaffCommands } from '@scope-ledger/platform';
import { isoTimestamp, type StaffKey } from './api-keys.service';

/**
 * Who a request acts as. For a person, `id` is their user id, whether they signed in to the pages or sent one of
 * their API keys (then `keyId` names the key). A key with no owner, from before staff users existed, acts as
 * itself: `id` is the key's id and `userId` is absent.
 */
export interface StaffMember {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly userId?: string;
  readonly keyId?: string;
}

/** A user as the admin pages list them: the stream's facts and what the credentials table knows. */
export interface StaffUserView extends StaffUser {
  readonly lastSignInAt: string | null;
}

export const MIN_PASSWORD_LENGTH = 12;
/** Long enough for any passphrase; an upper bound keeps hashing a posted body cheap. */
export const MAX_PASSWORD_LENGTH = 200;
/** A password link from `users add` works once, within this time. */
export const PASSWORD_LINK_HOURS = 72;
/** How long this process trusts its folded copy of the staff stream before reading what other processes wrote. */
const FRESH_MS = 1_000;
const TOTP_ISSUER = 'Scope Ledger';

const migrations: Migration[] = [
  {
    id: 'staff/001-credentials',
    // Secrets beside the `staff` stream: the events say only that a password or TOTP changed.
    sql: `CREATE TABLE staff_credentials (
      user_id text PRIMARY KEY,
      password_hash text,
      totp_secret text,
      totp_pending_secret text,
      totp_last_step bigint,
      last_sign_in_at timestamptz
    )`,
  },
  {
    id: 'staff/002-password-links',
    sql: `CREATE TABLE staff_password_links (
      token_sha256 text PRIMARY KEY,
      user_id text NOT NULL,
      expires_at timestamptz NOT NULL
    )`,
  },
];

/** The acting user as event metadata names them. */
export function actorOf(member: StaffMember): Actor & { via?: 'api-key'; keyId?: string } {
  const acting = { kind: 'staff' as const, id: member.id, name: member.name };
  return member.userId && member.keyId ? { ...acting, via: 'api-key', keyId: member.keyId } : acting;
}

/** A signed-in person acting as themselves. */
export function memberOf(user: StaffUser): StaffMember {
  return { id: user.userId, name: user.name, role: user.role, userId: user.userId };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Staff users: the `staff` stream's command path, and their secrets (argon2id password hashes and TOTP secrets,
 * the latter encrypted with a key derived from the server's signing secret) in `staff_credentials`.
 */
export class StaffUsers {
  private loadedAt = -Infinity;
  private readonly totpKey: Buffer;
  private readonly deactivationListeners: ((userId: string) => Promise<void>)[] = [];
  /** A real hash to verify against when the email is unknown, so both answers take as long. */
  private decoyHash?: Promise<string>;

  constructor(
    private readonly sql: SqlClient,
    private readonly commands: StaffCommands,
    signingSecret: Buffer,
    private readonly clock: () => number = Date.now,
  ) {
    this.totpKey = Buffer.from(hkdfSync('sha256', signingSecret, Buffer.alloc(0), 'scope-ledger totp secrets', 32));
  }

  async prepare(): Promise<void> {
    await migrate(this.sql, migrations);
    await this.state();
  }

  /** Called with the user's id after they are deactivated: their sessions end at once. */
  onDeactivated(listener: (userId: string) => Promise<void>): void {
    this.deactivationListeners.push(listener);
  }

  /** The users as the stream stands, read again when this process's copy is over a second old. */
  async state(): Promise<StaffState> {
    if (this.clock() - this.loadedAt >= FRESH_MS) {
      await this.commands.load();
      this.loadedAt = this.clock();
    }
    return this.commands.lastLoaded.state;
  }

  async find(userId: string): Promise<StaffUser | undefined> {
    return findStaffUser(await this.state(), userId);
  }

  async findByEmail(email: string): Promise<StaffUser | undefined> {
    return findStaffUserByEmail(await this.state(), email);
  }

  /** The first active admin: who ADMIN_API_KEY's key belongs to. */
  async owner(): Promise<StaffUser | undefined> {
    return activeAdmins(await this.state())[0];
  }

  /** Whether the setup page is done: some user can manage the others. */
  async hasActiveAdmin(): Promise<boolean> {
    return activeAdmins(await this.state()).length > 0;
  }

  async list(): Promise<StaffUserView[]> {
    const state = await this.state();
    const { rows } = await this.sql.query<{ userId: string; lastSignInAt: string | null }>(
      `SELECT user_id AS "userId", ${isoTimestamp('last_sign_in_at')} AS "lastSignInAt" FROM staff_credentials`,
    );
    const lastSignIns = new Map(rows.map((row) => [row.userId, row.lastSignInAt]));
    return [...state.users.values()].map((user) => ({ ...user, lastSignInAt: lastSignIns.get(user.userId) ?? null }));
  }

  /** The person an API key acts as: its owner while active and their role covers the key's, or the key itself. */
  async memberForKey(key: StaffKey): Promise<StaffMember | undefined> {
    if (!key.ownerUserId) return { id: key.id, name: key.name, role: key.role, keyId: key.id };
    const owner = await this.find(key.ownerUserId);
    if (!owner?.active || !roleCovers(owner.role, key.role)) return undefined;
    return { id: owner.userId, name: owner.name, role: key.role, userId: owner.userId, keyId: key.id };
  }

  async add(input: { name: string; email: string; role: StaffRole }, context: CommandContext): Promise<StaffUser> {
    const userId = randomUUID();
    await this.run({ type: 'AddStaffUser', now: this.now(), userId, ...input }, context);
    return (await this.find(userId))!;
  }

  /**
   * Single sign-on's way in: the active user with this email, or a new one with `role` when `role` is given.
   * Undefined when the email belongs to a deactivated user, or is unknown and no role is given.
   */
  async findOrAdd(
    input: { name: string; email: string; role?: StaffRole },
    context: CommandContext,
  ): Promise<StaffUser | undefined> {
    const existing = await this.findByEmail(input.email);
    if (existing) return existing.active ? existing : undefined;
    if (!input.role) return undefined;
    return this.add({ name: input.name, email: input.email, role: input.role }, context);
  }

  /**
   * The setup page: the first admin, with a password, acting as themselves. Two setups at once are settled by
   * the stream's expected revision; the second is refused with a conflict.
   */
  async createOwner(
    input: { name: string; email: string; password: string },
    context: Omit<CommandContext, 'actor'>,
  ): Promise<StaffUser> {
    refuseWeakPassword(input.password);
    const userId = randomUUID();
    const actor = { kind: 'staff' as const, id: userId, name: input.name.trim() };
    const now = this.now();
    await this.run({ type: 'CreateOwner', now, userId, name: input.name, email: input.email }, { ...context, actor });
    await this.storePassword(userId, input.password, { ...context, actor });
    return (await this.find(userId))!;
  }

  async rename(userId: string, name: string, context: CommandContext): Promise<StaffUser> {
    await this.run({ type: 'RenameStaffUser', now: this.now(), userId, name }, context);
    return (await this.find(userId))!;
  }

  async changeRole(userId: string, role: StaffRole, context: CommandContext): Promise<StaffUser> {
    await this.run({ type: 'ChangeStaffRole', now: this.now(), userId, role }, context);
    return (await this.find(userId))!;
  }

  /** Ends the user's sessions at once; their API keys stop working within a second everywhere. */
  async deactivate(userId: string, context: CommandContext): Promise<StaffUser> {
    await this.run({ type: 'DeactivateStaffUser', now: this.now(), userId }, context);
    for (const listener of this.deactivationListeners) await listener(userId);
    return (await this.find(userId))!;
  }

  async reactivate(userId: string, context: CommandContext): Promise<StaffUser> {
    await this.run({ type: 'ReactivateStaffUser', now: this.now(), userId }, context);
    return (await this.find(userId))!;
  }

  /** Sets a user's local password (argon2id); the event says only that it was set. */
  async setPassword(userId: string, password: string, context: CommandContext): Promise<void> {
    refuseWeakPassword(password);
    await this.storePassword(userId, password, context);
  }

  private async storePassword(userId: string, password: string, context: CommandContext): Promise<void> {
    const record: StaffCommand = { type: 'RecordLocalPassword', now: this.now(), userId };
    // Refused (unknown or deactivated user) before the secret is written.
    decideStaff(record, await this.state());
    const hash = await argon2Hash(password, { algorithm: Algorithm.Argon2id });
    await this.sql.query(
      `INSERT INTO staff_credentials (user_id, password_hash) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash`,
      [userId, hash],
    );
    await this.run(record, context);
  }

  /** The active user with this email and password; undefined otherwise, after the same work either way. */
  async verifyPassword(email: string, password: string): Promise<StaffUser | undefined> {
    if (password.length > MAX_PASSWORD_LENGTH) return undefined;
    const user = await this.findByEmail(email);
    const stored = user && (await this.credentials(user.userId))?.passwordHash;
    this.decoyHash ??= argon2Hash(randomBytes(16).toString('hex'), { algorithm: Algorithm.Argon2id });
    const matches = await argon2Verify(stored ?? (await this.decoyHash), password).catch(() => false);
    return matches && stored && user?.active ? user : undefined;
  }

  /** Whether the user must give a TOTP code after their password. */
  async totpRequired(userId: string): Promise<boolean> {
    return Boolean((await this.credentials(userId))?.totpSecret);
  }

  /**
   * Checks a 6-digit code against the user's enrolled secret, a step either side allowed for clock drift. A code
   * is accepted once: its time step is remembered, and that step and earlier ones are refused afterwards.
   */
  async checkTotp(userId: string, code: string): Promise<boolean> {
    const stored = await this.credentials(userId);
    if (!stored?.totpSecret) return false;
    const step = await this.matchingStep(this.decrypt(stored.totpSecret), code, stored.totpLastStep);
    if (step === undefined) return false;
    const { rowCount } = await this.sql.query(
      `UPDATE staff_credentials SET totp_last_step = $2
       WHERE user_id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [userId, step],
    );
    return rowCount === 1;
  }

  /**
   * A new secret for an authenticator app, kept pending until a code from the app confirms it. The otpauth URI
   * is what a QR code would carry; the secret is for typing in.
   */
  async beginTotp(userId: string): Promise<{ secret: string; uri: string }> {
    const user = await this.find(userId);
    if (!user?.active) throw invalid('Only an active user can enrol an authenticator app');
    const secret = generateSecret();
    await this.sql.query(
      `INSERT INTO staff_credentials (user_id, totp_pending_secret) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET totp_pending_secret = EXCLUDED.totp_pending_secret`,
      [userId, this.encrypt(secret)],
    );
    return { secret, uri: generateURI({ issuer: TOTP_ISSUER, label: user.email, secret }) };
  }

  /** The secret and URI of an enrolment begun but not yet confirmed. */
  async pendingTotp(userId: string): Promise<{ secret: string; uri: string } | undefined> {
    const user = await this.find(userId);
    const pending = (await this.credentials(userId))?.totpPendingSecret;
    if (!user || !pending) return undefined;
    const secret = this.decrypt(pending);
    return { secret, uri: generateURI({ issuer: TOTP_ISSUER, label: user.email, secret }) };
  }

  /** Turns TOTP on when `code` matches the pending secret; false when it does not (nothing changes). */
  async confirmTotp(userId: string, code: string, context: CommandContext): Promise<boolean> {
    const pending = (await this.credentials(userId))?.totpPendingSecret;
    if (!pending) return false;
    const step = await this.matchingStep(this.decrypt(pending), code, undefined);
    if (step === undefined) return false;
    const record: StaffCommand = { type: 'RecordTotpEnrolled', now: this.now(), userId };
    decideStaff(record, await this.state());
    await this.sql.query(
      `UPDATE staff_credentials SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = $2
       WHERE user_id = $1`,
      [userId, step],
    );
    await this.run(record, context);
    return true;
  }

  async removeTotp(userId: string, context: CommandContext): Promise<void> {
    await this.sql.query(
      `UPDATE staff_credentials SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL
       WHERE user_id = $1`,
      [userId],
    );
    await this.run({ type: 'RecordTotpRemoved', now: this.now(), userId }, context);
  }

  async recordSignIn(userId: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO staff_credentials (user_id, last_sign_in_at) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET last_sign_in_at = EXCLUDED.last_sign_in_at`,
      [userId, new Date(this.clock()).toISOString()],
    );
  }

  /** A one-time link token to set a password, for a user added without one (`users add`). */
  async newPasswordLink(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock() + PASSWORD_LINK_HOURS * 3_600_000).toISOString();
    await this.sql.query(`DELETE FROM staff_password_links WHERE expires_at <= $1`, [new Date(this.clock())]);
    await this.sql.query(`INSERT INTO staff_password_links (token_sha256, user_id, expires_at) VALUES ($1, $2, $3)`, [
      sha256(token),
      userId,
      expiresAt,
    ]);
    return token;
  }

  /** The active user a password link is for, while it is unused and unexpired. */
  async passwordLinkUser(token: string): Promise<StaffUser | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const { rows } = await this.sql.query<{ userId: string }>(
      `SELECT user_id AS "userId" FROM staff_password_links WHERE token_sha256 = $1 AND expires_at > $2`,
      [sha256(token), new Date(this.clock()).toISOString()],
    );
    const user = rows[0] && (await this.find(rows[0].userId));
    return user?.active ? user : undefined;
  }

  /** Sets the password through a link, which is used up; undefined when the link is not (or no longer) valid. */
  async usePasswordLink(token: string, password: string): Promise<StaffUser | undefined> {
    refuseWeakPassword(password);
    const user = await this.passwordLinkUser(token);
    if (!user) return undefined;
    const { rowCount } = await this.sql.query(`DELETE FROM staff_password_links WHERE token_sha256 = $1`, [
      sha256(token),
    ]);
    if (rowCount !== 1) return undefined;
    await this.storePassword(user.userId, password, { actor: actorOf(memberOf(user)) });
    return user;
  }

  private async matchingStep(secret: string, code: string, afterTimeStep: number | undefined) {
    if (!/^\d{6}$/.test(code)) return undefined;
    const result = await verifyTotp({
      secret,
      token: code,
      epochTolerance: 30,
      epoch: Math.floor(this.clock() / 1000),
      ...(afterTimeStep === undefined ? {} : { afterTimeStep }),
    }).catch(() => undefined);
    return result?.valid && 'timeStep' in result ? result.timeStep : undefined;
  }

  private async credentials(userId: string) {
    const { rows } = await this.sql.query<{
      passwordHash: string | null;
      totpSecret: string | null;
      totpPendingSecret: string | null;
      totpLastStep: string | null;
    }>(
      `SELECT password_hash AS "passwordHash", totp_secret AS "totpSecret",
         totp_pending_secret AS "totpPendingSecret", totp_last_step::text AS "totpLastStep"
       FROM staff_credentials WHERE user_id = $1`,
      [userId],
    );
    const row = rows[0];
    return row && { ...row, totpLastStep: row.totpLastStep === null ? undefined : Number(row.totpLastStep) };
  }

  private async run(command: StaffCommand, context: CommandContext): Promise<void> {
    await this.commands.execute(command, context);
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  private encrypt(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.totpKey, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
  }

  private decrypt(stored: string): string {
    const [iv, tag, sealed] = stored.split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.totpKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  }
}

/** Refuses a password too short to resist guessing, or too long to hash cheaply. */
export function refuseWeakPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw invalid(`A password has at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
  if (password.length > MAX_PASSWORD_LENGTH)
    throw invalid(`A password has at most ${MAX_PASSWORD_LENGTH} characters`, 'password');
}
