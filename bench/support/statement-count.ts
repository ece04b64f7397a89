import { SqlClient, SqlQueryable } from '@scope-ledger/event-store';

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
  const counted = (queryable: SqlQueryable): SqlQueryable['query'] =>
    (text, params) => {
      statements += 1;
      return queryable.query(text, params);
    };
  const sql: SqlClient = Object.create(inner);
  sql.query = counted(inner);
  const countedPrepared = (queryable: SqlQueryable): SqlQueryable['queryPrepared'] =>
    queryable.queryPrepared &&
    ((name, text, params) => {
      statements += 1;
      return queryable.queryPrepared!(name, text, params);
    });
  sql.queryPrepared = countedPrepared(inner)!;
  sql.transaction = (fn) => {
    statements += 2;
    return inner.transaction((tx) => fn({ query: counted(tx), queryPrepared: countedPrepared(tx) }));
  };
  return { sql, statements: () => statements };
}
