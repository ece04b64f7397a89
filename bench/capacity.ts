import { randomUUID } from 'node:crypto';
import {
  addCalendarDays,
  calendarDateIn,
  capacityPlan,
  decideTeam,
  foldTeam,
  initialTeamState,
  mondayOf,
  TEAM_SCHEMA_VERSIONS,
  TEAM_STREAM_ID,
  TeamCommand,
  TeamState,
} from '@scope-ledger/domain';
import { chainEvents, GENESIS_HASH, newEventId, PostgresEventStore, SqlClient } from '@scope-ledger/event-store';
import { BenchConfig } from './config';
import { BENCH_ADMIN_KEY, startBenchServer } from './support/bench-server';
import { bulkLoad } from './support/bulk-load';
import { createSchema, openPglite, pgClient, pgliteFolder } from './support/databases';
import { AppendUnit, ProjectSimulator, seededRandom } from './support/event-mix';
import { timeSequential } from './support/load';
import { progress } from './support/progress';
import { median, nowMs, percentile } from './support/stats';

/** GET /api/capacity for a whole team over half a year of weeks across many projects. */
export interface CapacityResult {
  readonly people: number;
  readonly projects: number;
  readonly cards: number;
  readonly weeks: number;
  readonly requests: number;
  readonly engines: {
    engine: 'PostgreSQL' | 'PGlite';
    catchUpSeconds: number;
    medianMs: number;
    p95Ms: number;
    /** In the server's process, medians of 5: reading the three tables and the team, and computing the plan. */
    readMs: number;
    planMs: number;
  }[];
  readonly responseBytes: number;
}

const ROLES = ['engineer', 'technician', 'architect', 'project_manager'] as const;
const RATES = { engineer: 15_000, technician: 9_550, architect: 19_500, project_manager: 12_000 };
const STAFF = { kind: 'staff' as const, id: 'b4c1b2f0-9a7e-4d2c-8f31-5e6a7b8c9d01', name: 'Alex Morgan' };

/** The team: `people` people with the four roles in turn, 32 to 40 hours a week, as the team stream holds them. */
function teamStream(people: number, now: string): { unit: AppendUnit; team: TeamState } {
  const commands: TeamCommand[] = Array.from({ length: people }, (_, i) => ({
    type: 'AddTeamMember',
    now,
    name: `Person ${i + 1}`,
    role: ROLES[i % ROLES.length],
    weeklyCapacityHours: 32 + (i % 3) * 4,
  }));
  let team = initialTeamState;
  const events = commands.flatMap((command) => {
    const decided = decideTeam(command, team);
    team = foldTeam(decided, team);
    return decided;
  });
  const correlationId = randomUUID();
  const metadata = { actor: STAFF, occurredAt: now, correlationId, causationId: correlationId };
  const chained = chainEvents(
    TEAM_STREAM_ID,
    GENESIS_HASH,
    0n,
    events.map((e) => ({
      id: newEventId(),
      type: e.type,
      schemaVersion: TEAM_SCHEMA_VERSIONS[e.type],
      data: e.data as unknown as Record<string, unknown>,
      metadata,
    })),
  );
  return { unit: { streamId: TEAM_STREAM_ID, firstRevision: 0, events: chained }, team };
}

/**
 * Each project: opened this week or up to 8 weeks ago, 10 to 20 scope items (so 10 to 20 live cards) of 4 to 40
 * hours with the four roles, two milestones, the last 2 to 26 weeks from now; nine cards in ten assigned to a
 * person with the card's role. Every event comes out of the domain's decide(), as the server writes it.
 */
function* projectStreams(
  projects: number,
  people: number,
  today: string,
  random: () => number,
  counted: { cards: number },
) {
  const monday = mondayOf(today);
  const pick = (n: number) => Math.floor(random() * n);
  for (let p = 0; p < projects; p++) {
    const projectId = randomUUID();
    const sim = new ProjectSimulator(projectId, random, Date.parse(`${today}T06:00:00Z`) - 3_600_000);
    const now = new Date(Date.parse(`${today}T06:00:00Z`) - 3_600_000 + p).toISOString();
    const startDate = addCalendarDays(monday, -7 * pick(9));
    yield sim.run({
      type: 'OpenProject',
      now,
      projectId,
      name: `Capacity project ${p + 1}`,
      client: { name: `Client ${p + 1}`, email: `it@client-${p + 1}.example` },
      manager: { name: 'Alex Morgan', email: 'alex.morgan@northwind-it.example' },
      currency: 'USD',
      rates: RATES,
      startDate,
      holidays: [],
    });
    const items = Array.from({ length: 10 + pick(11) }, (_, i) => ({
      ref: `SI-${i + 1}`,
      title: `Scope item ${i + 1}`,
      role: ROLES[pick(ROLES.length)],
      hours: 4 + pick(37),
    }));
    const end = addCalendarDays(monday, 7 * (2 + pick(25)) + pick(5));
    const milestones = [
      { ref: 'M1', name: 'Halfway', due: addCalendarDays(startDate, 7) > end ? end : addCalendarDays(startDate, 7) },
      { ref: 'M2', name: 'Handover', due: end },
    ];
    yield sim.run({ type: 'EstablishBaseline', now, items, milestones });
    counted.cards += sim.state.cards.size;
    for (const card of sim.state.cards.values()) {
      if (random() < 0.1) continue;
      // People of a role are every fourth person: pick one of them.
      const role = ROLES.indexOf(card.role as (typeof ROLES)[number]);
      const person = role + ROLES.length * pick(Math.floor(people / ROLES.length));
      yield sim.run({ type: 'AssignBoardCard', now, cardId: card.id, personId: `P-${person + 1}` });
    }
  }
}

async function measure(
  engine: 'PostgreSQL' | 'PGlite',
  sql: SqlClient,
  config: BenchConfig,
  units: () => Iterable<AppendUnit>,
  expected: { people: number; today: string },
) {
  const { today } = expected;
  await PostgresEventStore.create(sql);
  await bulkLoad(sql, units());
  const started = nowMs();
  const bench = await startBenchServer(sql);
  try {
    const { platform } = bench.server;
    await platform.processor.waitFor(await platform.store.headPosition(), 300_000);
    const catchUpSeconds = (nowMs() - started) / 1000;
    progress(`  ${engine}: server started and read models caught up in ${catchUpSeconds.toFixed(1)} s`);
    const get = () =>
      fetch(`${bench.baseUrl}/api/capacity?weeks=${config.capacityWeeks}`, {
        headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` },
      });
    const first = await get();
    const body = (await first.json()) as { people: unknown[]; weeks: unknown[] };
    if (body.people.length !== expected.people || body.weeks.length !== config.capacityWeeks)
      throw new Error(`GET /api/capacity answered ${body.people.length} people over ${body.weeks.length} weeks`);
    await timeSequential(3, get);
    const samples = await timeSequential(config.capacityRequests, get);
    // Where a request's time goes: the same reads and the same pure function the handler calls, timed apart.
    const reads: number[] = [];
    const plans: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = nowMs();
      const [input, { state: team }] = await Promise.all([platform.readModel.capacityInput(), platform.team.load()]);
      const read = nowMs();
      capacityPlan({
        now: new Date().toISOString(),
        from: mondayOf(today),
        weeks: config.capacityWeeks,
        team,
        ...input,
      });
      reads.push(read - started);
      plans.push(nowMs() - read);
    }
    const result = {
      engine,
      catchUpSeconds,
      medianMs: median(samples),
      p95Ms: percentile(samples, 95),
      readMs: median(reads),
      planMs: median(plans),
    };
    progress(
      `  ${engine}: GET /api/capacity median ${result.medianMs.toFixed(1)} ms, p95 ${result.p95Ms.toFixed(1)} ms ` +
        `(reads ${result.readMs.toFixed(1)} ms, plan ${result.planMs.toFixed(1)} ms)`,
    );
    return { result, responseBytes: JSON.stringify(body).length };
  } finally {
    await bench.close();
  }
}

/**
 * GET /api/capacity through the whole HTTP server (`npm start`'s), after the read tables caught up: the plan is
 * read from the projects, milestones and board_cards tables (one query each) and the team stream.
 */
export async function capacityBenchmark(config: BenchConfig): Promise<CapacityResult> {
  const { capacityPeople: people, capacityProjects: projects, capacityWeeks: weeks } = config;
  progress(`Capacity: ${people} people, ${projects.toLocaleString('en-US')} projects, ${weeks} weeks`);
  const now = new Date().toISOString();
  const today = calendarDateIn(now, undefined);
  // The same generated history for both engines.
  const counted = { cards: 0 };
  const generated: AppendUnit[] = [
    teamStream(people, now).unit,
    ...projectStreams(projects, people, today, seededRandom(24), counted),
  ];
  const cards = counted.cards;
  const engines: CapacityResult['engines'] = [];
  let responseBytes: number;

  const schema = await createSchema('capacity');
  const postgres = pgClient(schema);
  try {
    const measured = await measure('PostgreSQL', postgres, config, () => generated, { people, today });
    engines.push(measured.result);
    responseBytes = measured.responseBytes;
  } finally {
    await postgres.close();
  }
  const pglite = await openPglite(await pgliteFolder('capacity'));
  try {
    engines.push((await measure('PGlite', pglite, config, () => generated, { people, today })).result);
  } finally {
    await pglite.close();
  }
  return { people, projects, cards, weeks, requests: config.capacityRequests, engines, responseBytes };
}
