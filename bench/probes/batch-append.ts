import { randomUUID } from 'node:crypto';
import { NewEvent, PostgresEventStore } from '@scope-ledger/event-store';
import { createSchema, dropEverything, pgClient } from '../support/databases';
import { interleavedHistories } from '../support/event-mix';
import { runProbe } from '../support/probe';
import { median, nowMs } from '../support/stats';

/**
 * Section 1's batch row (one writer appending ROWS events at a time with the expected
 * revision, cycling over 100 streams) for Scope Ledger's store and the raw multi-row INSERT,
 * alternating in one process for many rounds, so that two versions of the append statement
 * can be compared by their ratio to raw (run the probe on each; the machine's speed drifts).
 *
 *   npm run build && npx swc bench -d dist --config-file .swcrc --quiet
 *   ROWS=100 ROUNDS=12 node dist/bench/probes/batch-append.js
 */
async function main(): Promise<void> {
  const rows = Number(process.env.ROWS ?? 100);
  const rounds = Number(process.env.ROUNDS ?? 12);
  const sql = pgClient(await createSchema('batch_append'));
  const store = await PostgresEventStore.create(sql);
  await sql.exec('CREATE TABLE raw_events (LIKE events INCLUDING ALL)');
  const pool: NewEvent[] = [];
  for (const unit of interleavedHistories({
    totalEvents: 2_000,
    activeProjects: 20,
    eventsPerProject: [40, 80],
    seed: 3,
  }))
    pool.push(...unit.events);
  let cursor = 0;
  const heads = new Map<string, number>();

  const appendRaw = async (streamId: string, first: number, events: readonly NewEvent[]) => {
    const params: unknown[] = [];
    const values = events.map((event, i) => {
      params.push(
        streamId,
        first + i,
        event.id,
        event.type,
        event.schemaVersion,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
      );
      const p = params.length - 6;
      return `($${p}, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`;
    });
    await sql.query(
      `INSERT INTO raw_events (stream_id, stream_revision, event_id, event_type, schema_version, data, metadata) ` +
        `VALUES ${values.join(', ')}`,
      params,
    );
  };
  const run = async (target: 'store' | 'raw', ms: number): Promise<number> => {
    const started = nowMs();
    let events = 0;
    for (let i = 0; nowMs() - started < ms; i++) {
      const streamId = `${target}-${i % 100}`;
      const head = heads.get(streamId) ?? -1;
      const batch = Array.from({ length: rows }, () => ({ ...pool[cursor++ % pool.length], id: randomUUID() }));
      if (target === 'store') await store.append(streamId, batch, head < 0 ? 'no_stream' : BigInt(head));
      else await appendRaw(streamId, head + 1, batch);
      heads.set(streamId, head + rows);
      events += rows;
    }
    return (events / (nowMs() - started)) * 1000;
  };

  try {
    await run('store', 300);
    await run('raw', 300);
    const rates = { store: [] as number[], raw: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      for (const target of round % 2 === 0 ? (['store', 'raw'] as const) : (['raw', 'store'] as const))
        rates[target].push(await run(target, 1_500));
    }
    const storeRate = median(rates.store);
    const raw = median(rates.raw);
    console.log(
      `${rows} events per append, 1 writer, medians of ${rounds} rounds: store ${Math.round(storeRate)}/s, ` +
        `raw INSERT ${Math.round(raw)}/s = ${(storeRate / raw).toFixed(2)}× raw`,
    );
  } finally {
    await store.close();
    await sql.close();
    await dropEverything();
  }
}

runProbe(main);
