import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { Platform, verifyAuditTrail } from '@scope-ledger/platform';
import { seedDemo } from '../../apps/cli/src/demo.command';
import { exportEvents, ExportedEvent, importEvents } from '../../apps/cli/src/events.command';
import { rebuildProjections } from '../../apps/cli/src/projections.command';
import {
  CliTestDatabase,
  createSeparateDatabase,
  openTestPlatform,
  readModelRows,
  runCli,
  SETUP_TIMEOUT_MS,
  testConfig,
} from './cli-test-support';

async function exportToFile(platform: Platform, file: string): Promise<number> {
  const out = createWriteStream(file);
  const count = await exportEvents(platform, out);
  out.end();
  await finished(out);
  return count;
}

describe('events export and import', () => {
  let source: CliTestDatabase;
  let target: CliTestDatabase;
  /** Stays empty through the refused import, then takes the command-line import. */
  let spare: CliTestDatabase;
  let sourcePlatform: Platform;
  let targetPlatform: Platform;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'scope-ledger-export-'));
    source = await createSeparateDatabase();
    target = await createSeparateDatabase();
    spare = await createSeparateDatabase();
    sourcePlatform = await openTestPlatform(source.sql);
    targetPlatform = await openTestPlatform(target.sql);
    // Drafted, issued, signed and invoiced orders: every read model has rows.
    await seedDemo(sourcePlatform, { config: testConfig, today: '2026-03-20' });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await sourcePlatform.close();
    await targetPlatform.close();
    await source.drop();
    await target.drop();
    await spare.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('moves every event into another database, where a rebuild gives identical read models', async () => {
    const file = join(folder, 'events.ndjson');
    const exported = await exportToFile(sourcePlatform, file);

    const imported = await importEvents(targetPlatform, file);
    // Three projects, the product catalogue and the team.
    expect(imported).toEqual({ events: exported, streams: 5 });

    const rebuiltSource = await rebuildProjections(sourcePlatform);
    const rebuiltTarget = await rebuildProjections(targetPlatform);
    expect(rebuiltTarget.events).toBe(rebuiltSource.events);

    const sourceRows = await readModelRows(source.sql);
    expect(sourceRows.projects).toHaveLength(3);
    expect(sourceRows.change_requests.length).toBeGreaterThan(3);
    expect(sourceRows.portfolio_rows).toHaveLength(3);
    // The network refresh's two orders and the cloud migration's credit order.
    expect(sourceRows.change_orders.filter((row) => (row as { status: string }).status === 'signed')).toHaveLength(3);
    expect(await readModelRows(target.sql)).toEqual(sourceRows);

    // Ids, revisions and hash chains came across unchanged.
    expect(await verifyAuditTrail(targetPlatform)).toMatchObject({ streams: 5, events: exported, broken: [] });
    const reexported = join(folder, 're-exported.ndjson');
    await exportToFile(targetPlatform, reexported);
    const withoutRecordedAt = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => {
          const { recordedAt: _recordedAt, ...event } = JSON.parse(line) as ExportedEvent;
          return event;
        });
    expect(withoutRecordedAt(readFileSync(reexported, 'utf8'))).toEqual(withoutRecordedAt(readFileSync(file, 'utf8')));
  });

  it('writes one JSON object per line in commit order, revisions as strings', async () => {
    const file = join(folder, 'format.ndjson');
    await exportToFile(sourcePlatform, file);
    const events = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ExportedEvent);
    expect(Object.keys(events[0]).sort()).toEqual([
      'data',
      'id',
      'metadata',
      'recordedAt',
      'revision',
      'schemaVersion',
      'streamId',
      'type',
    ]);
    // The demo fills the catalogue first, then opens its projects.
    expect(events[0]).toMatchObject({ streamId: 'catalogue', revision: '0', type: 'ProductCatalogued' });
    expect(events.find((e) => e.streamId.startsWith('project-'))).toMatchObject({
      revision: '0',
      type: 'ProjectOpened',
      schemaVersion: 2,
    });
    expect(events[0].metadata.hash).toMatch(/^[0-9a-f]{64}$/);
    // Within each stream the revisions run 0, 1, 2, … in file order.
    const seen = new Map<string, number>();
    for (const event of events) {
      const next = seen.get(event.streamId) ?? 0;
      expect(event.revision).toBe(String(next));
      seen.set(event.streamId, next + 1);
    }
  });

  it('refuses to import into a store that already holds events, and writes nothing', async () => {
    const file = join(folder, 'again.ndjson');
    const count = await exportToFile(sourcePlatform, file);
    await expect(importEvents(sourcePlatform, file)).rejects.toThrow(/already holds events.*empty store/);
    expect(await exportToFile(sourcePlatform, join(folder, 'after.ndjson'))).toBe(count);
  });

  it('refuses a file with a gap in a stream before writing anything', async () => {
    const file = join(folder, 'gap.ndjson');
    await exportToFile(sourcePlatform, file);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    writeFileSync(file, [...lines.slice(0, 2), ...lines.slice(3)].join('\n') + '\n');
    const platform = await openTestPlatform(spare.sql);
    try {
      await expect(importEvents(platform, file)).rejects.toThrow(/line 3: catalogue revision 3 follows revision 1/);
      expect(await platform.store.readAll()).toEqual([]);
    } finally {
      await platform.close();
    }
  });

  it('runs from the command line: export to a file, then import tells the user to rebuild', async () => {
    const file = join(folder, 'cli.ndjson');
    const exported = await runCli(source.sql, ['events', 'export', '--out', file]);
    expect(exported.stdout).toMatch(new RegExp(`^Exported \\d+ events to ${file}\\.`));

    const imported = await runCli(spare.sql, ['events', 'import', file]);
    expect(imported.exitCode).toBe(0);
    expect(imported.stdout).toMatch(/Imported \d+ events in 5 streams/);
    expect(imported.stdout).toContain('run "projections rebuild" next');
  });
});
