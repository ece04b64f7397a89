import { SqlClient, SqlQueryable } from '@scope-ledger/event-store';

/** One statement, or one whole transaction (its BEGIN, statements and COMMIT), as a server sends it. */
export interface SentStatement {
  readonly kind: 'statement' | 'transaction';
  /** A statement's text; empty for a transaction. */
  readonly text: string;
  readonly inTransaction: boolean;
}

/**
 * The client with `around` wrapped about every statement and every transaction the server
 * sends through it, each passed on unchanged: for counting or timing them.
 */
export function aroundStatements(
  inner: SqlClient,
  around: <R>(sent: SentStatement, run: () => Promise<R>) => Promise<R>,
): SqlClient {
  const wrapped = (queryable: SqlQueryable, inTransaction: boolean): SqlQueryable => ({
    query: ((text: string, params?: readonly unknown[]) =>
      around({ kind: 'statement', text, inTransaction }, () => queryable.query(text, params))) as SqlQueryable['query'],
    queryPrepared:
      queryable.queryPrepared &&
      (((name: string, text: string, params: readonly unknown[]) =>
        around({ kind: 'statement', text, inTransaction }, () =>
          queryable.queryPrepared!(name, text, params),
        )) as SqlQueryable['queryPrepared']),
  });
  const sql: SqlClient = Object.create(inner);
  Object.assign(sql, wrapped(inner, false));
  sql.transaction = (fn) =>
    around({ kind: 'transaction', text: '', inTransaction: false }, () =>
      inner.transaction((tx) => fn(wrapped(tx, true))),
    );
  return sql;
}

/**
 * Counts the statements a server sends to its database (a transaction's BEGIN and COMMIT
 * included), passing each on unchanged: the commands benchmark reports them per command.
 */
export interface StatementCount {
  readonly sql: SqlClient;
  statements(): number;
}

export function countStatements(inner: SqlClient): StatementCount {
  let statements = 0;
  const sql = aroundStatements(inner, (sent, run) => {
    statements += sent.kind === 'transaction' ? 2 : 1;
    return run();
  });
  return { sql, statements: () => statements };
}
