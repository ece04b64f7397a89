import { hash as digest, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { STAFF_ROLES, StaffRole } from '@scope-ledger/domain';
import { Migration, migrate, SqlClient } from '@scope-ledger/event-store';

export { STAFF_ROLES };
export type { StaffRole };

export interface StaffKey {
  id: string;
  name: string;
  role: StaffRole;
  createdAt: string;
  revokedAt: string | null;
  /** The user the key acts as, limited to the key's role; null for a key from before staff users, acting as itself. */
  ownerUserId: string | null;
  /** When the key last signed a request in, to the minute (see LAST_USED_RESOLUTION_MS); null if never. */
  lastUsedAt: string | null;
}

/** A timestamptz in ISO 8601 UTC, as Date#toISOString writes it ("2026-12-07T07:23:38.730Z"). */
export const isoTimestamp = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const COLUMNS =
  `id, name, role, ${isoTimestamp('created_at')} AS "createdAt", ${isoTimestamp('revoked_at')} AS "revokedAt", ` +
  `${isoTimestamp('last_used_at')} AS "lastUsedAt"`;

const migrations: Migration[] = [
  {
    id: 'api-keys/001-keys',
    sql: `CREATE TABLE api_keys (
      id text PRIMARY KEY,
      name text NOT NULL,
      role text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`,
  },
  { id: 'api-keys/002-last-used', sql: `ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz` },
];

/** Keys belong to staff users; keys made before there were users have no owner. */
const ownerMigration: Migration = {
  id: 'api-keys/003-owner',
  sql: `ALTER TABLE api_keys ADD COLUMN owner_user_id text`,
};
const OWNER_COLUMN = 'owner_user_id AS "ownerUserId"';

function hashKey(key: string): string {
  return digest('sha256', key, 'hex');
}

/**
 * How long a verified key is remembered, to spare a database round trip per request. A key revoked
 * by another process (the CLI, another server) stops working here within this time.
 */
export const VERIFIED_KEY_TTL_MS = 1_000;
const MAX_REMEMBERED_KEYS = 1_000;
/** A key's last use is written at most this often, so that using a key is not a write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Staff API keys, stored only as SHA-256 hashes. */
export class ApiKeysService {
  private readonly verified = new Map<string, { staff: StaffKey; until: number }>();
  /** Bumped by every revocation: a lookup that started before one must not remember its answer. */
  private revocations = 0;
  /** Lookups under way, by key hash, with the revocation count they began at. */
  private readonly lookups = new Map<string, { revocations: number; answer: Promise<StaffKey | undefined> }>();
  /** When this process last wrote each key's last use, by key id. */
  private readonly usesRecorded = new Map<string, number>();

  constructor(
    private readonly sql: SqlClient,
    private readonly clock: () => number = Date.now,
  ) {}

  async prepare(): Promise<void> {
    await migrate(this.sql, [...migrations, ownerMigration]);
  }

  async create(
    name: string,
    role: StaffRole,
    key = `sl_${randomBytes(24).toString('base64url')}`,
    ownerUserId: string | null = null,
  ) {
    const id = randomUUID();
    const values = [id, name, role, hashKey(key), ownerUserId];
    await this.sql.query(
      `INSERT INTO api_keys (id, name, role, key_hash, owner_user_id) VALUES ($1, $2, $3, $4, $5)`,
      values,
    );
    return { key, id, name, role, createdAt: new Date().toISOString(), revokedAt: null, ownerUserId, lastUsedAt: null };
  }

  /** Resolves a presented key to its staff member, or undefined when unknown or revoked; records its use. */
  async verify(presented: string): Promise<StaffKey | undefined> {
    const staff = await this.find(presented);
    if (staff) await this.recordUse(staff.id);
    return staff;
  }

  /** Writes the key's last use unless this process, or another one, wrote it within the last minute. */
  private async recordUse(id: string): Promise<void> {
    const now = this.clock();
    if (now - (this.usesRecorded.get(id) ?? -Infinity) < LAST_USED_RESOLUTION_MS) return;
    this.usesRecorded.set(id, now);
    if (this.usesRecorded.size > MAX_REMEMBERED_KEYS) this.usesRecorded.delete(this.usesRecorded.keys().next().value!);
    // A request that needs no database must not fail because its key's last use could not be written.
    await this.sql
      .query(
        `UPDATE api_keys SET last_used_at = $2 WHERE id = $1
         AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - interval '1 minute')`,
        [id, new Date(now).toISOString()],
      )
      .catch(() => this.usesRecorded.delete(id));
  }

  private async find(presented: string): Promise<StaffKey | undefined> {
    const hash = hashKey(presented);
    const remembered = this.verified.get(hash);
    if (remembered && remembered.until > this.clock()) return remembered.staff;
    // When the remembered answer runs out, every request in flight with that key would look it
    // up at once; they share one lookup instead, unless a revocation came after it began.
    const running = this.lookups.get(hash);
    if (running && running.revocations === this.revocations) return running.answer;
    const lookup = { revocations: this.revocations, answer: this.lookUp(hash) };
    this.lookups.set(hash, lookup);
    try {
      return await lookup.answer;
    } finally {
      if (this.lookups.get(hash) === lookup) this.lookups.delete(hash);
    }
  }

  private async lookUp(hash: string): Promise<StaffKey | undefined> {
    const revocationsBefore = this.revocations;
    const { rows } = await this.sql.query<StaffKey & { keyHash: string }>(
      `SELECT ${COLUMNS}, ${OWNER_COLUMN}, key_hash AS "keyHash" FROM api_keys WHERE key_hash = $1`,
      [hash],
    );
    this.verified.delete(hash);
    if (rows.length === 0) return undefined;
    const { keyHash, ...staff } = rows[0];
    // The lookup is by hash; the comparison is repeated in constant time so no timing path depends on the key.
    if (!timingSafeEqual(Buffer.from(keyHash, 'hex'), Buffer.from(hash, 'hex')) || staff.revokedAt) return undefined;
    if (this.revocations !== revocationsBefore) return staff;
    this.verified.set(hash, { staff, until: this.clock() + VERIFIED_KEY_TTL_MS });
    if (this.verified.size > MAX_REMEMBERED_KEYS) this.verified.delete(this.verified.keys().next().value!);
    return staff;
  }

  async list(): Promise<StaffKey[]> {
    const { rows } = await this.sql.query<StaffKey>(
      `SELECT ${COLUMNS}, ${OWNER_COLUMN} FROM api_keys ORDER BY created_at`,
    );
    return rows;
  }

  async revoke(id: string): Promise<boolean> {
    this.revocations += 1;
    const { rowCount } = await this.sql.query(
      `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    );
    for (const [hash, { staff }] of this.verified) if (staff.id === id) this.verified.delete(hash);
    return rowCount > 0;
  }

  /**
   * ADMIN_API_KEY, for scripted installs: an admin key with that value unless one was made (or revoked) before,
   * owned by `ownerUserId` (the owner account once there is one). Without ADMIN_API_KEY no key is made: the
   * setup page creates the owner account.
   */
  async ensureAdminKey(configuredKey: string | undefined, ownerUserId: string | null): Promise<void> {
    if (!configuredKey) return;
    const { rows } = await this.sql.query(`SELECT 1 FROM api_keys WHERE key_hash = $1`, [hashKey(configuredKey)]);
    if (rows.length === 0) await this.create('Administrator', 'admin', configuredKey, ownerUserId);
  }

  /** The keys a user owns, revoked or not. */
  async keysOf(ownerUserId: string): Promise<StaffKey[]> {
    const { rows } = await this.sql.query<StaffKey>(
      `SELECT ${COLUMNS}, ${OWNER_COLUMN} FROM api_keys WHERE owner_user_id = $1 ORDER BY created_at`,
      [ownerUserId],
    );
    return rows;
  }
}
