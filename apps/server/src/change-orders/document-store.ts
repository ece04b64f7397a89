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
  content: Buffer;
  /** What the document was rendered from, when it was stored with it. */
  model: unknown;
}

/** Documents stored by their SHA-256: writing the same bytes twice is one row, and they survive restarts. */
export class DocumentStore {
  constructor(private readonly sql: SqlClient) {}

  async prepare(): Promise<void> {
    await migrate(this.sql, migrations);
  }

  async put(content: Buffer, model?: unknown, mediaType = 'application/pdf'): Promise<string> {
    const sha256 = sha256Hex(content);
    await this.sql.query(
      `INSERT INTO documents (sha256, media_type, content, model) VALUES ($1, $4, $2, $3::jsonb) ` +
        `ON CONFLICT (sha256) DO NOTHING`,
      [sha256, content, model === undefined ? null : JSON.stringify(model), mediaType],
    );
    return sha256;
  }

  /** Text shown to a signer (the consent disclosure), kept by its SHA-256 like the documents. */
  putText(text: string): Promise<string> {
    return this.put(Buffer.from(text, 'utf8'), undefined, 'text/plain; charset=utf-8');
  }

  /** Stored text only (never a PDF): the consent disclosures anyone may read back by the hash in the events. */
  async getText(sha256: string): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ content: Uint8Array }>(
      `SELECT content FROM documents WHERE sha256 = $1 AND media_type LIKE 'text/plain%'`,
      [sha256],
    );
    return rows[0] && Buffer.from(rows[0].content).toString('utf8');
  }

  async get(sha256: string): Promise<StoredDocument | undefined> {
    const { rows } = await this.sql.query<{ content: Uint8Array; model: unknown }>(
      `SELECT content, model FROM documents WHERE sha256 = $1`,
      [sha256],
    );
    return rows[0] && { content: Buffer.from(rows[0].content), model: rows[0].model };
  }
}
