import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import {
  addCalendarDays,
  AssessmentLineInput,
  BaselineItemInput,
  CatalogueCommandOf,
  CatalogueState,
  ChangeSource,
  DeclineCategory,
  DEFAULT_EXPIRY_DAYS,
  DEFAULT_TERMS,
  findProduct,
  formatMoney,
  initialProjectState,
  IsoDate,
  orderNumber,
  Person,
  ProjectCommand,
  ProjectState,
  requestNumber,
  WorkingCalendar,
} from '@scope-ledger/domain';
import { migrate } from '@scope-ledger/event-store';
import { notificationMigrations } from '@scope-ledger/notifications';
import {
  assignBoardCard,
  CommandContext,
  countEvents,
  loadSigningSecret,
  Platform,
  PROJECT_STREAMS,
  ProjectCommands,
} from '@scope-ledger/platform';
import { ChangeOrderService, SignerContext } from '../../server/src/change-orders/change-order.service';
import { CompanySettingsService } from '../../server/src/company/company-settings.service';
import { DocumentStore } from '../../server/src/change-orders/document-store';
import { loadSeal, ServerConfig } from '../../server/src/config';
import { ProjectReads } from '../../server/src/projects/project-reads';
import { SigningCeremonyService } from '../../server/src/signing/signing-ceremony.service';
import { CliContext, print, withPlatform } from './cli-context';
import { formatTable } from './output';

const DEMO_CONTEXT: CommandContext = { actor: { kind: 'system', id: 'demo', name: 'Demo data' } };
const MSP_PM: Person = { name: 'Alex Morgan', email: 'alex.morgan@msp.example' };
/** The client's browser when a demo order is signed (a documentation address, RFC 5737). */
const DEMO_SIGNER_BROWSER: SignerContext = { ip: '203.0.113.24', userAgent: 'Mozilla/5.0 (Scope Ledger demo)' };

type Shift = { milestone: string; workingDays: number };

/** A change request the contact raises, and how it was answered. Days are working days from the start. */
interface DemoRequest {
  day: number;
  source: ChangeSource;
  title: string;
  description: string;
  ticketRef?: string;
  assess?: {
    day: number;
    lines: AssessmentLineInput[];
    /** Catalogue products by SKU, priced from the demo catalogue. */
    products?: { op: 'add' | 'modify' | 'remove'; sku: string; quantity?: number }[];
    schedule?: Shift[];
    notes?: string;
    noCharge?: boolean;
  };
  decline?: { day: number; category: DeclineCategory; reason: string };
}

/**
 * Something the project waited for from the client, logged on `day`; due, resolved (and claimed as a change
 * request for the working days lost) on the working days given. Without `resolved` it is still open.
 */
interface DemoDependency {
  day: number;
  dependency: { what: string; milestone: string; due: number; resolved?: number; claim?: boolean };
}

/**
 * What happens to the orders today, in order: issued, signed by the client (view, consent, typed name),
 * invoiced (a negative amount is a credit note) or revised because an order signed since made it stale;
 * and the baseline invoiced, for a milestone when one is named.
 */
type TodayStep =
  | { issue: string }
  | { sign: string }
  | { invoice: string; invoiceNumber: string; amount: number }
  | { revise: string }
  | { baselineInvoice: string; amount: number; milestone?: string };

/** One project's history: opened on day -5, baselined, then its steps; today its orders go out. */
interface DemoStory {
  weeksAgo: number;
  name: string;
  client: Person;
  currency: string;
  /** IANA name; absent: none. */
  timeZone?: string;
  rates: Record<string, number>;
  baselineDay: number;
  items: BaselineItemInput[];
  milestones: { ref: string; name: string; workingDays: number }[];
  /** Who raises the requests. */
  contact: Person;
  signer: Person;
  /** Requests, and drafts naming their requests by number: CR-1, CR-2, … in the order logged. */
  steps: (DemoRequest | { day: number; draft: string[] } | DemoDependency)[];
  today: TodayStep[];
}

/** The catalogue the demo projects buy from: licences billed monthly and hardware sold once. */
const DEMO_PRODUCTS: readonly Omit<CatalogueCommandOf<'CatalogueProduct'>, 'type' | 'now'>[] = [
  {
    sku: 'LIC-M365-BP',
    name: 'Microsoft 365 Business Premium',
    kind: 'licence',
    billing: 'monthly',
    currency: 'USD',
    unitPrice: 2200,
    unitCost: 1870,
  },
  {
    sku: 'HW-FW-60F',
    name: 'FortiGate 60F firewall',
    kind: 'product',
    billing: 'one_off',
    currency: 'USD',
    unitPrice: 89900,
    unitCost: 72000,
  },
  {
    sku: 'LIC-NVR-CAM',
    name: 'Camera recording licence',
    kind: 'licence',
    billing: 'monthly',
    currency: 'EUR',
    unitPrice: 1200,
    unitCost: 850,
  },
  {
    sku: 'HW-POE-24',
    name: '24-port PoE switch',
    kind: 'product',
    billing: 'one_off',
    currency: 'EUR',
    unitPrice: 64000,
    unitCost: 49500,
  },
];

/** The three client projects, as data. */
const STORIES: readonly DemoStory[] = JSON.parse(readFileSync(join(__dirname, 'demo-projects.json'), 'utf8'));

export interface DemoProject {
  id: string;
  name: string;
  client: string;
  state: ProjectState;
  /** Orders left awaiting signature, with the link the client signer would get. */
  signingLinks: { changeOrder: string; url: string }[];
}

export interface DemoOptions {
  /** The public URL of signing links, the MSP's name and the seal certificate. */
  config: ServerConfig;
  /** The day the story is told from (default today). */
  today?: IsoDate;
  /** Seed even though the store already holds projects. */
  force?: boolean;
}

/**
 * Seeds three client projects through the domain commands the API runs, with weeks of history.
 * Today's orders are issued through the server's ChangeOrderService, so their signing links work.
 */
export async function seedDemo(platform: Platform, options: DemoOptions): Promise<DemoProject[]> {
  if (!options.force && (await countEvents(platform, PROJECT_STREAMS)) > 0) {
    throw new Error(
      'The event store already holds projects; the demo portfolio is meant for an empty one. ' +
        'Add --force to seed it anyway.',
    );
  }
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const documents = new DocumentStore(platform.sql);
  await documents.prepare();
  // Signing reads what was emailed to the signer (the certificate of completion lists it): the outbox must exist.
  await migrate(platform.sql, notificationMigrations);
  const secret = await loadSigningSecret(platform.sql, options.config.signingSecret);
  const reads = new ProjectReads(platform);
  const seal = await loadSeal(options.config);
  const config = demoCompany(options.config);
  const company = new CompanySettingsService(platform.company, platform.sql, documents, config);
  await company.prepare();
  const orders = new ChangeOrderService(platform.commands, reads, documents, company, platform, config, secret, seal);
  const ceremony = new SigningCeremonyService(platform.commands, orders, documents, company, platform, config, secret);
  for (const product of DEMO_PRODUCTS)
    if (!findProduct((await platform.catalogue.load()).state, product.sku))
      await platform.catalogue.execute(
        { type: 'CatalogueProduct', now: new Date().toISOString(), ...product },
        DEMO_CONTEXT,
      );
  const { state: catalogue } = await platform.catalogue.load();
  const projects: DemoProject[] = [];
  for (const story of STORIES) {
    const startDate = mondayWeeksBefore(today, story.weeksAgo);
    projects.push(await tellStory(story, platform.commands, { orders, ceremony, catalogue }, startDate));
  }
  await staffTheProjects(platform, projects, today);
  // Bring the read models up to date, so the portfolio shows the demo without a server running.
  await platform.processor.start();
  await platform.processor.waitFor(platform.commands.lastWrittenPosition!, 60_000);
  await platform.processor.stop();
  return projects;
}

/**
 * Runs one story's commands, each stamped later than the one before so the audit trail reads in
 * order. Issuing and signing happen today: the server's service stamps them with the clock.
 */
async function tellStory(
  story: DemoStory,
  commands: ProjectCommands,
  {
    orders,
    ceremony,
    catalogue,
  }: { orders: ChangeOrderService; ceremony: SigningCeremonyService; catalogue: CatalogueState },
  startDate: IsoDate,
): Promise<DemoProject> {
  const projectId = randomUUID();
  const calendar = new WorkingCalendar();
  let state = initialProjectState;
  let lastAt = 0;
  const workingDay = (n: number) => calendar.addWorkingDays(startDate, n);
  /** 09:10 on the first step of a day, then 40 minutes apart. */
  const timestampOn = (day: number) => {
    const startOfDay = Date.parse(`${workingDay(day)}T09:10:00Z`);
    lastAt = Math.max(startOfDay, lastAt + 40 * 60_000);
    return new Date(lastAt).toISOString();
  };
  const run = async (command: ProjectCommand) => {
    state = (await commands.execute(projectId, command, DEMO_CONTEXT)).state;
  };
  const requestId = (ref: string) => [...state.changeRequests.values()].find((r) => requestNumber(r) === ref)!.id;
  const orderId = (ref: string) => [...state.changeOrders.values()].find((o) => orderNumber(o) === ref)!.id;

  const { name, client, currency, timeZone, rates } = story;
  const opening = { projectId, name, client, currency, timeZone, rates, manager: MSP_PM, startDate, holidays: [] };
  await run({ type: 'OpenProject', now: timestampOn(-5), ...opening });
  const milestones = story.milestones.map(({ workingDays, ...milestone }) => ({
    ...milestone,
    due: workingDay(workingDays),
  }));
  await run({ type: 'EstablishBaseline', now: timestampOn(story.baselineDay), items: story.items, milestones });
  for (const step of story.steps) {
    if ('draft' in step) {
      await run({
        type: 'DraftChangeOrder',
        now: timestampOn(step.day),
        changeOrderId: randomUUID(),
        changeRequestIds: step.draft.map(requestId),
        signer: story.signer,
        expiresInDays: DEFAULT_EXPIRY_DAYS,
        terms: DEFAULT_TERMS,
      });
      continue;
    }
    if ('dependency' in step) {
      const { what, milestone, due, resolved, claim } = step.dependency;
      const dependencyId = randomUUID();
      const since = workingDay(step.day);
      const logged = { what, milestone, since, due: workingDay(due) };
      await run({ type: 'LogClientDependency', now: timestampOn(step.day), dependencyId, ...logged });
      if (resolved === undefined) continue;
      const resolvedOn = workingDay(resolved);
      await run({ type: 'ResolveClientDependency', now: timestampOn(resolved), dependencyId, resolvedOn });
      if (claim) {
        const changeRequestId = randomUUID();
        await run({ type: 'RequestDelayChange', now: timestampOn(resolved), dependencyId, changeRequestId });
      }
      continue;
    }
    const { day, assess, decline, ...request } = step;
    const changeRequestId = randomUUID();
    const now = timestampOn(day);
    // Logged some time after the client asked.
    const receivedAt = new Date(Date.parse(now) - 95 * 60_000).toISOString();
    await run({ type: 'LogChangeRequest', now, changeRequestId, requestedBy: story.contact, receivedAt, ...request });
    if (assess) {
      const { day: assessedOn, products, ...assessment } = assess;
      await run({
        type: 'AssessChangeRequest',
        now: timestampOn(assessedOn),
        changeRequestId,
        schedule: [],
        noCharge: false,
        ...assessment,
        ...(products ? { products: products.map((p) => ({ ...p, product: findProduct(catalogue, p.sku) })) } : {}),
      });
    }
    if (decline) {
      const { day: declinedOn, ...grounds } = decline;
      await run({ type: 'DeclineChangeRequest', now: timestampOn(declinedOn), changeRequestId, ...grounds });
    }
  }

  // The link the signer was last sent, per order still awaiting a signature.
  const links = new Map<string, string>();
  for (const step of story.today) {
    if ('issue' in step || 'revise' in step) {
      const sent =
        'issue' in step
          ? await orders.issue(projectId, orderId(step.issue), DEMO_CONTEXT)
          : await orders.revise(projectId, orderId(step.revise), DEMO_CONTEXT);
      state = sent.state;
      links.set('issue' in step ? step.issue : step.revise, sent.signingUrl);
    } else if ('sign' in step) {
      // The client opens the link, reads the document, consents and signs with a typed name.
      const changeOrderId = orderId(step.sign);
      const token = new URL(links.get(step.sign)!).pathname.split('/').pop()!;
      const link = { projectId, changeOrderId, token };
      await orders.recordView(link, DEMO_SIGNER_BROWSER);
      await ceremony.consent(link, DEMO_SIGNER_BROWSER);
      const { documentSha256 } = state.changeOrders.get(changeOrderId)!.issue!;
      const signature = { name: story.signer.name, documentSha256 };
      state = (await orders.sign(link, signature, DEMO_SIGNER_BROWSER)).state;
      links.delete(step.sign);
    } else if ('baselineInvoice' in step) {
      const { baselineInvoice: invoiceNumber, ...invoiced } = step;
      await run({ type: 'RecordBaselineInvoice', now: new Date().toISOString(), invoiceNumber, ...invoiced });
    } else {
      const { invoice, ...invoiced } = step;
      await run({ type: 'RecordInvoice', now: new Date().toISOString(), changeOrderId: orderId(invoice), ...invoiced });
    }
  }
  const signingLinks = [...links].map(([changeOrder, url]) => ({ changeOrder, url }));
  return { id: projectId, name: state.name, client: state.client.name, state, signingLinks };
}

/**
 * The team that delivers the three projects, and who carries which card. Sam, the one engineer the M365 and
 * Azure migrations share, carries their planned work of this week and next: the M365 Intune and Teams cards
 * (28.5 hours up to its handover next Friday) and Azure's server migration (56 hours up to its cut-over next
 * Wednesday). Against his 32 hours a week that is over-booked this week (with his day off this Friday) and next
 * week too. Jo's 40 hours of mailbox migration, due by the M365 mailboxes milestone this Friday, fill this
 * 40-hour week; the M365 order awaiting signature would raise that card to 48.25 hours (121 %). Azure's
 * cut-over engineering (SI-4, 12 hours) and the M365 backup appliance (SI-3, 4 hours) are left to no one:
 * unassigned engineer demand.
 */
const DEMO_TEAM: readonly { name: string; email: string; role: string; hours: number; cards: [string, string][] }[] = [
  {
    name: 'Sam Patel',
    email: 'sam.patel@msp.example',
    role: 'engineer',
    hours: 32,
    cards: [
      ['Microsoft 365 migration', 'C-2'],
      ['Microsoft 365 migration', 'C-4'],
      ['Azure cloud migration', 'C-2'],
    ],
  },
  {
    name: 'Jo Lindqvist',
    email: 'jo.lindqvist@msp.example',
    role: 'technician',
    hours: 40,
    cards: [['Microsoft 365 migration', 'C-1']],
  },
  { name: 'Ravi Menon', email: 'ravi.menon@msp.example', role: 'architect', hours: 24, cards: [] },
  {
    name: 'Mia Chen',
    email: 'mia.chen@msp.example',
    role: 'network_engineer',
    hours: 40,
    cards: [
      ['Branch network refresh', 'C-1'],
      ['Branch network refresh', 'C-2'],
    ],
  },
  {
    name: 'Tom Berg',
    email: 'tom.berg@msp.example',
    role: 'project_manager',
    hours: 16,
    cards: [['Branch network refresh', 'C-5']],
  },
  {
    name: 'Nina Okafor',
    email: 'nina.okafor@msp.example',
    role: 'cloud_architect',
    hours: 40,
    cards: [['Azure cloud migration', 'C-1']],
  },
  {
    name: 'Lee Park',
    email: 'lee.park@msp.example',
    role: 'dba',
    hours: 32,
    cards: [['Azure cloud migration', 'C-3']],
  },
];

/** Adds the team, gives them their cards, books Sam's day off this Friday and logs Mia's outage this week. */
async function staffTheProjects(platform: Platform, projects: readonly DemoProject[], today: IsoDate) {
  const now = () => new Date().toISOString();
  const { state: existing } = await platform.team.load();
  if (existing.people.size > 0) return;
  const monday = mondayWeeksBefore(today, 0);
  for (const member of DEMO_TEAM) {
    const { name, email, role, hours: weeklyCapacityHours } = member;
    const added = { type: 'AddTeamMember', now: now(), name, email, role, weeklyCapacityHours } as const;
    const personId = String((await platform.team.execute(added, DEMO_CONTEXT)).events[0].data.personId);
    for (const [project, cardId] of member.cards) {
      const projectId = projects.find((p) => p.name === project)!.id;
      await assignBoardCard(
        platform.team,
        platform.commands,
        projectId,
        { now: now(), cardId, personId },
        DEMO_CONTEXT,
      );
    }
    if (name === 'Sam Patel') {
      const friday = addCalendarDays(monday, 4);
      const off = { type: 'BookTimeOff', now: now(), personId, from: friday, to: friday, note: 'Day off' } as const;
      await platform.team.execute(off, DEMO_CONTEXT);
    }
    if (name === 'Mia Chen') {
      const outage = {
        type: 'LogReactiveWork',
        now: now(),
        personId,
        weekOf: monday,
        hours: 6,
        kind: 'outage',
        note: 'Core switch outage at a managed-services client',
      } as const;
      await platform.team.execute(outage, DEMO_CONTEXT);
    }
  }
}

/** The company the demo's orders come from: the configured one, or a made-up one when none is set. */
function demoCompany(config: ServerConfig): ServerConfig {
  return {
    ...config,
    mspName: config.mspName ?? 'Brightline Managed IT',
    mspEmail: config.mspEmail ?? 'projects@msp.example',
  };
}

/** The Monday of the week `weeks` weeks before `today`. */
function mondayWeeksBefore(today: IsoDate, weeks: number): IsoDate {
  const day = addCalendarDays(today, -7 * weeks);
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addCalendarDays(day, -((weekday + 6) % 7));
}

function formatDemo(projects: readonly DemoProject[]): string {
  const rows = projects.map(({ id, name, client, state }) => {
    const orders = [...state.changeOrders.values()].map((order) => `${orderNumber(order)} ${order.status}`);
    return [
      id,
      name,
      client,
      formatMoney(state.baseline.total, state.currency),
      `${state.changeRequests.size} requests; ${orders.join(', ')}`,
    ];
  });
  const links = projects.flatMap((p) =>
    p.signingLinks.map((link) => `  ${link.changeOrder} of ${p.name}: ${link.url}`),
  );
  return (
    `Seeded ${projects.length} demo projects:\n\n` +
    formatTable(['PROJECT ID', 'NAME', 'CLIENT', 'BASELINE', 'CHANGE REQUESTS AND ORDERS'], rows) +
    (links.length > 0
      ? `\nAwaiting the client's signature (open with the server running):\n${links.join('\n')}\n`
      : '') +
    `\nTeam of ${DEMO_TEAM.length}: ${DEMO_TEAM.map((m) => m.name).join(', ')}.\n` +
    'Capacity (/app/capacity): Sam Patel, the engineer both migrations share, is over-booked this week and next ' +
    'by their planned work; signing CO-1 of the Microsoft 365 migration would put Jo Lindqvist over this week ' +
    '(its capacity impact shows it). The Azure cloud migration waits on an overdue client dependency ' +
    '(the portfolio sorted by client ranks it).\n'
  );
}

export function registerDemoCommand(program: Command, cli: CliContext): void {
  program
    .command('demo')
    .description('seed a demo portfolio of three MSP projects (through domain commands)')
    .option('--force', 'seed even when the store already holds projects')
    .action(async (options: { force?: boolean }) => {
      const projects = await withPlatform(cli, (platform) =>
        seedDemo(platform, { config: cli.config, force: options.force }),
      );
      print(cli.stdout, formatDemo(projects));
    });
}
