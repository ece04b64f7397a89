import { queryKept, SqlQueryable } from '@scope-ledger/event-store';

/** An upsert of rows of bound parameters: `values` is one row's placeholders, numbered from 1. */
export interface RowUpsert {
  /** Names the statements where they are kept prepared (with their number of rows). */
  readonly name: string;
  readonly insert: string;
  readonly values: string;
  readonly onConflict: string;
  readonly parameters: number;
}

/** Parameters per statement at most: 40,000, below PostgreSQL's 65,535. */
const MAX_PARAMETERS = 40_000;

/**
 * Rows of bound parameters rather than one JSON document: PostgreSQL need not lex a document
 * to find them, which took about half the time of a rebuild's part writes.
 */
export async function upsertRows<T>(
  tx: SqlQueryable,
  upsert: RowUpsert,
  items: readonly T[],
  row: (item: T) => unknown[],
): Promise<void> {
  const perStatement = rowsPerStatement(upsert);
  for (let at = 0; at < items.length; at += perStatement) {
    const chunk = items.slice(at, at + perStatement);
    const params: unknown[] = [];
    for (const item of chunk) for (const value of row(item)) params.push(value);
    const sql = upsertSql(upsert, chunk.length);
    await (kept(upsert, chunk.length)
      ? queryKept(tx, `${upsert.name}_${chunk.length}`, sql, params)
      : tx.query(sql, params));
  }
}

const rowsPerStatement = (upsert: RowUpsert) => Math.floor(MAX_PARAMETERS / upsert.parameters);

/**
 * The statements kept (their text here, and prepared where the client can): the full one of a
 * rebuild, and those of the live runner's small batches, which PostgreSQL would otherwise parse
 * and plan for every batch.
 */
const statements = new Map<RowUpsert, Map<number, string>>();
const kept = (upsert: RowUpsert, rows: number) => rows === rowsPerStatement(upsert) || rows <= 64;

function upsertSql(upsert: RowUpsert, rows: number): string {
  let byRows = statements.get(upsert);
  if (!byRows) statements.set(upsert, (byRows = new Map()));
  const remembered = byRows.get(rows);
  if (remembered) return remembered;
  const values = Array.from({ length: rows }, (_, i) =>
    upsert.values.replace(/\$(\d+)/g, (_match, n: string) => `$${i * upsert.parameters + Number(n)}`),
  );
  const sql = `${upsert.insert} VALUES ${values.join(', ')} ${upsert.onConflict}`;
  if (kept(upsert, rows)) byRows.set(rows, sql);
  return sql;
}
