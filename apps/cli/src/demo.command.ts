import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import {
  addCalendarDays,
  AssessmentLineInput,
  BaselineItemInput,
  ChangeSource,
  DeclineCategory,
  DEFAULT_EXPIRY_DAYS,
  DEFAULT_TERMS,
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
import { CommandContext, loadSigningSecret, Platform, ProjectCommands } from '@scope-ledger/platform';
import { ChangeOrderService, SignerContext } from '../../server/src/change-orders/change-order.service';
import { DocumentStore } from '../../server/src/change-orders/document-store';
import { ServerConfig } from '../../server/src/config';
import { ProjectReads } from '../../server/src/projects/project-reads';
import { CliContext, print, withPlatform } from './cli-context';
import { countEvents, PROJECT_STREAMS } from './event-log';
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
  assess?: { day: number; lines: AssessmentLineInput[]; schedule?: Shift[]; notes?: string; noCharge?: boolean };
  decline?: { day: number; category: DeclineCategory; reason: string };
}

/** One project's history: opened on day -5, baselined, then its steps; today an order is issued. */
interface DemoStory {
  weeksAgo: number;
  name: string;
  client: Person;
  currency: string;
  rates: Record<string, number>;
  baselineDay: number;
  items: BaselineItemInput[];
  milestones: { ref: string; name: string; workingDays: number }[];
  /** Who raises the requests. */
  contact: Person;
  signer: Person;
  /** Requests, and drafts naming their requests by number: CR-1, CR-2, … in the order logged. */
  steps: (DemoRequest | { day: number; draft: string[] })[];
  today: { issue: string; sign?: boolean; invoice?: { invoiceNumber: string; amount: number } };
}

const MICROSOFT_365_MIGRATION: DemoStory = {
  weeksAgo: 6,
  name: 'Microsoft 365 migration',
  client: { name: 'Contoso Dental Group', email: 'it@contoso-dental.example' },
  currency: 'USD',
  rates: { engineer: 15_000, technician: 9_550, architect: 19_500 },
  baselineDay: -3,
  items: [
    { ref: 'SI-1', title: 'Migrate 120 mailboxes to Exchange Online', role: 'technician', hours: 40 },
    { ref: 'SI-2', title: 'Configure Intune enrolment for 85 devices', role: 'engineer', hours: 12.5 },
    {
      ref: 'SI-3',
      title: 'Install and configure the backup appliance',
      role: 'engineer',
      hours: 4,
      fixedCost: 120_000,
    },
    { ref: 'SI-4', title: 'Teams and SharePoint set-up', role: 'engineer', hours: 16 },
  ],
  milestones: [
    { ref: 'M1', name: 'Pilot group migrated', workingDays: 8 },
    { ref: 'M2', name: 'All mailboxes migrated', workingDays: 18 },
    { ref: 'M3', name: 'Handover', workingDays: 25 },
  ],
  contact: { name: 'Dana Whitfield', email: 'dana.whitfield@contoso-dental.example' },
  signer: { name: 'Priya Raman', email: 'priya.raman@contoso-dental.example' },
  steps: [
    {
      day: 3,
      source: 'email',
      title: 'Add conditional access policies',
      description:
        'After a phishing attempt the practice wants sign-ins from unmanaged devices blocked ' +
        'before the rest of the staff move.',
      assess: {
        day: 4,
        lines: [{ op: 'add', ref: 'SI-5', title: 'Conditional access baseline policies', role: 'architect', hours: 6 }],
        schedule: [{ milestone: 'M2', workingDays: 2 }],
        notes: 'Policies must be in place before the main migration wave.',
      },
    },
    {
      day: 5,
      source: 'phone',
      title: 'Migrate the shared mailboxes too',
      description: 'Reception, billing and 38 other shared mailboxes were left out of the original count.',
      assess: {
        day: 5,
        lines: [{ op: 'modify', ref: 'SI-1', title: 'Migrate 120 mailboxes and 40 shared mailboxes', hours: 48.25 }],
      },
    },
    { day: 6, draft: ['CR-1', 'CR-2'] },
    {
      day: 7,
      source: 'ticket',
      title: 'Printers fail after Intune enrolment',
      description: 'Twelve front-desk PCs lost their label-printer drivers after enrolment.',
      ticketRef: 'TCK-20418',
      assess: {
        day: 7,
        lines: [{ op: 'add', ref: 'SI-6', title: 'Printer driver clean-up on 12 PCs', role: 'technician', hours: 1.5 }],
        noCharge: true,
        notes: 'Goodwill: our enrolment profile removed the drivers.',
      },
    },
    { day: 8, draft: ['CR-3'] },
    {
      day: 9,
      source: 'meeting',
      title: 'Replace the reception label printer',
      description: 'Raised in the weekly call: the reception label printer jams daily.',
      decline: {
        day: 9,
        category: 'warranty',
        reason: "The printer is under the manufacturer's warranty; Contoso will claim a replacement from the vendor.",
      },
    },
    {
      day: 11,
      source: 'portal',
      title: 'Drop the backup appliance',
      description:
        'Contoso signed up for cloud backup through their insurer and no longer needs the on-site appliance.',
      assess: { day: 12, lines: [{ op: 'remove', ref: 'SI-3' }] },
    },
  ],
  today: { issue: 'CO-1' },
};

const NETWORK_REFRESH: DemoStory = {
  weeksAgo: 4,
  name: 'Branch network refresh',
  client: { name: 'Northwind Logistics', email: 'it@northwind-logistics.example' },
  currency: 'EUR',
  rates: { network_engineer: 13_500, technician: 8_500, project_manager: 11_000 },
  baselineDay: -2,
  items: [
    { ref: 'SI-1', title: 'Replace the HQ core switches', role: 'network_engineer', hours: 24, fixedCost: 860_000 },
    {
      ref: 'SI-2',
      title: 'Replace the firewalls at three branches',
      role: 'network_engineer',
      hours: 18,
      fixedCost: 540_000,
    },
    { ref: 'SI-3', title: 'Wi-Fi survey and 24 access points', role: 'technician', hours: 16, fixedCost: 320_000 },
    { ref: 'SI-4', title: 'Cut-over weekend support', role: 'network_engineer', hours: 10 },
    { ref: 'SI-5', title: 'Project management', role: 'project_manager', hours: 12 },
  ],
  milestones: [
    { ref: 'M1', name: 'Design approved', workingDays: 5 },
    { ref: 'M2', name: 'HQ cut-over', workingDays: 15 },
    { ref: 'M3', name: 'Branches live', workingDays: 25 },
  ],
  contact: { name: 'Jonas Berger', email: 'jonas.berger@northwind-logistics.example' },
  signer: { name: 'Marieke de Vries', email: 'marieke.devries@northwind-logistics.example' },
  steps: [
    {
      day: 2,
      source: 'portal',
      title: 'Add the new Rotterdam branch',
      description:
        'Northwind opens a fourth branch in Rotterdam next month and wants it on the new network from day one.',
      assess: {
        day: 3,
        lines: [
          {
            op: 'add',
            ref: 'SI-6',
            title: 'Firewall and switch for the Rotterdam branch',
            role: 'network_engineer',
            hours: 6,
            fixedCost: 180_000,
          },
        ],
        schedule: [{ milestone: 'M3', workingDays: 3 }],
      },
    },
    {
      day: 4,
      source: 'email',
      title: 'We will supply our own Wi-Fi survey',
      description: 'The landlord had a survey done in spring; Northwind will send it over.',
      assess: {
        day: 4,
        lines: [{ op: 'modify', ref: 'SI-3', title: '24 access points (survey supplied by Northwind)', hours: 9 }],
      },
    },
    {
      day: 6,
      source: 'phone',
      title: 'Move the HQ cut-over a week later',
      description: 'The finance team moves floors that weekend; the cut-over has to wait a week.',
      assess: {
        day: 6,
        lines: [],
        schedule: [{ milestone: 'M2', workingDays: 5 }],
        notes: 'Schedule only; no extra hours.',
      },
    },
    { day: 7, draft: ['CR-1', 'CR-3'] },
    {
      day: 8,
      source: 'ticket',
      title: 'VLAN for the new CCTV cameras',
      description: 'Security is installing IP cameras at HQ and needs them on their own VLAN.',
      ticketRef: 'NW-7731',
      assess: {
        day: 8,
        lines: [
          {
            op: 'add',
            ref: 'SI-7',
            title: 'CCTV VLAN and switch-port configuration',
            role: 'network_engineer',
            hours: 3.5,
          },
        ],
      },
    },
  ],
  // The hardware for Rotterdam is invoiced up front; the labour follows on completion.
  today: { issue: 'CO-1', sign: true, invoice: { invoiceNumber: 'NWL-2026-0412', amount: 180_000 } },
};

const CLOUD_MIGRATION: DemoStory = {
  weeksAgo: 3,
  name: 'Azure cloud migration',
  client: { name: 'Fabrikam Accounting', email: 'it@fabrikam-accounting.example' },
  currency: 'GBP',
  rates: { cloud_architect: 17_500, engineer: 12_500, dba: 14_500 },
  baselineDay: -3,
  items: [
    { ref: 'SI-1', title: 'Azure landing zone and networking', role: 'cloud_architect', hours: 20 },
    { ref: 'SI-2', title: 'Migrate 14 servers with Azure Migrate', role: 'engineer', hours: 56 },
    { ref: 'SI-3', title: 'SQL Server to Azure SQL Managed Instance', role: 'dba', hours: 24 },
    {
      ref: 'SI-4',
      title: 'Backup and disaster recovery with Azure Site Recovery',
      role: 'engineer',
      hours: 12,
      fixedCost: 45_000,
    },
    { ref: 'SI-5', title: 'Decommission the on-premises servers', role: 'engineer', hours: 8 },
  ],
  milestones: [
    { ref: 'M1', name: 'Landing zone ready', workingDays: 5 },
    { ref: 'M2', name: 'Servers migrated', workingDays: 15 },
    { ref: 'M3', name: 'Cut-over and hypercare complete', workingDays: 22 },
  ],
  contact: { name: 'Oliver Grant', email: 'oliver.grant@fabrikam-accounting.example' },
  signer: { name: 'Sarah Okafor', email: 'sarah.okafor@fabrikam-accounting.example' },
  steps: [
    {
      day: 1,
      source: 'meeting',
      title: 'Include the document-management file server',
      description: 'Raised at the kick-off: the legacy document-management server was missing from the inventory.',
      assess: {
        day: 2,
        lines: [
          { op: 'add', ref: 'SI-6', title: 'Migrate the document-management file server', role: 'engineer', hours: 10 },
        ],
        schedule: [{ milestone: 'M2', workingDays: 2 }],
      },
    },
    {
      day: 3,
      source: 'email',
      title: 'Keep the old servers until after year-end',
      description: 'The auditors want the old servers available until the year-end close is signed off.',
      assess: {
        day: 4,
        lines: [{ op: 'remove', ref: 'SI-5' }],
        notes: 'Fabrikam decommissions the servers themselves after the audit.',
      },
    },
    {
      day: 5,
      source: 'portal',
      title: 'Business Critical tier for the SQL Managed Instance',
      description: 'The practice-management vendor requires a failover group for production.',
      assess: {
        day: 5,
        lines: [
          {
            op: 'modify',
            ref: 'SI-3',
            title: 'SQL Server to Azure SQL Managed Instance (Business Critical, failover group)',
            hours: 30,
          },
        ],
      },
    },
    { day: 6, draft: ['CR-1', 'CR-3'] },
    { day: 7, draft: ['CR-2'] },
    {
      day: 8,
      source: 'phone',
      title: 'Azure Virtual Desktop for 20 remote staff',
      description:
        'Oliver called about giving the remote bookkeepers a desktop in Azure; ' +
        'needs a site visit before it can be priced.',
    },
  ],
  today: { issue: 'CO-1' },
};

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
  const secret = await loadSigningSecret(platform.sql, options.config.signingSecret);
  const reads = new ProjectReads(platform);
  const orders = new ChangeOrderService(platform.commands, reads, documents, platform, options.config, secret);
  const projects: DemoProject[] = [];
  for (const story of [MICROSOFT_365_MIGRATION, NETWORK_REFRESH, CLOUD_MIGRATION]) {
    projects.push(await tellStory(story, platform.commands, orders, mondayWeeksBefore(today, story.weeksAgo)));
  }
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
  orders: ChangeOrderService,
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

  const { name, client, currency, rates } = story;
  const opening = { projectId, name, client, currency, rates, manager: MSP_PM, startDate, holidays: [] };
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
    const { day, assess, decline, ...request } = step;
    const changeRequestId = randomUUID();
    const now = timestampOn(day);
    // Logged some time after the client asked.
    const receivedAt = new Date(Date.parse(now) - 95 * 60_000).toISOString();
    await run({ type: 'LogChangeRequest', now, changeRequestId, requestedBy: story.contact, receivedAt, ...request });
    if (assess) {
      const { day: assessedOn, ...assessment } = assess;
      await run({
        type: 'AssessChangeRequest',
        now: timestampOn(assessedOn),
        changeRequestId,
        schedule: [],
        noCharge: false,
        ...assessment,
      });
    }
    if (decline) {
      const { day: declinedOn, ...grounds } = decline;
      await run({ type: 'DeclineChangeRequest', now: timestampOn(declinedOn), changeRequestId, ...grounds });
    }
  }

  const { issue, sign, invoice } = story.today;
  const changeOrderId = orderId(issue);
  const issued = await orders.issue(projectId, changeOrderId, DEMO_CONTEXT);
  state = issued.state;
  if (sign) {
    // The client opens the link, reads the document and signs with a typed name.
    const token = new URL(issued.signingUrl).pathname.split('/').pop()!;
    const link = { projectId, changeOrderId, token };
    await orders.recordView(link, DEMO_SIGNER_BROWSER);
    const { documentSha256 } = state.changeOrders.get(changeOrderId)!.issue!;
    const signature = { name: story.signer.name, consent: true, documentSha256 };
    state = (await orders.sign(link, signature, DEMO_SIGNER_BROWSER)).state;
  }
  if (invoice) await run({ type: 'RecordInvoice', now: new Date().toISOString(), changeOrderId, ...invoice });
  const signingLinks = sign ? [] : [{ changeOrder: issue, url: issued.signingUrl }];
  return { id: projectId, name: state.name, client: state.client.name, state, signingLinks };
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
    (links.length > 0 ? `\nAwaiting the client's signature (open with the server running):\n${links.join('\n')}\n` : '')
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
