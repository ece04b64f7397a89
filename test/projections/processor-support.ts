import { randomUUID } from 'node:crypto';
import { foldEvents, ProjectEvent, projectStreamId, ProjectState, SCHEMA_VERSIONS } from '@scope-ledger/domain';
import { EventStore, NewEvent, Position, SqlClient, SqlQueryable } from '@scope-ledger/event-store';
import { PROJECT_TABLES, toProjectEvent } from '@scope-ledger/projections';
import { HistoryStep } from '../../libs/projections/src/testing/project-histories';

/** A command's events as the server writes them: each with its schema version, the command's time as metadata. */
export function newEvents(events: readonly ProjectEvent[], occurredAt: string): NewEvent[] {
  const correlationId = randomUUID();
  return events.map((event) => ({
    id: randomUUID(),
    type: event.type,
    schemaVersion: SCHEMA_VERSIONS[event.type],
    data: event.data as unknown as Record<string, unknown>,
    metadata: {
      actor: { kind: 'system', id: 'projection-test' },
      occurredAt,
      correlationId,
      causationId: correlationId,
    },
  }));
}

/** Appends the steps' events, those of consecutive steps of one project in one append; the position of the last. */
export async function appendSteps(store: EventStore, steps: readonly HistoryStep[]): Promise<Position | undefined> {
  let last: Position | undefined;
  for (let at = 0; at < steps.length;) {
    const projectId = steps[at].projectId;
    const events: NewEvent[] = [];
    for (; at < steps.length && steps[at].projectId === projectId; at++)
      events.push(...newEvents(steps[at].events, steps[at].now));
    last = (await store.append(projectStreamId(projectId), events, 'any')).position;
  }
  return last;
}

/** A project's events as stored, folded from scratch: what its read tables must hold. */
export async function foldedStream(store: EventStore, projectId: string): Promise<ProjectState & { revision: number }> {
  const stored = await store.readStream(projectStreamId(projectId));
  return { ...foldEvents(stored.map((e) => toProjectEvent(e)!)), revision: stored.length - 1 };
}

/** A state with its Maps as lists of entries, so that comparing two also compares the order of their records. */
export function inOrder(state: ProjectState & { revision?: number }): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(state).map(([key, value]) => [key, value instanceof Map ? [...value] : value]),
  );
}

/** Every read table's rows in the order they were first written. */
export async function dumpReadTables(sql: SqlQueryable): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of [...PROJECT_TABLES, 'portfolio_rows']) {
    const { rows } = await sql.query(`SELECT * FROM ${table} ORDER BY seq`);
    dump[table] = rows.map(({ seq: _seq, ...row }) => row);
  }
  return dump;
}

/**
 * The same client, keeping the statements its transactions send with their parameters, and
 * failing the transactions `failing` says should fail before they start.
 */
export function watchedSql(
  sql: SqlClient,
  failing: () => Error | undefined = () => undefined,
): { sql: SqlClient; statements: { text: string; params: readonly unknown[]; rows: number }[] } {
  const statements: { text: string; params: readonly unknown[]; rows: number }[] = [];
  const watched: SqlClient = Object.create(sql);
  watched.transaction = (fn) => {
    const error = failing();
    if (error) return Promise.reject(error);
    return sql.transaction((tx) =>
      fn({
        query: async (text, params = []) => {
          const result = await tx.query(text, params);
          statements.push({ text, params, rows: result.rows.length });
          return result;
        },
      } as SqlQueryable),
    );
  };
  return { sql: watched, statements };
}

export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
