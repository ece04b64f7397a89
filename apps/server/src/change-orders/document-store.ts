import { Migration, migrate, SqlClient } from '@scope-ledger/event-store';
import { sha256Hex } from '@scope-ledger/documents';

const migrations: Migration[] = [
  {
    id: 'documents/001-documents',
    sql: `CREATE TABLE documents (
      sha256 text PRIMARY KEY,
      media_type text NOT NULL,
      content bytea NOT NULL,
      model jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
  },
];

export interface StoredDocument {
  sha256: string;
  content: Buffer;
  model: unknown;
}

/** Documents stored by their SHA-256: writing the same bytes twice is one row, and they survive restarts. */
export class DocumentStore {
  constructor(private readonly sql: SqlClient) {}

  async prepare(): Promise<void> {
    await migrate(this.sql, migrations);
  }

  async put(content: Buffer, model?: unknown): Promise<string> {
    const sha256 = sha256Hex(content);
    await this.sql.query(
      `INSERT INTO documents (sha256, media_type, content, model) VALUES ($1, 'application/pdf', $2, $3::jsonb) ` +
        `ON CONFLICT (sha256) DO NOTHING`,
      [sha256, content, model === undefined ? null : JSON.stringify(model)],
    );
    return sha256;
  }

  async get(sha256: string): Promise<StoredDocument | undefined> {
    const { rows } = await this.sql.query<{ sha256: string; content: Uint8Array; model: unknown }>(
      `SELECT sha256, content, model FROM documents WHERE sha256 = $1`,
      [sha256],
    );
    const row = rows[0];
    return row ? { sha256: row.sha256, content: Buffer.from(row.content), model: row.model } : undefined;
  }
}
