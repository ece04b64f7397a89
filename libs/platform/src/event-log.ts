import { projectStreamId } from '@scope-ledger/domain';
import { EventStore, PostgresEventStore, RecordedEvent, START } from '@scope-ledger/event-store';
import { Platform } from './platform';

const PAGE_SIZE = 1000;
/** What every project's stream id starts with. */
export const PROJECT_STREAMS = projectStreamId('');

/** The whole log in commit order, a page at a time, so no store is read into memory at once. */
export async function* readAllPages(store: EventStore, streamPrefix?: string): AsyncGenerator<RecordedEvent[]> {
  let after = START;
  for (;;) {
    const page = await store.readAll({ after, limit: PAGE_SIZE, streamPrefix });
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1].position;
  }
}

/** Events in the SQL `events` table are counted with SQL; with EventStoreDB, SQL holds only the read models. */
function keepsEventsInSql(platform: Platform): boolean {
  return platform.store instanceof PostgresEventStore;
}

export async function countEvents(platform: Platform, streamPrefix?: string): Promise<number> {
  if (keepsEventsInSql(platform)) {
    const { rows } = await platform.sql.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM events WHERE $1::text IS NULL OR starts_with(stream_id, $1::text)`,
      [streamPrefix ?? null],
    );
    return Number(rows[0].count);
  }
  let count = 0;
  for await (const page of readAllPages(platform.store, streamPrefix)) count += page.length;
  return count;
}

/** The ids of the streams that hold events, in order; only those starting with `streamPrefix` when given. */
export async function streamIds(platform: Platform, streamPrefix?: string): Promise<string[]> {
  if (keepsEventsInSql(platform)) {
    const { rows } = await platform.sql.query<{ stream_id: string }>(
      `SELECT DISTINCT stream_id FROM events WHERE $1::text IS NULL OR starts_with(stream_id, $1::text)
       ORDER BY stream_id`,
      [streamPrefix ?? null],
    );
    return rows.map((r) => r.stream_id);
  }
  const ids = new Set<string>();
  for await (const page of readAllPages(platform.store, streamPrefix))
    for (const event of page) ids.add(event.streamId);
  return [...ids].sort();
}
