import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform, verifyAuditTrail } from '@scope-ledger/platform';
import { projectSummary } from '@scope-ledger/projections';
import { openConfiguredPlatform } from '../../apps/cli/src/cli-context';
import { CapacityImpactController } from '../../apps/server/src/capacity/capacity-impact.controller';
import { CapacityReads } from '../../apps/server/src/capacity/capacity-reads';
import { CapacityController } from '../../apps/server/src/capacity/capacity.controller';
import { PortfolioController } from '../../apps/server/src/portfolio/portfolio.controller';
import { ProjectReads } from '../../apps/server/src/projects/project-reads';
import { DemoProject, seedDemo } from '../../apps/cli/src/demo.command';
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
import { moveClockTo } from '../support/moved-clock';

/** The day the demo is seeded and read on: a Monday, with the clock moved to its morning. */
const TODAY = '2026-03-16';

describe('demo portfolio', () => {
  let database: CliTestDatabase;
  let platform: Platform;
  let projects: DemoProject[];

  beforeAll(async () => {
    database = await createSeparateDatabase();
    platform = await openTestPlatform(database.sql);
    moveClockTo(Date.parse(`${TODAY}T08:00:00.000Z`));
    projects = await seedDemo(platform, { config: testConfig, today: TODAY });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    jest.useRealTimers();
    await platform.close();
    await database.drop();
  });

  async function summaryOf(name: string) {
    const project = projects.find((p) => p.name === name)!;
    const state = await platform.readModel.projectState(project.id);
    expect(state).toBeDefined();
    return projectSummary(state!);
  }

  it(
    'seeds an M365 migration, a network refresh and a cloud migration ' + 'that read back from the read models',
    async () => {
      expect(projects.map((p) => [p.name, p.client])).toEqual([
        ['Microsoft 365 migration', 'Contoso Dental Group'],
        ['Branch network refresh', 'Northwind Logistics'],
        ['Azure cloud migration', 'Fabrikam Accounting'],
      ]);
      const portfolio = await platform.readModel.portfolio();
      expect(portfolio.map((row) => row.projectId).sort()).toEqual(projects.map((p) => p.id).sort());
    },
  );

  it(
    'prices the M365 migration: an order awaiting signature, a goodwill draft, ' +
      'a declined request and one awaiting an order',
    async () => {
      const summary = await summaryOf('Microsoft 365 migration');
      expect(summary).toMatchObject({
        currency: 'USD',
        baselineEstablished: true,
        // 40 h x 95.50 + 12.5 h x 150 + (4 h x 150 + 1,200 appliance) + 16 h x 150
        baseline: { total: 989_500 },
        // The sixth is the delay claimed for a late client dependency: assessed, schedule only.
        changeRequests: { count: 6, byStatus: { ordered: 3, declined: 1, assessed: 2 } },
        changeOrders: { count: 2, byStatus: { issued: 1, draft: 1 } },
        // CO-1: conditional access 6 h x 195 = 1,170.00;
        // shared mailboxes 48.25 h x 95.50 = 4,607.88 - 3,820.00 = 787.88.
        pending: { exposure: 195_788, orders: 1 },
        // Dropping the backup appliance (-1,800.00) is assessed but not yet on an order.
        totals: { approvedChanges: 0, awaitingOrder: -180_000 },
      });
      const state = (await platform.readModel.projectState(summary.id))!;
      const [co1, co2] = state.changeOrders.values();
      expect(co1).toMatchObject({
        number: 1,
        status: 'issued',
        amount: 195_788,
        issue: { documentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });
      // The printer fix is goodwill: 1.5 h x 95.50 absorbed, nothing charged.
      expect(co2).toMatchObject({ number: 2, status: 'draft', amount: 0, absorbed: 14_325 });
      expect(projects[0].signingLinks).toEqual([
        { changeOrder: 'CO-1', url: expect.stringMatching(/^http:\/\/localhost:3000\/sign\/[A-Za-z0-9_-]{43}$/) },
      ]);
    },
  );

  it(
    'signs and part-invoices the network refresh order, ' + 'which admits its work to the board and the finance ledger',
    async () => {
      const summary = await summaryOf('Branch network refresh');
      // Rotterdam: 6 h x 135.00 + 1,800.00 hardware; the cut-over move is schedule only. CO-2: a PoE switch
      // 1 x 640.00 once, and 8 camera recording licences x 12.00 = 96.00 a month, apart from the contract.
      expect(summary).toMatchObject({
        currency: 'EUR',
        totals: { approvedChanges: 325_000, invoiced: 180_000, uninvoiced: 145_000 },
        monthly: { approved: 9_600, current: 9_600, pending: 0 },
      });
      const signed = await platform.readModel.signedChangeOrders({});
      const row = signed.find((r) => r.projectName === 'Branch network refresh' && r.number === 1);
      expect(row).toMatchObject({
        projectName: 'Branch network refresh',
        number: 1,
        signedBy: 'Marieke de Vries',
        amount: 261_000,
        invoiced: 180_000,
      });
      const state = (await platform.readModel.projectState(summary.id))!;
      expect([...state.cards.values()].find((card) => card.ref === 'SI-6')?.admittedBy).toMatchObject({
        kind: 'change_order',
      });
      // Products never become cards.
      expect([...state.cards.values()].map((card) => card.ref)).not.toContain('HW-POE-24');
      expect(projects[1].signingLinks).toEqual([]);
      // The design milestone of the baseline is billed on its own invoice.
      expect(state.baselineInvoices).toEqual([
        expect.objectContaining({ invoiceNumber: 'NWL-2026-0398', milestone: 'M1', amount: 250_000 }),
      ]);
    },
  );

  it(
    'credits the cloud migration for the servers it keeps, with a credit note, ' +
      'and sends the order that credit made stale again as its first revision',
    async () => {
      const summary = await summaryOf('Azure cloud migration');
      // CO-2 takes out decommissioning: 8 h x 125.00 = -1,000.00, credited in full.
      expect(summary.totals).toMatchObject({ approvedChanges: -100_000, invoiced: -100_000, uninvoiced: 0 });
      const state = (await platform.readModel.projectState(summary.id))!;
      const [co1, co2] = state.changeOrders.values();
      expect(co2).toMatchObject({ status: 'signed', amount: -100_000, invoiced: -100_000 });
      expect(co2.invoices.map((i) => [i.invoiceNumber, i.amount])).toEqual([['FAB-CN-0007', -100_000]]);
      // CO-1 went out before the credit was signed; its revision states the credit as signed before it.
      expect(co1).toMatchObject({ status: 'issued', revision: 1, issue: { previouslyApproved: -100_000 } });
      expect(projects[2].signingLinks).toEqual([{ changeOrder: 'CO-1', url: expect.stringMatching(/\/sign\//) }]);
    },
  );

  it('turns a late client dependency of the M365 migration into a change request for the days lost', async () => {
    const summary = await summaryOf('Microsoft 365 migration');
    const state = (await platform.readModel.projectState(summary.id))!;
    // Due on working day 10, delivered on working day 13: three working days late, claimed against M2.
    const [dependency] = state.clientDependencies!;
    expect(dependency).toMatchObject({ number: 1, milestone: 'M2', changeRequestId: expect.any(String) });
    expect(state.changeRequests.get(dependency.changeRequestId!)).toMatchObject({
      source: 'client_dependency',
      status: 'assessed',
      assessment: { schedule: [{ milestone: 'M2', workingDays: 3 }], costDelta: 0 },
    });
  });

  it('leaves the cloud migration waiting on an overdue client dependency, first by client', async () => {
    const answer = await new PortfolioController(new ProjectReads(platform)).portfolio({ sort: 'client' });
    // Logged on Monday 9 March, due on Wednesday 11 March (Azure's working days 10 and 12), still open today,
    // Monday 16 March: waiting 7 days, 5 days overdue.
    expect(answer.projects[0]).toMatchObject({
      name: 'Azure cloud migration',
      waitingOnClient: { open: 1, overdue: 1, longestWaitDays: 7, mostOverdueDays: 5 },
    });
    expect(answer.projects.slice(1).map((p) => p.waitingOnClient.open)).toEqual([0, 0]);
  });

  /**
   * Through the API's own handlers for GET /api/capacity and …/capacity-impact, on Monday 16 March 2026 (the
   * clock is moved there). Each card's remaining hours are spread evenly over the working days from today to its
   * milestone (or the project's last one): nothing is overdue, the work is planned this week and next.
   * - M365 (started Monday 16 February): M2 "All mailboxes migrated" on working day 24, Friday 20 March; the
   *   handover M3 on working day 29, Friday 27 March: 10 working days from today, 5 in each week.
   * - Azure (started Monday 23 February): cut-over M3 on working day 22, Wednesday 25 March: 8 working days from
   *   today, 5 this week and 3 next.
   */
  describe('capacity', () => {
    const reads = () => new CapacityReads(platform, new ProjectReads(platform));
    const plan = async () => {
      const answer = await new CapacityController(reads()).plan({ weeks: 2 });
      const person = (name: string) => answer.people.find((p) => p.name === name)!;
      const week = (name: string, weekOf: string) => person(name).weeks.find((w) => w.weekOf === weekOf)!;
      return { answer, person, week };
    };

    it('has a team of seven with time off and reactive work, and one engineer both migrations over-book', async () => {
      const { state: team } = await platform.team.load();
      expect([...team.people.values()].map((p) => `${p.name} (${p.role})`)).toEqual([
        'Sam Patel (engineer)',
        'Jo Lindqvist (technician)',
        'Ravi Menon (architect)',
        'Mia Chen (network_engineer)',
        'Tom Berg (project_manager)',
        'Nina Okafor (cloud_architect)',
        'Lee Park (dba)',
      ]);
      expect([...team.timeOff.values()]).toEqual([
        expect.objectContaining({ personId: 'P-1', from: '2026-03-20', to: '2026-03-20' }),
      ]);
      expect([...team.reactive.values()]).toEqual([
        expect.objectContaining({ personId: 'P-4', weekOf: '2026-03-16', centiHours: 600, kind: 'outage' }),
      ]);

      // Sam carries M365 Intune 12.5 h + Teams 16 h = 28.5 h over 10 days: 14.25 h a week, and Azure's server
      // migration, 56 h over 8 days: 35 h this week, 21 h next.
      // Next week: 14.25 + 21 = 35.25 h against 32 h: 110 %.
      // This week: 14.25 + 35 = 49.25 h against 32 h less his Friday off (25.6 h): 192 %.
      const { answer, week } = await plan();
      expect(week('Sam Patel', '2026-03-23')).toMatchObject({
        capacityHours: 32,
        loadHours: 35.25,
        utilisation: 1.1,
        overAllocated: true,
      });
      expect(week('Sam Patel', '2026-03-16')).toMatchObject({
        capacityHours: 25.6,
        timeOffDays: 1,
        loadHours: 49.25,
        utilisation: 1.92,
        overAllocated: true,
      });
      const cell = await new CapacityController(reads()).cell('P-1', '2026-03-23', {});
      expect(new Set(cell.cards.map((c) => c.projectName))).toEqual(
        new Set(['Microsoft 365 migration', 'Azure cloud migration']),
      );
      // Jo's mailbox migration, 40 h due by M2 this Friday, fills this 40-hour week exactly; next week is free.
      // No one has Azure's backup and recovery (12 h) or the M365 backup appliance (4 h) yet: 16 h of engineer
      // demand over the two weeks.
      expect(week('Jo Lindqvist', '2026-03-16')).toMatchObject({ loadHours: 40, utilisation: 1, overAllocated: false });
      expect(week('Jo Lindqvist', '2026-03-23')).toMatchObject({ loadHours: 0 });
      expect(answer.unassigned.find((u) => u.role === 'engineer')?.hours).toBe(16);
    });

    it('shows that signing the M365 order awaiting signature would put Jo over capacity', async () => {
      const m365 = projects.find((p) => p.name === 'Microsoft 365 migration')!;
      const pending = [...m365.state.changeOrders.values()].find((o) => o.status === 'issued')!;
      const impact = await new CapacityImpactController(reads(), new ProjectReads(platform)).ofOrder(
        m365.id,
        pending.id,
      );
      // The shared mailboxes raise Jo's card, still due by M2 this Friday, from 40 to 48.25 hours: 100 % → 121 %
      // in the week of 16 March.
      expect(impact.changeOrder).toBe('CO-1');
      expect(impact.goingOver).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'Jo Lindqvist',
            weekOf: '2026-03-16',
            loadHoursBefore: 40,
            loadHoursAfter: 48.25,
            utilisationAfter: 1.21,
            wasOverAllocated: false,
          }),
        ]),
      );
    });
  });

  it('keeps the network refresh in Rotterdam time', async () => {
    expect((await summaryOf('Branch network refresh')).timeZone).toBe('Europe/Amsterdam');
  });

  it('covers every request source and a schedule-only change', async () => {
    const states = await Promise.all(projects.map(async (p) => (await platform.readModel.projectState(p.id))!));
    const requests = states.flatMap((s) => [...s.changeRequests.values()]);
    expect(new Set(requests.map((r) => r.source))).toEqual(
      new Set(['email', 'phone', 'meeting', 'ticket', 'portal', 'client_dependency']),
    );
    expect(requests.map((r) => r.assessment?.lines.map((l) => l.op)).flat()).toEqual(
      expect.arrayContaining(['add', 'modify', 'remove']),
    );
    const officeMove = requests.find((r) => r.title === 'Move the HQ cut-over a week later')!;
    expect(officeMove.assessment).toMatchObject({
      lines: [],
      schedule: [{ milestone: 'M2', workingDays: 5 }],
      costDelta: 0,
    });
    expect((await summaryOf('Azure cloud migration')).changeRequests.byStatus).toMatchObject({ logged: 1 });
  });

  it('tells the story over the past weeks and issues today, in order, with intact hash chains', async () => {
    for (const project of projects) {
      const events = await platform.store.readStream(`project-${project.id}`);
      const times = events.map((e) => e.metadata.occurredAt);
      expect([...times].sort()).toEqual(times);
      const story = events.slice(
        0,
        events.findIndex((e) => e.type === 'ChangeOrderIssued'),
      );
      expect(story.length).toBeGreaterThan(10);
      expect(story.every((e) => e.metadata.occurredAt < TODAY)).toBe(true);
    }
    expect(await verifyAuditTrail(platform)).toMatchObject({ streams: 5, catalogue: true, broken: [] });
  });

  it('refuses to seed a store that already holds projects unless forced', async () => {
    await expect(seedDemo(platform, { config: testConfig })).rejects.toThrow(/already holds projects.*--force/);
    await expect(runCli(database.sql, ['demo'])).rejects.toThrow(/already holds projects/);
  });

  it(
    'rebuilds the projections to the same tables, ' + 'reporting progress against the number of project events',
    async () => {
      const before = await readModelRows(database.sql);
      const progress: { total?: number; updates: number[]; stopped: boolean } = { updates: [], stopped: false };
      const outcome = await rebuildProjections(platform, {
        start: (total) => (progress.total = total),
        update: (done) => progress.updates.push(done),
        stop: () => (progress.stopped = true),
      });
      const events = (await platform.store.readAll({ limit: 10_000 })).length;
      expect(outcome.events).toBe(events);
      expect(progress).toEqual({ total: events, updates: [events], stopped: true });
      expect(outcome.eventsPerSecond).toBeGreaterThan(0);
      expect(await readModelRows(database.sql)).toEqual(before);

      const run = await runCli(database.sql, ['projections', 'rebuild']);
      expect(run.stdout).toMatch(
        new RegExp(`^Rebuilt the read models from ${events} events in \\d+\\.\\d s \\(\\d+ events/s\\)\\.\\n$`),
      );
    },
  );
});

describe('the embedded data folder', () => {
  /**
   * Another process holding the folder's lock, as a running server does (the lock is the
   * folder's .scope-ledger.lock, taken with proper-lockfile).
   */
  async function holdLockInAnotherProcess(dataDir: string): Promise<ChildProcess> {
    const script =
      `
      require('proper-lockfile')
        .lock(${JSON.stringify(dataDir)}, { realpath: false, ` +
      `lockfilePath: ${JSON.stringify(join(dataDir, '.scope-ledger.lock'))}, ` +
      `stale: 60000, update: 5000 })
        .then(() => process.stdout.write('locked\\n'));
      setInterval(() => undefined, 1000);`;
    const holder = spawn(process.execPath, ['-e', script], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(holder.stdout!, 'data');
    return holder;
  }

  it('is refused with the lock message while another process (the server) has it open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scope-ledger-locked-'));
    const holder = await holdLockInAnotherProcess(dataDir);
    try {
      await expect(openConfiguredPlatform({ ...testConfig, databaseUrl: undefined, dataDir })).rejects.toThrow(
        `The data folder ${dataDir} is in use by another Scope Ledger process. ` +
          `Stop that process, or set DATA_DIR to another folder.`,
      );
    } finally {
      holder.kill();
      await once(holder, 'exit');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
