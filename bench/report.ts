import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { REBUILD_BATCH_SIZE } from '@scope-ledger/projections';
import type { AppendResult, AppendRow, AppendTargetName } from './append';
import type { CapacityResult } from './capacity';
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
  append?: AppendResult;
  commands?: CommandsResult;
  longStreams?: LongStreamResult;
  rebuild?: RebuildResult;
  documents?: DocumentsResult;
  portfolio?: PortfolioResult;
  capacity?: CapacityResult;
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
  readonly goal: string;
  readonly measured: string;
  readonly holds: boolean;
  /** How far the figure is from the goal, when it does not hold. */
  readonly shortfall?: string;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}

/** A goal that the figure must reach. */
function atLeast(value: number, goal: number): Pick<Goal, 'holds' | 'shortfall'> {
  return value >= goal ? { holds: true } : { holds: false, shortfall: `${percent(1 - value / goal)} short` };
}

/** A goal that the figure must stay below (or at, when `orAt`). */
function atMost(value: number, goal: number, orAt = false): Pick<Goal, 'holds' | 'shortfall'> {
  const holds = orAt ? value <= goal : value < goal;
  return holds ? { holds } : { holds, shortfall: `${percent(value / goal - 1)} over` };
}

function verdict(goal: Goal): string {
  return goal.holds ? 'holds' : `**does not hold** (${goal.shortfall})`;
}

function appendGoals(rows: readonly AppendRow[]): Goal[] {
  const goals: Goal[] = [];
  const pg = rows.filter((r) => r.rates.Emmett !== undefined);
  if (pg.length > 0) {
    const ratios = pg.map((r) => ratio(r.rates['Scope Ledger']!, r.rates.Emmett!));
    const worst = Math.min(...ratios);
    goals.push({
      goal: 'Append: ≥ 1.2× Emmett in every row (PostgreSQL)',
      measured: `lowest ${formatRatio(worst)} (${pg[ratios.indexOf(worst)].scenario})`,
      ...atLeast(worst, 1.2),
    });
  }
  const toRaw = rows.map((r) => ratio(r.rates['Scope Ledger']!, r.rates['raw INSERT']!));
  const worstRaw = Math.min(...toRaw);
  const row = rows[toRaw.indexOf(worstRaw)];
  goals.push({
    goal: 'Append: ≥ 0.5× raw INSERTs in every row',
    measured: `lowest ${formatRatio(worstRaw)} of raw (${row.database}, ${row.scenario})`,
    ...atLeast(worstRaw, 0.5),
  });
  return goals;
}

export function goals(report: BenchReport): Goal[] {
  const list: Goal[] = [];
  if (report.append) list.push(...appendGoals(report.append.rows));
  if (report.commands) {
    const c = report.commands;
    list.push({
      goal: 'Commands over HTTP: ≥ 1/3 of the bare endpoint',
      measured:
        `${formatRate(c.ledger.requestsPerSecond)} vs ${formatRate(c.bare.requestsPerSecond)} req/s ` +
        `(medians of ${c.rounds.length} rounds); median round ${formatRatio(c.throughputRatio)}`,
      ...atLeast(c.throughputRatio, 1 / 3),
    });
    list.push({
      goal: 'Commands over HTTP: p99 < 50 ms at half the peak rate',
      measured: `p99 ${formatMs(c.halfRate.p99Ms)} ms at ${formatRate(c.halfRate.requestsPerSecond)} req/s`,
      ...atMost(c.halfRate.p99Ms, 50),
    });
  }
  if (report.longStreams) {
    const l = report.longStreams;
    const r = ratio(l.long.medianMs, l.short.medianMs);
    list.push({
      goal: `Long streams: command latency at ${l.long.events.toLocaleString('en-US')} events ≤ 1.5× at 10`,
      measured: `median ${formatMs(l.long.medianMs)} vs ${formatMs(l.short.medianMs)} ms = ${formatRatio(r)}`,
      ...atMost(r, 1.5, true),
    });
  }
  if (report.rebuild) {
    const pg = report.rebuild.rows.filter((r) => r.database === 'PostgreSQL');
    const slowest = Math.min(...pg.map((r) => r.events / r.seconds));
    list.push({
      goal: 'Rebuild: ≥ 20,000 events/s on PostgreSQL',
      measured: `${formatRate(slowest)} events/s (slower of the two sizes)`,
      ...atLeast(slowest, 20_000),
    });
    for (const database of ['PostgreSQL', 'PGlite'] as const) {
      const rows = report.rebuild.rows.filter((r) => r.database === database);
      if (rows.length < 2) continue;
      const growth = ratio(rows[1].collectedPeakRssBytes, rows[0].collectedPeakRssBytes);
      const rawGrowth = ratio(rows[1].peakRssBytes, rows[0].peakRssBytes);
      list.push({
        goal:
          `Rebuild: memory flat as the log grows (${database}: peak RSS ` +
          `at ${rows[1].events.toLocaleString('en-US')} events ≤ 1.25× ` +
          `at ${rows[0].events.toLocaleString('en-US')}, collecting after each batch)`,
        measured:
          `${formatMiB(rows[0].collectedPeakRssBytes)} → ${formatMiB(rows[1].collectedPeakRssBytes)} ` +
          `(${formatRatio(growth)}); ` +
          `without the collections ${formatMiB(rows[0].peakRssBytes)} → ${formatMiB(rows[1].peakRssBytes)} ` +
          `(${formatRatio(rawGrowth)})`,
        ...atMost(growth, 1.25, true),
      });
    }
  }
  if (report.documents) {
    const d = report.documents;
    list.push({
      goal: 'Documents: render + hash of a 20-line order < 50 ms (median)',
      measured: `${formatMs(d.renderAndHash.medianMs)} ms`,
      ...atMost(d.renderAndHash.medianMs, 50),
    });
    list.push({
      goal: 'Documents: seal of a signed order < 30 ms (median)',
      measured: `${formatMs(d.seal.medianMs)} ms`,
      ...atMost(d.seal.medianMs, 30),
    });
  }
  if (report.portfolio) {
    const p = report.portfolio;
    list.push({
      goal: `Portfolio: GET /api/portfolio over ${p.projects.toLocaleString('en-US')} projects, p50 < 100 ms`,
      measured: `${formatMs(p.medianMs)} ms`,
      ...atMost(p.medianMs, 100),
    });
  }
  if (report.capacity) {
    const c = report.capacity;
    for (const e of c.engines)
      list.push({
        goal:
          `Capacity: GET /api/capacity, ${c.people} people over ${c.weeks} weeks across ` +
          `${c.projects.toLocaleString('en-US')} projects, on ${e.engine}, p50 < 200 ms`,
        measured: `${formatMs(e.medianMs)} ms`,
        ...atMost(e.medianMs, 200),
      });
  }
  return list;
}

const TARGETS: AppendTargetName[] = ['Scope Ledger', 'Emmett', 'raw INSERT'];

/** A paragraph of the report: the text wrapped at 120 columns, continuation lines indented by `indent`. */
function prose(text: string, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > 120) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** What the plain core gave up against the code before it, which met every goal (its run of 2026-11-27). */
function whyGoalsSlip(): string[] {
  const paragraphs = [
    'The code before the core was made plain (commit `bab860c`) met every goal in its last full run, on 2026-11-27 ' +
      '(HTTP 0.52× of the bare endpoint, rebuild 39,510 events/s, lowest Emmett ratio 1.52×, the one-stream row ' +
      '16.8×). It did so with machinery whose rules lived in comments: concurrent commands gathered into one append ' +
      'statement, states shared between the command cache and the read model under an ownership protocol, append ' +
      'statements prepared per row count, a live projection that gathered 100 ms of events per batch, and GC ' +
      'flags in `npm start`. That machinery is gone, and where a goal slips now it is not won back with more.',
    'Commands over HTTP: each command is one append and one commit of its own, and the event processor then ' +
      'writes the read tables in a transaction of its own (one per batch of the events it finds, a few commands ' +
      'under load), so PostgreSQL flushes its log more than once per command where it flushed once for a group ' +
      'of commands before. On this two-core machine the server, PostgreSQL and the load generator share the ' +
      'cores.',
    'Latency at half the peak: without the GC flags `npm start` used to pass, a 60-second run meets major ' +
      'collections; section 2 says how many, how long the process paused, and when the slowest requests came.',
    'Rebuild: the processor reads a batch, applies it and writes the read tables before it reads the next, so ' +
      'the process waits for PostgreSQL for much of the time (about 40 % in a CPU profile of a 100,000-event ' +
      'rebuild); reading the next batch while writing the last would win part of that back, at the price of a ' +
      'pipeline. On PGlite the rate falls as the read tables grow (compare the two sizes in section 4).',
    "Append, one stream with 8 writers and revision 'any': the writers take turns on the stream under an " +
      'advisory lock, one short transaction each, where the code before wrote all waiting appends in one ' +
      'statement.',
  ];
  return ['### Why some goals slip', '', ...paragraphs.flatMap((p) => [...prose(p), ''])];
}

function appendSection(append: AppendResult): string[] {
  const out: string[] = [
    '## 1. Append throughput',
    '',
    ...prose(
      'Events per second, median of the rounds. Scope Ledger is `PostgresEventStore.append`: one ' +
        '`INSERT … SELECT` over `unnest` of the events as arrays, which checks the expected revision in the same ' +
        'statement. Emmett is `getPostgreSQLEventStore(…).appendToStream` (a transaction around its ' +
        '`emt_append_to_stream` function). Raw is one parameterised multi-row `INSERT … VALUES` of the same rows ' +
        'into a copy of the events table (same columns, defaults and indexes) with revisions counted in the ' +
        'process: no head lookup and no concurrency check. Payloads are events of generated projects ' +
        `(${Math.round(append.eventBytes).toLocaleString('en-US')} bytes of JSON each on average, data and ` +
        'metadata with the hash chain). "Many streams": each writer cycles over 100 streams of its own, with the ' +
        'expected revision. "One stream, 8 writers": all append to one stream without an expected revision ' +
        '(`any`). An append that loses the race for the head is refused (Scope Ledger first tries again itself a ' +
        'few times); the benchmark retries it and counts it. Raw has no check to fail.',
    ),
    '',
  ];
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
  out.push(...prose(append.emmettOnPglite), '');
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
    ...prose(
      `The slowest hundredth of the half-rate requests (${slowest.length}, each ${formatMs(fastest)} ms or ` +
        `more) were due in ${bursts.length} burst${bursts.length === 1 ? '' : 's'} (requests due within 50 ms of ` +
        `one another); the largest held ${largest.requests} requests due over ${largest.last - largest.first} ms, ` +
        `${(largest.first / 1000).toFixed(1)} s into the run. Meanwhile the server's process paused ` +
        `${formatMs(half.gc.pauseMs)} ms in all for ${half.gc.minor} minor and ${half.gc.major} major garbage ` +
        'collections.' +
        (half.p999Ms !== undefined && half.maxMs !== undefined
          ? ` The 99.9th percentile was ${formatMs(half.p999Ms)} ms and the slowest request ` +
            `took ${formatMs(half.maxMs)} ms.`
          : ''),
    ),
    '',
  ];
}

function commandsSection(c: CommandsResult): string[] {
  return [
    '## 2. Commands over HTTP',
    '',
    ...prose(
      `\`POST /api/projects/:id/change-requests\` with autocannon (${c.connections} connections, in a child ` +
        `process) spread over ${c.projects} projects, against a bare Nest endpoint in the same process that only ` +
        "parses and validates the same `LogChangeRequestDto` with the server's validation pipe, on the same " +
        'Express adapter. The command path adds the API-key lookup, decide, the hash chain, one durable append, ' +
        'and the read tables that the event processor updates after every append. The server runs in the ' +
        'benchmark process without Node flags, as `npm start` runs it.',
    ),
    '',
    ...prose(
      `After a warm-up of ${c.warmupSeconds} s each, the two are measured in turn for ${c.seconds} s at a time, ` +
        `in ${c.rounds.length} rounds, the order swapped each round, because this machine's speed drifts from ` +
        "minute to minute. The throughput goal is judged on the median of the rounds' ratios; the second table " +
        "shows each figure's median over the rounds.",
    ),
    '',
    '| round | bare req/s | command req/s | ratio |',
    '| ---: | ---: | ---: | ---: |',
    ...c.rounds.map(
      (r, i) =>
        `| ${i + 1} | ${formatRate(r.bare.requestsPerSecond)} | ${formatRate(r.ledger.requestsPerSecond)} ` +
        `| ${formatRatio(ratio(r.ledger.requestsPerSecond, r.bare.requestsPerSecond))} |`,
    ),
    '',
    ...prose(
      `The half-rate run (${c.halfRateSeconds} s) sends requests evenly spaced at half the measured peak (open ` +
        'loop, from the same child process), with latency counted from the moment each request was due, so a ' +
        "request that waits for a busy server counts its wait. (autocannon's own rate limit lets every connection " +
        'send at full speed until its quota for the second is spent, so it is not used here.) One second at the ' +
        'same rate goes before the counted requests, while the load process opens its connections. The run is ' +
        "long enough for the server's full garbage collections to weigh as they do in steady use.",
    ),
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
    ...(c.walBytesPerCommand === undefined
      ? []
      : [
          ...prose(
            `PostgreSQL wrote ${(c.walBytesPerCommand / 1024).toFixed(1)} KiB of write-ahead log per command ` +
              "during the peak runs (`pg_current_wal_lsn()` before and after): the event, the read tables' rows " +
              'and the commits.',
          ),
          '',
        ]),
  ];
}

function longStreamsSection(l: LongStreamResult): string[] {
  const row = (label: string, side: LongStreamResult['short']) =>
    `| ${label} | ${formatMs(side.firstMs)} | ${formatMs(side.medianMs)} | ${formatMs(side.p99Ms)} ` +
    `| ${Math.round(side.rowBytes / 1024).toLocaleString('en-US')} KiB |`;
  return [
    '## 3. Long streams',
    '',
    ...prose(
      'Logging a change request over HTTP on a project whose stream holds ' +
        `${l.long.events.toLocaleString('en-US')} events and on one that holds 10 (both generated by the domain ` +
        'and hash-chained, written straight into the events table while the server runs). "First" is the first ' +
        "command on each: the project is not in the server's cache yet, so it reads and folds the whole stream. " +
        `Then ${l.commands} sequential commands each, the two projects taking turns (the order swapped each ` +
        "time) so that the machine's drift weighs on both alike. The last column is the size of the project's " +
        'rows in the read tables after the commands.',
    ),
    '',
    '| project | first command ms | median ms | p99 ms | read-table rows |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('10 events', l.short),
    row(`${l.long.events.toLocaleString('en-US')} events`, l.long),
    '',
    `Median ratio: ${formatRatio(ratio(l.long.medianMs, l.short.medianMs))}.`,
    '',
  ];
}

function rebuildSection(r: RebuildResult): string[] {
  const total = r.eventTypes.reduce((s, t) => s + t.count, 0);
  const batch = (database: keyof typeof REBUILD_BATCH_SIZE) => REBUILD_BATCH_SIZE[database].toLocaleString('en-US');
  const out = [
    '## 4. Rebuilding the read tables',
    '',
    ...prose(
      '`EventProcessor.rebuild()` in a fresh process: it empties the read tables (records and portfolio rows) ' +
        'and replays the log through the same steps as live processing, in batches of ' +
        `${batch('postgres')} events on PostgreSQL and ${batch('pglite')} on PGlite. The events table is filled ` +
        'beforehand (on PostgreSQL followed by a `CHECKPOINT`, so that writing out the load is not timed). Peak ' +
        "RSS is that process's highest resident memory. Each log is rebuilt twice: timed as it runs in the " +
        'server, then again with a full garbage collection after each batch. V8 collects lazily and sizes its ' +
        'heap to how much the process allocates, so the first peak also counts garbage that piles up until the ' +
        'heap settles; the second is what a batch really holds, and is the one the goal compares.',
    ),
    '',
    ...prose(
      "The events come from the domain's own `decide()` and `foldEvents()`, hash-chained: " +
        `${r.mix.activeProjects} projects active at a time so that their events interleave in the log, each ` +
        `${r.mix.eventsPerProject[0]}–${r.mix.eventsPerProject[1]} events long ` +
        `(${r.projects.toLocaleString('en-US')} projects on PostgreSQL).`,
    ),
    '',
    '| database | events | seconds | events/s | RSS before | peak RSS | peak RSS, collecting after each batch |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
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

function capacitySection(c: CapacityResult): string[] {
  return [
    '## 7. Capacity',
    '',
    ...prose(
      `\`GET /api/capacity?weeks=${c.weeks}\` through the whole HTTP server, for a team of ${c.people} people and ` +
        `${c.projects.toLocaleString('en-US')} projects with ${c.cards.toLocaleString('en-US')} live cards (10 to ` +
        `20 a project, nine in ten assigned to someone with the card's role, the projects ending 2 to 26 weeks ` +
        `from now), generated by the domain's own decide() and loaded in batches; ${c.requests} sequential ` +
        `requests after the read tables caught up. The plan reads the projects, milestones and board_cards ` +
        `tables (one query each) and the team stream, then spreads every card's remaining hours in memory. ` +
        `The answer is ${Math.round(c.responseBytes / 1024)} KiB.`,
    ),
    '',
    '| Engine | catch-up s | p50 ms | p95 ms | reading the tables, ms | computing the plan, ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...c.engines.map(
      (e) =>
        `| ${e.engine} | ${e.catchUpSeconds.toFixed(1)} | ${formatMs(e.medianMs)} | ${formatMs(e.p95Ms)} | ` +
        `${formatMs(e.readMs)} | ${formatMs(e.planMs)} |`,
    ),
    '',
    ...prose(
      'The last two columns time, in the server process and apart from HTTP, the reads the handler makes (the ' +
        'three read tables and the team) and the pure capacityPlan over what they return (medians of 5).',
    ),
    '',
  ];
}

function portfolioSection(p: PortfolioResult): string[] {
  return [
    '## 6. Portfolio',
    '',
    ...prose(
      `\`GET /api/portfolio\` over ${p.projects.toLocaleString('en-US')} projects with ${p.eventsPerProject} ` +
        `events each (generated, interleaved), on PostgreSQL, ${p.requests} sequential requests after the read ` +
        `tables caught up (the server started and processed the ` +
        `${(p.projects * p.eventsPerProject).toLocaleString('en-US')} events in ${p.catchUpSeconds.toFixed(1)} s). ` +
        `The answer is ${Math.round(p.responseBytes / 1024)} KiB.`,
    ),
    '',
    '| p50 ms | p99 ms |',
    '| ---: | ---: |',
    `| ${formatMs(p.medianMs)} | ${formatMs(p.p99Ms)} |`,
    '',
  ];
}

/** When PostgreSQL's checkpoints began, relative to the sections they fell in. */
function checkpointLines(report: BenchReport): string[] {
  const pg = report.postgres;
  const log = report.checkpoints;
  let text =
    `- PostgreSQL checkpoints (\`checkpoint_timeout=${pg.checkpoint_timeout}\`, ` +
    `\`max_wal_size=${pg.max_wal_size}\`): the run issues a \`CHECKPOINT\` before each section on ` +
    'PostgreSQL and before each rebuild there, so that what one part wrote goes out before the next is measured';
  if (log?.unavailable) text += `; when the others began is not known (${log.unavailable})`;
  else if (log) {
    const own = log.seen.filter((c) => !c.askedFor);
    const listed = own.length === 0 ? 'none' : own.map((c) => `${c.atSecond} s (${c.during})`).join(', ');
    text +=
      '. Checkpoints the server began itself (timed, or WAL reached `max_wal_size`), by when they began in the ' +
      `run and the part under way: ${listed}. A checkpoint is listed once finished; the checkpointer spreads its ` +
      'writes over most of `checkpoint_timeout` after it begins.';
  }
  return prose(text, '  ');
}

export function renderReport(report: BenchReport): string {
  const m = report.machine;
  const pg = report.postgres;
  const flags = (f: string) => (f ? `\`${f}\`` : 'no flags');
  const item = (text: string) => prose(`- ${text}`, '  ');
  return [
    '# Benchmarks',
    '',
    ...prose(
      'Written by `npm run bench` (`-- --quick` measures less: shorter rounds, fewer events). Every comparison ' +
        'below ran in the same run, on the same machine and the same databases. To run it again: a PostgreSQL ' +
        'server at `postgres://postgres@127.0.0.1:5432/test` (or `BENCH_DATABASE_URL`). Each run works in schemas ' +
        'of its own and drops them at the end; it first drops any `bench_*` schema an interrupted run left behind.',
    ),
    '',
    '## This run',
    '',
    ...item(
      `Command: \`${report.command}\`, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, ` +
        `${Math.round(report.seconds ?? 0)} s`,
    ),
    ...item(
      `Machine: ${m.cpus} cores (${m.cpuModel}), ${Math.round(m.memoryBytes / 1024 ** 3)} GiB memory, ${m.os}, ` +
        `Node ${m.node} with ${flags(m.nodeFlags)}` +
        (m.nodeFlags === m.serverFlags
          ? ', as `npm start` runs the server'
          : `, **not** as \`npm start\` runs the server (${flags(m.serverFlags)})`),
    ),
    ...item(
      `Load average (1, 5, 15 min) at start ${m.loadAverageAtStart.join(', ')}` +
        `${m.loadAverageAtEnd ? `; at end ${m.loadAverageAtEnd.join(', ')}` : ''}`,
    ),
    ...item(
      `PostgreSQL ${pg.server_version} on the same machine; durability as configured: \`fsync=${pg.fsync}\`, ` +
        `\`synchronous_commit=${pg.synchronous_commit}\`, \`wal_sync_method=${pg.wal_sync_method}\`, ` +
        `\`full_page_writes=${pg.full_page_writes}\`, \`commit_delay=${pg.commit_delay}\` (every acknowledged ` +
        `append is flushed to disk); \`shared_buffers=${pg.shared_buffers}\``,
    ),
    ...item(
      `PGlite ${m.pglite} with a data folder on local disk, as the embedded default runs: PGlite's PostgreSQL ` +
        'runs with `fsync` off and Scope Ledger flushes its files through the operating system after every ' +
        'committed transaction (see `libs/event-store/src/postgres/pglite-client.ts`); an acknowledged write ' +
        'survives the process, not a power cut',
    ),
    ...item(
      `Emmett: \`@event-driven-io/emmett-postgresql\` ${m.emmett}, default options, on the same PostgreSQL server`,
    ),
    ...checkpointLines(report),
    '',
    '## Goals',
    '',
    'Where a goal does not hold, the table says by how much.',
    '',
    '| goal | measured | |',
    '| --- | --- | --- |',
    ...goals(report).map((g) => `| ${g.goal} | ${g.measured} | ${verdict(g)} |`),
    '',
    ...whyGoalsSlip(),
    ...(report.append ? appendSection(report.append) : []),
    ...(report.commands ? commandsSection(report.commands) : []),
    ...(report.longStreams ? longStreamsSection(report.longStreams) : []),
    ...(report.rebuild ? rebuildSection(report.rebuild) : []),
    ...(report.documents ? documentsSection(report.documents) : []),
    ...(report.portfolio ? portfolioSection(report.portfolio) : []),
    ...(report.capacity ? capacitySection(report.capacity) : []),
  ].join('\n');
}
