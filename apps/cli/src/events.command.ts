import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Command } from 'commander';
import { comparePositions, formatPosition, NewEvent, RecordedEvent, START } from '@scope-ledger/event-store';
import { countEvents, Platform, readAllPages } from '@scope-ledger/platform';
import { CliContext, print, withPlatform } from './cli-context';
import { noProgress, ProgressReporter } from './output';

/** One line of an export. Revisions are strings: they are 64-bit in every store. */
export interface ExportedEvent extends NewEvent {
  streamId: string;
  revision: string;
  recordedAt: string;
}

function toExportedEvent(event: RecordedEvent): ExportedEvent {
  return {
    streamId: event.streamId,
    revision: event.revision.toString(),
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  };
}

/** Writes every event of the store in commit order as NDJSON; returns how many. */
export async function exportEvents(
  platform: Platform,
  out: Writable,
  progress: ProgressReporter = noProgress,
): Promise<number> {
  progress.start(await countEvents(platform));
  let written = 0;
  try {
    for await (const page of readAllPages(platform.store)) {
      const text = page.map((event) => `${JSON.stringify(toExportedEvent(event))}\n`).join('');
      if (!out.write(text)) await once(out, 'drain');
      written += page.length;
      progress.update(written);
    }
  } finally {
    progress.stop();
  }
  return written;
}

export interface ImportOutcome {
  events: number;
  streams: number;
}

interface ImportedEvent {
  streamId: string;
  revision: bigint;
  event: NewEvent;
}

/** Events of one stream appended together; consecutive lines of a stream share one append. */
const MAX_APPEND_BATCH = 500;

/**
 * Loads an export into an empty store, checking the whole file before writing. Events keep their ids, revisions
 * and metadata (the hash chain) in commit order, so the audit trail verifies and a rebuild gives the same read models.
 */
export async function importEvents(
  platform: Platform,
  file: string,
  progress: ProgressReporter = noProgress,
): Promise<ImportOutcome> {
  const head = await platform.store.headPosition();
  if (comparePositions(head, START) !== 0) {
    throw new Error(
      `The target event store already holds events (head at ${formatPosition(head)}). ` +
        'Import only into an empty store: point DATA_DIR or DATABASE_URL at a new database.',
    );
  }

  const nextRevision = new Map<string, bigint>();
  let total = 0;
  for await (const { event, line } of readExport(file)) {
    const expected = nextRevision.get(event.streamId) ?? 0n;
    if (event.revision !== expected) {
      throw new Error(
        `${file} line ${line}: ${event.streamId} revision ${event.revision} follows revision ${expected - 1n}; ` +
          'the export is incomplete or out of order',
      );
    }
    nextRevision.set(event.streamId, expected + 1n);
    total += 1;
  }

  progress.start(total);
  let imported = 0;
  let batch: ImportedEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const { streamId, revision } = batch[0];
    const events = batch.map((b) => b.event);
    await platform.store.append(streamId, events, revision === 0n ? 'no_stream' : revision - 1n);
    imported += batch.length;
    progress.update(imported);
    batch = [];
  };
  try {
    for await (const { event } of readExport(file)) {
      if (batch.length > 0 && (batch[0].streamId !== event.streamId || batch.length >= MAX_APPEND_BATCH)) await flush();
      batch.push(event);
    }
    await flush();
  } finally {
    progress.stop();
  }
  return { events: imported, streams: nextRevision.size };
}

async function* readExport(file: string): AsyncGenerator<{ event: ImportedEvent; line: number }> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    yield { event: parseExportedLine(text, `${file} line ${line}`), line };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseExportedLine(text: string, where: string): ImportedEvent {
  const fail = (what: string) => new Error(`${where}: ${what}`);
  let value: Partial<ExportedEvent>;
  try {
    value = JSON.parse(text) as Partial<ExportedEvent>;
  } catch {
    throw fail('not a JSON object');
  }
  if (!isObject(value)) throw fail('not a JSON object');
  const { streamId, revision, id, type, schemaVersion, data, metadata } = value;
  if (typeof streamId !== 'string' || streamId === '') throw fail('streamId is missing');
  if (typeof revision !== 'string' || !/^\d{1,19}$/.test(revision))
    throw fail('revision must be a whole number in a string');
  if (typeof id !== 'string' || !UUID.test(id)) throw fail('id must be a UUID');
  if (typeof type !== 'string' || type === '') throw fail('type is missing');
  if (!Number.isInteger(schemaVersion)) throw fail('schemaVersion must be a whole number');
  if (!isObject(data)) throw fail('data must be an object');
  if (!isObject(metadata)) throw fail('metadata must be an object');
  return { streamId, revision: BigInt(revision), event: { id, type, schemaVersion: schemaVersion!, data, metadata } };
}

export function registerEventsCommands(program: Command, cli: CliContext): void {
  const events = program.command('events').description('the event log itself: export and import');

  events
    .command('export')
    .description('write every event in commit order as NDJSON (one JSON object per line)')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (options: { out?: string }) => {
      const out = options.out ? createWriteStream(options.out) : cli.stdout;
      const count = await withPlatform(cli, (platform) => exportEvents(platform, out, cli.progress('Exporting')));
      if (options.out) {
        out.end();
        await finished(out);
        print(cli.stdout, `Exported ${count} events to ${options.out}.`);
      } else {
        print(cli.stderr, `Exported ${count} events.`);
      }
    });

  events
    .command('import')
    .description('load an export into the configured store, which must be empty')
    .argument('<file>', 'an NDJSON file written by "events export"')
    .action(async (file: string) => {
      const outcome = await withPlatform(cli, (platform) => importEvents(platform, file, cli.progress('Importing')));
      print(
        cli.stdout,
        `Imported ${outcome.events} events in ${outcome.streams} streams from ${file}.\n` +
          'The read models are still empty: run "projections rebuild" next.',
      );
    });
}
