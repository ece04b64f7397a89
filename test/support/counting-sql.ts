import { SqlClient } from '@scope-ledger/event-store';

/** The same database client, counting the statements that match: how many round trips some work took. */
export function countingStatements(
  sql: SqlClient,
  matches: (text: string, params: readonly unknown[]) => boolean,
): { sql: SqlClient; count: () => number } {
  let count = 0;
  const counted: SqlClient = Object.create(sql);
  counted.query = (text, params = []) => {
    if (matches(text, params)) count += 1;
    return sql.query(text, params);
  };
  return { sql: counted, count: () => count };
}
