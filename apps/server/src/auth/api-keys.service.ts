import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Migration, migrate, SqlClient } from '@scope-ledger/event-store';

export type StaffRole = 'admin' | 'pm' | 'finance';
export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'pm', 'finance'];

export interface StaffKey {
  id: string;
  name: string;
  role: StaffRole;
  createdAt: string;
  revokedAt: string | null;
}

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
];

function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Staff API keys, stored only as SHA-256 hashes. */
export class ApiKeysService {
  constructor(private readonly sql: SqlClient) {}

  async prepare(): Promise<void> {
    await migrate(this.sql, migrations);
  }

  async create(name: string, role: StaffRole, key = `sl_${randomBytes(24).toString('base64url')}`): Promise<{ key: string } & StaffKey> {
    const id = randomUUID();
    await this.sql.query(`INSERT INTO api_keys (id, name, role, key_hash) VALUES ($1, $2, $3, $4)`, [id, name, role, hashKey(key)]);
    return { key, id, name, role, createdAt: new Date().toISOString(), revokedAt: null };
  }

  /** Resolves a presented key to its staff member, or undefined when unknown or revoked. */
  async verify(presented: string): Promise<StaffKey | undefined> {
    const hash = hashKey(presented);
    const { rows } = await this.sql.query<{ id: string; name: string; role: StaffRole; key_hash: string; created_at: string; revoked_at: string | null }>(
      `SELECT id, name, role, key_hash, created_at::text AS created_at, revoked_at::text AS revoked_at FROM api_keys WHERE key_hash = $1`,
      [hash],
    );
    const row = rows[0];
    // The lookup is by hash; the comparison is repeated in constant time so no timing path depends on the key.
    if (!row || !timingSafeEqual(Buffer.from(row.key_hash, 'hex'), Buffer.from(hash, 'hex')) || row.revoked_at) return undefined;
    return { id: row.id, name: row.name, role: row.role, createdAt: row.created_at, revokedAt: row.revoked_at };
  }

  async list(): Promise<StaffKey[]> {
    const { rows } = await this.sql.query<StaffKey>(
      `SELECT id, name, role, created_at::text AS "createdAt", revoked_at::text AS "revokedAt" FROM api_keys ORDER BY created_at`,
    );
    return rows;
  }

  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
    return rowCount > 0;
  }

  /** On first start: the configured ADMIN_API_KEY, or a new one to print once. */
  async ensureAdminKey(configuredKey?: string): Promise<{ created: boolean; key?: string }> {
    // A key made with the CLI before the first start must not leave the server without an admin.
    const { rows } = await this.sql.query<{ count: string }>(`SELECT count(*)::text AS count FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL`);
    if (Number(rows[0].count) > 0) return { created: false };
    const created = await this.create('Administrator', 'admin', configuredKey);
    return { created: true, key: configuredKey ? undefined : created.key };
  }
}
