import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { REBUILD_BATCH_SIZE } from '@scope-ledger/projections';
import type { AppendRow, AppendTargetName } from './append';
import type { CheckpointLog } from './support/checkpoints';
import type { CommandsResult } from './commands';
import type { DocumentsResult } from './documents';
import type { LongStreamResult } from './long-streams';
import type { PortfolioResult } from './portfolio';
import type { RebuildResult } from './rebuild';
import { formatMiB, formatMs, formatRate, formatRatio, ratio } from './support/stats';

export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  os: string;
  node: string;
  /** The flags this process (which serves the commands and portfolio sections) runs Node with. */
  nodeFlags: string;
  /** The flags `npm start` runs the server with. */
  serverFlags: string;
  loadAverageAtStart: string[];
  loadAverageAtEnd?: string[];
  pglite: string;
  emmett: string;
}

export interface BenchReport {
  command: string;
  quick: boolean;
  startedAt: string;
  seconds?: number;
  machine: MachineFacts;
  postgres: Record<string, string>;
  append?: { rows: AppendRow[]; emmettOnPglite: string };
  commands?: CommandsResult;
  longStreams?: LongStreamResult;
  rebuild?: RebuildResult;
  documents?: DocumentsResult;
  portfolio?: PortfolioResult;
  checkpoints?: CheckpointLog;
}

/** The Node flags in package.json's `start` script. */
function startScriptFlags(): string {
  const { scripts } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return (scripts.start.match(/(?<=^node )(--\S+ )*/)?.[0] ?? '').trim();
}

function packageVersion(name: string): string {
  try {
    let dir = dirname(require.resolve(name));
    while (
      !existsSync(join(dir, 'package.json')) ||
      JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name
    )
      dir = dirname(dir);
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export function machineFacts(): MachineFacts {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
    os: `Linux ${release()}`,
    node: process.version,
    nodeFlags: process.execArgv.join(' '),
    serverFlags: startScriptFlags(),
    loadAverageAtStart: loadavg().map((l) => l.toFixed(2)),
    pglite: packageVersion('@electric-sql/pglite'),
    emmett: packageVersion('@event-driven-io/emmett-postgresql'),
  };
}

interface Goal {
  goal: string;
  measured: string;
  holds: boolean;
}

const yes = (holds: boolean) => (holds ? 'holds' : '**does not hold**');

function appendGoals(rows: AppendRow[]): Goal[] {
  const goals: Goal[] = [];
  const pg = rows.filter((r) => r.rates.Emmett !== undefined);
  if (pg.length > 0) {
    const ratios = pg.map((r) => ratio(r.rates['Scope Ledger']!, r.rates.Emmett!));
    const worst = Math.min(...ratios);
    goals.push({
      goal: 'Append: ≥ 1.2× Emmett in every row (PostgreSQL)',
      measured: `lowest ${formatRatio(worst)} (${pg[ratios.indexOf(worst)].scenario})`,
      holds: worst >= 1.2,
    });
  }
  const toRaw = rows.map((r) => ratio(r.rates['Scope Ledger']!, r.rates['raw INSERT']!));
  const worstRaw = Math.min(...toRaw);
  goals.push({
    goal: 'Append: within 2× of raw INSERTs in every row (Scope Ledger ≥ 0.5× raw)',
    measured:
      `lowest ${formatRatio(worstRaw)} of raw ` +
      `(${rows[toRaw.indexOf(worstRaw)].database}, ${rows[toRaw.indexOf(worstRaw)].scenario})`,
    holds: worstRaw >= 0.5,
  });
  return goals;
}

export function goals(report: BenchReport): Goal[] {
  const list: Goal[] = [];
  if (report.append) list.push(...appendGoals(report.append.rows));
  if (report.commands) {
    const c = report.commands;
    const share = c.throughputRatio;
    list.push({
      goal: 'Commands over HTTP: ≥ 1/3 of the bare endpoint',
      measured:
        `${formatRate(c.ledger.requestsPerSecond)} vs ${formatRate(c.bare.requestsPerSecond)} req/s ` +
        `(medians of ${c.rounds.length} rounds); median round ${formatRatio(share)}`,
      holds: share >= 1 / 3,
    });
    list.push({
      goal: 'Commands over HTTP: p99 < 50 ms at half the peak rate',
      measured: `p99 ${formatMs(c.halfRate.p99Ms)} ms at ${formatRate(c.halfRate.requestsPerSecond)} req/s`,
      holds: c.halfRate.p99Ms < 50,
    });
  }
  if (report.longStreams) {
    const l = report.longStreams;
    const r = ratio(l.long.medianMs, l.short.medianMs);
    list.push({
      goal: `Long streams: command latency at ${l.long.events.toLocaleString('en-US')} events ≤ 1.5× at 10`,
      measured: `median ${formatMs(l.long.medianMs)} vs ${formatMs(l.short.medianMs)} ms = ${formatRatio(r)}`,
      holds: r <= 1.5,
    });
  }
  if (report.rebuild) {
    const pg = report.rebuild.rows.filter((r) => r.database === 'PostgreSQL');
    const slowest = Math.min(...pg.map((r) => r.events / r.seconds));
    list.push({
      goal: 'Rebuild: ≥ 20,000 events/s on PostgreSQL',
      measured: `${formatRate(slowest)} events/s (slower of the two sizes)`,
      holds: slowest >= 20_000,
    });
    for (const database of ['PostgreSQL', 'PGlite'] as const) {
      const rows = report.rebuild.rows.filter((r) => r.database === database);
      if (rows.length < 2) continue;
      const growth = ratio(rows[1].collectedPeakRssBytes, rows[0].collectedPeakRssBytes);
      const rawGrowth = ratio(rows[1].peakRssBytes, rows[0].peakRssBytes);
      list.push({
        goal:
          `Rebuild: memory flat as the log grows (${database}: peak RSS ` +
          `at ${rows[1].events.toLocaleString('en-US')} within 1.25× ` +
          `of ${rows[0].events.toLocaleString('en-US')}, collecting after each batch)`,
        measured:
          `${formatMiB(rows[0].collectedPeakRssBytes)} → ${formatMiB(rows[1].collectedPeakRssBytes)} ` +
          `(${formatRatio(growth)}); ` +
          `without the collections ${formatMiB(rows[0].peakRssBytes)} → ${formatMiB(rows[1].peakRssBytes)} ` +
          `(${formatRatio(rawGrowth)})`,
        holds: growth <= 1.25,
      });
    }
  }
  if (report.documents) {
    const d = report.documents;
    list.push({
      goal: 'Documents: render + hash of a 20-line order < 50 ms (median)',
      measured: `${formatMs(d.renderAndHash.medianMs)} ms`,
      holds: d.renderAndHash.medianMs < 50,
    });
    list.push({
      goal: 'Documents: seal of a signed order < 30 ms (median)',
      measured: `${formatMs(d.seal.medianMs)} ms`,
      holds: d.seal.medianMs < 30,
    });
  }
  if (report.portfolio) {
    const p = report.portfolio;
    list.push({
      goal: `Portfolio: GET /api/portfolio over ${p.projects.toLocaleString('en-US')} projects, p50 < 100 ms`,
      measured: `${formatMs(p.medianMs)} ms`,
      holds: p.medianMs < 100,
    });
  }
  return list;
}

const TARGETS: AppendTargetName[] = ['Scope Ledger', 'Emmett', 'raw INSERT'];

function appendSection(append: NonNullable<BenchReport['append']>): string[] {
  const out: string[] = ['## 1. Append throughput', ''];
  out.push(
    'Events per second, median of the rounds. Scope Ledger is `PostgresEventStore.append` (one INSERT that checks the',
    'expected revision); Emmett is `getPostgreSQLEventStore(…).appendToStream` (a transaction around its ' +
      '`emt_append_to_stream`',
    'function); raw is one parameterised multi-row `INSERT … VALUES` of the same rows into a copy of the ' +
      'events table (same',
    'columns, defaults and indexes) with revisions counted in the process: no head lookup and no ' +
      'concurrency check. Payloads are',
    'events of generated projects (about 0.9 KB of JSON each, metadata with the hash chain). "Many ' +
      'streams": each writer cycles',
    'over 100 streams of its own, with the expected revision. "One stream, 8 writers": all append to one ' +
      'stream without an',
    'expected revision (`any`). Emmett refuses an append that lost the race for the head; the benchmark ' +
      'retries it (the count',
    'is shown). Scope Ledger writes the `any` appends that wait for the same stream together in one ' +
      'statement, so they do not',
    'race; raw has no check to fail.',
    '',
  );
  for (const database of ['PostgreSQL', 'PGlite'] as const) {
    const rows = append.rows.filter((r) => r.database === database);
    if (rows.length === 0) continue;
    const targets = TARGETS.filter((t) => rows.some((r) => r.rates[t] !== undefined));
    const withEmmett = targets.includes('Emmett');
    out.push(`### ${database}`, '');
    out.push(
      `| scenario | ${targets.join(' | ')} | ${withEmmett ? 'Scope Ledger ÷ Emmett | ' : ''}Scope Ledger ÷ ` +
        `raw | retried conflicts |`,
    );
    out.push(`| --- | ${targets.map(() => '---:').join(' | ')} | ${withEmmett ? '---: | ' : ''}---: | --- |`);
    for (const row of rows) {
      const sl = row.rates['Scope Ledger']!;
      const conflicts =
        Object.entries(row.conflicts)
          .filter(([, n]) => (n ?? 0) > 0)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ') || '0';
      out.push(
        `| ${row.scenario} | ${targets.map((t) => formatRate(row.rates[t] ?? Number.NaN)).join(' | ')} | ` +
          `${withEmmett ? `${formatRatio(ratio(sl, row.rates.Emmett!))} | ` : ''}` +
          `${formatRatio(ratio(sl, row.rates['raw INSERT']!))} | ${conflicts} |`,
      );
    }
    out.push('');
  }
  if (append.emmettOnPglite) out.push(append.emmettOnPglite, '');
  return out;
}

/**
 * Where the half-rate run's slowest hundredth of requests fell: requests due within 50 ms of
 * one another count as one burst. A few bursts point at stalls (a collection, a slow disk
 * flush) rather than at a cost every request pays.
 */
function halfRateTail(half: CommandsResult['halfRate']): string[] {
  const slowest = half.slowest ?? [];
  if (slowest.length === 0) return [];
  const bursts: { first: number; last: number; requests: number }[] = [];
  for (const { dueMs } of slowest) {
    const current = bursts.at(-1);
    if (current && dueMs - current.last <= 50) {
      current.last = dueMs;
      current.requests += 1;
    } else bursts.push({ first: dueMs, last: dueMs, requests: 1 });
  }
  const largest = bursts.reduce((a, b) => (b.requests > a.requests ? b : a));
  const fastest = Math.min(...slowest.map((r) => r.ms));
  return [
    `The slowest hundredth of the half-rate requests (${slowest.length}, each ${formatMs(fastest)} ms or ` +
      `more) were due in ${bursts.length}`,
    `burst${bursts.length === 1 ? '' : 's'} (requests due within 50 ms of one another); the largest ` +
      `held ${largest.requests} requests due over ${largest.last - largest.first} ms,`,
    `${(largest.first / 1000).toFixed(1)} s into the run. Meanwhile the server's process ` +
      `paused ${formatMs(half.gc.pauseMs)} ms in all for ${half.gc.minor} minor and`,
    `${half.gc.major} major garbage collections.` +
      (half.p999Ms !== undefined && half.maxMs !== undefined
        ? ` The 99.9th percentile was ${formatMs(half.p999Ms)} ms and the slowest request ` +
          `took ${formatMs(half.maxMs)} ms.`
        : ''),
    '',
  ];
}

function commandsSection(c: CommandsResult, pg: Record<string, string>, l?: LongStreamResult): string[] {
  const out = ['## 2. Commands over HTTP', ''];
  out.push(
    `\`POST /api/projects/:id/change-requests\` with autocannon (${c.connections} connections, in a child ` +
      `process) spread over ${c.projects}`,
    'projects, against a bare Nest endpoint in the same process that only parses and validates the same ' +
      '`LogChangeRequestDto`',
    "with the server's validation pipe, on the server's HTTP adapter (`ScopeLedgerExpressAdapter`). The " +
      'command path adds the',
    'API-key lookup, decide, the hash chain, one durable append, and the projection work that follows every append.',
    '',
    `After a warm-up of ${c.warmupSeconds} s each (the server's code is compiled and PostgreSQL's plans ` +
      `settle in the first seconds of load), the two`,
    `are measured in turn for ${c.seconds} s at a time, in ${c.rounds.length} rounds, the order swapped each`,
    "round, because this machine's speed drifts from minute to minute; the table shows each figure's median " +
      'over the rounds, and',
    "the throughput goal is judged on the median of the rounds' ratios:",
    '',
    '| round | bare req/s | command req/s | ratio |',
    '| ---: | ---: | ---: | ---: |',
    ...c.rounds.map(
      (r, i) =>
        `| ${i + 1} | ${formatRate(r.bare.requestsPerSecond)} | ${formatRate(r.ledger.requestsPerSecond)} ` +
        `| ${formatRatio(ratio(r.ledger.requestsPerSecond, r.bare.requestsPerSecond))} |`,
    ),
    '',
    `The half-rate run (${c.halfRateSeconds} s) sends requests evenly spaced at half the measured peak ` +
      `(open loop, from the same child process, with`,
    "latency counted from the moment each request was due). autocannon's own rate limit is not used for it: " +
      'it lets every',
    'connection send at full speed until its quota for the second is spent, so the server would see bursts ' +
      'at the peak rate.',
    'The load process sends at the same rate for one second before the counted ones: its first requests ' +
      'open its connections',
    "and run its own code cold, and counted from when they were due they measured the load generator's " +
      'start, not the server.',
    `The run lasts ${c.halfRateSeconds} s. A full garbage collection of the server holds requests up for a ` +
      `few hundred milliseconds on a`,
    'two-core machine and comes every few tens of seconds under load, so a 15-s run met one in some runs ' +
      'and none in others',
    'and its p99 was a draw between the two; over a minute a collection weighs about as it does in steady ' +
      'use. The 99.9th',
    'percentile and the slowest request, below the table, show what one costs.',
    '',
    '| endpoint | requests/s | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: |',
    `| bare endpoint (validation only) | ${formatRate(c.bare.requestsPerSecond)} ` +
      `| ${formatMs(c.bare.p50Ms)} | ${formatMs(c.bare.p99Ms)} |`,
    `| log change request, peak | ${formatRate(c.ledger.requestsPerSecond)} | ${formatMs(c.ledger.p50Ms)} ` +
      `| ${formatMs(c.ledger.p99Ms)} |`,
    `| log change request at half the peak (${formatRate(c.halfRate.targetRate)} req/s offered) ` +
      `| ${formatRate(c.halfRate.requestsPerSecond)} | ${formatMs(c.halfRate.p50Ms)} | ${formatMs(c.halfRate.p99Ms)} |`,
    '',
    ...halfRateTail(c.halfRate),
    `Command throughput is ${formatRatio(c.throughputRatio)} of the bare endpoint's (median round). During ` +
      `the peak runs the server sent`,
    `${c.statementsPerCommand.toFixed(2)} statements to the database per command (a transaction's BEGIN and ` +
      `COMMIT included): appends that wait`,
    'for one another share a statement, and the projection and notifications handle the events of many ' +
      'commands at once.',
    ...(c.walBytesPerCommand === undefined
      ? []
      : [
          `PostgreSQL wrote ${(c.walBytesPerCommand / 1024).toFixed(1)} KiB of write-ahead log per command ` +
            `(\`pg_current_wal_lsn()\` around the peak runs): the event,`,
          "its share of the projection's rows, and the commits." + checkpointEvery(c.walBytesPerCommand, pg),
        ]),
    '',
  );
  if (l) {
    out.push(
      '## 3. Long streams',
      '',
      `Logging a change request over HTTP on a project whose stream ` +
        `holds ${l.long.events.toLocaleString('en-US')} events and on one that holds 10`,
      `(both generated by the domain, hash-chained). "First" is the first command after the server started, ` +
        `which reads and folds`,
      `the stream; then ${l.commands} sequential commands each, the two projects taking turns (the order ` +
        `swapped each time) so that the machine's drift weighs on both alike.`,
      '',
      '| project | first command ms | median ms | p99 ms | stored state after the commands |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| 10 events | ${formatMs(l.short.firstMs)} | ${formatMs(l.short.medianMs)} ` +
        `| ${formatMs(l.short.p99Ms)} | ${Math.round(l.short.stateBytes / 1024)} KiB |`,
      `| ${l.long.events.toLocaleString('en-US')} events | ${formatMs(l.long.firstMs)} ` +
        `| ${formatMs(l.long.medianMs)} | ${formatMs(l.long.p99Ms)} | ${Math.round(l.long.stateBytes / 1024)} KiB |`,
      '',
      `Median ratio: ${formatRatio(ratio(l.long.medianMs, l.short.medianMs))}.`,
      '',
    );
  }
  return out;
}

function rebuildSection(r: RebuildResult): string[] {
  const total = r.eventTypes.reduce((s, t) => s + t.count, 0);
  const out = ['## 4. Projection rebuild', ''];
  out.push(
    '`ProjectionRunner.rebuild()` (every read model: project states, portfolio, finance, signing links) in ' +
      'a fresh process,',
    'from the events table filled beforehand (then a `CHECKPOINT`, so that writing out the load is not ' +
      "timed). Peak RSS is that process's highest resident memory. Each log is rebuilt twice:",
    `timed as it runs in the server, then again with a full garbage collection after each batch ` +
      `(${REBUILD_BATCH_SIZE.postgres.toLocaleString('en-US')} events on ` +
      `PostgreSQL, ${REBUILD_BATCH_SIZE.pglite.toLocaleString('en-US')} on PGlite). V8 collects`,
    'lazily and sizes its heap to how much the process allocates, so the first peak also counts garbage ' +
      'that piles up with the',
    'length of the run until the heap settles; the second is what a batch really holds, and is the one the ' +
      'goal compares.',
    'The events come from the',
    `domain's own \`decide()\` and \`evolve()\`, hash-chained: ${r.mix.activeProjects} projects active at a ` +
      `time so that their events`,
    `interleave in the log, each ${r.mix.eventsPerProject[0]}–${r.mix.eventsPerProject[1]} events long ` +
      `(${r.projects.toLocaleString('en-US')} projects on PostgreSQL).`,
    '',
    '| database | events | seconds | events/s | RSS before | peak RSS | peak RSS, collecting after each batch |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const row of r.rows) {
    out.push(
      `| ${row.database} | ${row.events.toLocaleString('en-US')} | ${row.seconds.toFixed(1)} ` +
        `| ${formatRate(row.events / row.seconds)} | ${formatMiB(row.rssBeforeBytes)} ` +
        `| ${formatMiB(row.peakRssBytes)} | ${formatMiB(row.collectedPeakRssBytes)} |`,
    );
  }
  out.push('', 'The mix on PostgreSQL:', '', '| event type | share |', '| --- | ---: |');
  for (const t of r.eventTypes) out.push(`| ${t.type} | ${((t.count / total) * 100).toFixed(1)} % |`);
  out.push('');
  return out;
}

function documentsSection(d: DocumentsResult): string[] {
  return [
    '## 5. Documents',
    '',
    `A ${d.lines}-line change order built by the domain from two assessed requests (${d.pages} ` +
      `pages, ${Math.round(d.renderAndHash.bytes / 1024)} KiB), ${d.runs} runs after a warm-up.`,
    '',
    '| step | median ms | p90 ms |',
    '| --- | ---: | ---: |',
    `| render the issued PDF and hash it (SHA-256) | ${formatMs(d.renderAndHash.medianMs)} ` +
      `| ${formatMs(d.renderAndHash.p90Ms)} |`,
    `| render the signed copy with its certificate of completion | ${formatMs(d.renderSigned.medianMs)} ` +
      `| ${formatMs(d.renderSigned.p90Ms)} |`,
    `| seal the signed copy (PAdES, RSA 2048 local seal) | ${formatMs(d.seal.medianMs)} | ${formatMs(d.seal.p90Ms)} |`,
    '',
  ];
}

function portfolioSection(p: PortfolioResult): string[] {
  return [
    '## 6. Portfolio',
    '',
    `\`GET /api/portfolio\` over ${p.projects.toLocaleString('en-US')} projects with ${p.eventsPerProject} ` +
      `events each (generated, interleaved), on PostgreSQL,`,
    `${p.requests} sequential requests after the read models caught up (the server started and projected ` +
      `the ${(p.projects * p.eventsPerProject).toLocaleString('en-US')} events`,
    `in ${p.catchUpSeconds.toFixed(1)} s). The answer is ${Math.round(p.responseBytes / 1024)} KiB.`,
    '',
    '| p50 ms | p99 ms |',
    '| ---: | ---: |',
    `| ${formatMs(p.medianMs)} | ${formatMs(p.p99Ms)} |`,
    '',
  ];
}

/** PostgreSQL's size settings ('1GB', '64MB', '8kB') in bytes. */
function settingBytes(value: string | undefined): number | undefined {
  const match = /^(\d+)\s*(kB|MB|GB|TB)?$/.exec(value ?? '');
  if (!match) return undefined;
  return Number(match[1]) * 1024 ** ['', 'kB', 'MB', 'GB', 'TB'].indexOf(match[2] ?? '');
}

/** How many commands' WAL makes the server begin a checkpoint of its own. */
function checkpointEvery(walBytesPerCommand: number, pg: Record<string, string>): string {
  const maxWal = settingBytes(pg.max_wal_size);
  const target = Number(pg.checkpoint_completion_target);
  if (!maxWal || !Number.isFinite(target) || walBytesPerCommand <= 0) return '';
  const commands = maxWal / (1 + target) / walBytesPerCommand;
  return (
    ` At that rate the server would begin a checkpoint of its own about every ${formatRate(commands)} ` +
    `commands (\`max_wal_size\` / (1 + \`checkpoint_completion_target\`) of WAL); the run's own CHECKPOINT ` +
    `before the section starts that count afresh.`
  );
}

/** When PostgreSQL's checkpoints began, relative to the sections they fell in. */
function checkpointLines(report: BenchReport): string[] {
  const pg = report.postgres;
  const log = report.checkpoints;
  const head =
    `- PostgreSQL checkpoints (\`checkpoint_timeout=${pg.checkpoint_timeout}\`, ` +
    `\`max_wal_size=${pg.max_wal_size}\`): the run issues a \`CHECKPOINT\` before each section on ` +
    `PostgreSQL and before each rebuild there, so that what one part wrote goes out before the next is measured`;
  if (!log) return [head];
  if (log.unavailable) return [`${head}; when the others began is not known (${log.unavailable})`];
  const own = log.seen.filter((c) => !c.askedFor);
  const listed = own.length === 0 ? 'none' : own.map((c) => `${c.atSecond} s (${c.during})`).join(', ');
  return [
    `${head}. Checkpoints the server began itself (timed, or WAL reached \`max_wal_size\`), by when they ` +
      `began in the run and the part under way: ${listed}.`,
    '  A checkpoint is listed once finished; the checkpointer spreads its writes over most of ' +
      '`checkpoint_timeout` after it begins',
  ];
}

export function renderReport(report: BenchReport): string {
  const m = report.machine;
  const pg = report.postgres;
  const out: string[] = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (a minute and a half with `-- --quick`, which measures less: shorter ' +
      'rounds, fewer events). Every',
    'comparison below ran in the same run, on the same machine and the same databases. To run it again: a ' +
      'PostgreSQL server at',
    '`postgres://postgres@127.0.0.1:5432/test` (or `BENCH_DATABASE_URL`); each run works in schemas of its own and drops them.',
    '',
    '## This run',
    '',
    `- Command: \`${report.command}\`, ${report.startedAt.slice(0, 16).replace('T', ' ')} ` +
      `UTC, ${Math.round(report.seconds ?? 0)} s`,
    `- Machine: ${m.cpus} cores (${m.cpuModel}), ${Math.round(m.memoryBytes / 1024 ** 3)} GiB memory, ` +
      `${m.os}, Node ${m.node}` +
      (m.nodeFlags === m.serverFlags
        ? ` with the flags \`npm start\` gives the server (${m.nodeFlags ? `\`${m.nodeFlags}\`` : 'none'})`
        : ` with ${m.nodeFlags ? `\`${m.nodeFlags}\`` : 'no flags'}, **not** the flags \`npm start\` gives ` +
          `the server (${m.serverFlags ? `\`${m.serverFlags}\`` : 'none'})`),
    `- Load average (1, 5, 15 min) at start ${m.loadAverageAtStart.join(', ')}` +
      `${m.loadAverageAtEnd ? `; at end ${m.loadAverageAtEnd.join(', ')}` : ''}`,
    `- PostgreSQL ${pg.server_version} on the same machine; durability as configured: ` +
      `\`fsync=${pg.fsync}\`, \`synchronous_commit=${pg.synchronous_commit}\`,`,
    `  \`wal_sync_method=${pg.wal_sync_method}\`, \`full_page_writes=${pg.full_page_writes}\`, ` +
      `\`commit_delay=${pg.commit_delay}\` (every acknowledged append is flushed to disk); ` +
      `\`shared_buffers=${pg.shared_buffers}\``,
    `- PGlite ${m.pglite} with a data folder on local disk, as the embedded default runs: PGlite's ` +
      `PostgreSQL runs with \`fsync\` off`,
    '  and Scope Ledger writes its files through the operating system after every statement and committed ' +
      'transaction (see',
    '  `libs/event-store/src/postgres/pglite-client.ts`); an acknowledged write survives the process, not a power cut',
    `- Emmett: \`@event-driven-io/emmett-postgresql\` ${m.emmett}, default options, on the same PostgreSQL server`,
    ...checkpointLines(report),
    '',
    '## Goals',
    '',
    '| goal | measured | |',
    '| --- | --- | --- |',
    ...goals(report).map((g) => `| ${g.goal} | ${g.measured} | ${yes(g.holds)} |`),
    '',
  ];
  if (report.append) out.push(...appendSection(report.append));
  if (report.commands) out.push(...commandsSection(report.commands, report.postgres, report.longStreams));
  if (report.rebuild) out.push(...rebuildSection(report.rebuild));
  if (report.documents) out.push(...documentsSection(report.documents));
  if (report.portfolio) out.push(...portfolioSection(report.portfolio));
  const notes = join(__dirname, '..', '..', 'bench', 'notes.md');
  if (existsSync(notes)) out.push(readFileSync(notes, 'utf8').trim(), '');
  return out.join('\n');
}
