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
  IsoDate,
  orderNumber,
  Person,
  ProjectCommand,
  ProjectState,
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

export interface DemoProject {
  id: string;
  name: string;
  client: string;
  state: ProjectState;
  /** Orders left awaiting signature, with the link the client signer would get. */
  signingLinks: { changeOrder: string; url: string }[];
}

export interface DemoOptions {
  /** The server's settings: the public URL of signing links, the MSP's name and the seal certificate. */
  config: ServerConfig;
  /** The day the story is told from (YYYY-MM-DD, default today): projects started weeks before it. */
  today?: IsoDate;
  /** Seed even though the store already holds projects. */
  force?: boolean;
}

/**
 * Seeds three client projects through the same domain commands the API runs, with a history
 * spread over the past weeks: baselines, requests from every channel, assessments that add,
 * change and remove scope or move milestones, a goodwill (no-charge) fix, a declined request
 * and draft change orders. Today some orders are issued (rendered, hashed and stored by the
 * server's ChangeOrderService, so their signing links work), one is signed and invoiced.
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
  const orders = new ChangeOrderService(
    platform.commands,
    new ProjectReads(platform),
    documents,
    platform,
    options.config,
    secret,
  );
  const story = (weeksAgo: number) => new DemoStory(platform.commands, orders, mondayWeeksBefore(today, weeksAgo));
  const projects = [
    await microsoft365Migration(story(6)),
    await networkRefresh(story(4)),
    await cloudMigration(story(3)),
  ];
  // Bring the read models up to date, so the portfolio shows the demo without a server running.
  await platform.processor.start();
  await platform.processor.waitFor(platform.commands.lastWrittenPosition!, 60_000);
  await platform.processor.stop();
  return projects;
}

async function microsoft365Migration(story: DemoStory): Promise<DemoProject> {
  const dana: Person = { name: 'Dana Whitfield', email: 'dana.whitfield@contoso-dental.example' };
  const signer: Person = { name: 'Priya Raman', email: 'priya.raman@contoso-dental.example' };
  await story.open(-5, {
    name: 'Microsoft 365 migration',
    client: { name: 'Contoso Dental Group', email: 'it@contoso-dental.example' },
    currency: 'USD',
    rates: { engineer: 15_000, technician: 9_550, architect: 19_500 },
  });
  await story.baseline(
    -3,
    [
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
    [
      { ref: 'M1', name: 'Pilot group migrated', workingDays: 8 },
      { ref: 'M2', name: 'All mailboxes migrated', workingDays: 18 },
      { ref: 'M3', name: 'Handover', workingDays: 25 },
    ],
  );
  const conditionalAccess = await story.request(
    3,
    'email',
    dana,
    'Add conditional access policies',
    'After a phishing attempt the practice wants sign-ins from unmanaged devices blocked ' +
      'before the rest of the staff move.',
  );
  await story.assess(
    4,
    conditionalAccess,
    [{ op: 'add', ref: 'SI-5', title: 'Conditional access baseline policies', role: 'architect', hours: 6 }],
    {
      schedule: [{ milestone: 'M2', workingDays: 2 }],
      notes: 'Policies must be in place before the main migration wave.',
    },
  );
  const sharedMailboxes = await story.request(
    5,
    'phone',
    dana,
    'Migrate the shared mailboxes too',
    'Reception, billing and 38 other shared mailboxes were left out of the original count.',
  );
  await story.assess(5, sharedMailboxes, [
    { op: 'modify', ref: 'SI-1', title: 'Migrate 120 mailboxes and 40 shared mailboxes', hours: 48.25 },
  ]);
  const co1 = await story.draft(6, [conditionalAccess, sharedMailboxes], signer);
  const printers = await story.request(
    7,
    'ticket',
    dana,
    'Printers fail after Intune enrolment',
    'Twelve front-desk PCs lost their label-printer drivers after enrolment.',
    'TCK-20418',
  );
  await story.assess(
    7,
    printers,
    [{ op: 'add', ref: 'SI-6', title: 'Printer driver clean-up on 12 PCs', role: 'technician', hours: 1.5 }],
    { noCharge: true, notes: 'Goodwill: our enrolment profile removed the drivers.' },
  );
  await story.draft(8, [printers], signer);
  const labelPrinter = await story.request(
    9,
    'meeting',
    dana,
    'Replace the reception label printer',
    'Raised in the weekly call: the reception label printer jams daily.',
  );
  await story.decline(
    9,
    labelPrinter,
    'warranty',
    "The printer is under the manufacturer's warranty; Contoso will claim a replacement from the vendor.",
  );
  const cloudBackup = await story.request(
    11,
    'portal',
    dana,
    'Drop the backup appliance',
    'Contoso signed up for cloud backup through their insurer and no longer needs the on-site appliance.',
  );
  await story.assess(12, cloudBackup, [{ op: 'remove', ref: 'SI-3' }]);
  await story.issueToday(co1);
  return story.project();
}

async function networkRefresh(story: DemoStory): Promise<DemoProject> {
  const jonas: Person = { name: 'Jonas Berger', email: 'jonas.berger@northwind-logistics.example' };
  const signer: Person = { name: 'Marieke de Vries', email: 'marieke.devries@northwind-logistics.example' };
  await story.open(-5, {
    name: 'Branch network refresh',
    client: { name: 'Northwind Logistics', email: 'it@northwind-logistics.example' },
    currency: 'EUR',
    rates: { network_engineer: 13_500, technician: 8_500, project_manager: 11_000 },
  });
  await story.baseline(
    -2,
    [
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
    [
      { ref: 'M1', name: 'Design approved', workingDays: 5 },
      { ref: 'M2', name: 'HQ cut-over', workingDays: 15 },
      { ref: 'M3', name: 'Branches live', workingDays: 25 },
    ],
  );
  const rotterdam = await story.request(
    2,
    'portal',
    jonas,
    'Add the new Rotterdam branch',
    'Northwind opens a fourth branch in Rotterdam next month and wants it on the new network from day one.',
  );
  await story.assess(
    3,
    rotterdam,
    [
      {
        op: 'add',
        ref: 'SI-6',
        title: 'Firewall and switch for the Rotterdam branch',
        role: 'network_engineer',
        hours: 6,
        fixedCost: 180_000,
      },
    ],
    { schedule: [{ milestone: 'M3', workingDays: 3 }] },
  );
  const survey = await story.request(
    4,
    'email',
    jonas,
    'We will supply our own Wi-Fi survey',
    'The landlord had a survey done in spring; Northwind will send it over.',
  );
  await story.assess(4, survey, [
    { op: 'modify', ref: 'SI-3', title: '24 access points (survey supplied by Northwind)', hours: 9 },
  ]);
  const officeMove = await story.request(
    6,
    'phone',
    jonas,
    'Move the HQ cut-over a week later',
    'The finance team moves floors that weekend; the cut-over has to wait a week.',
  );
  await story.assess(6, officeMove, [], {
    schedule: [{ milestone: 'M2', workingDays: 5 }],
    notes: 'Schedule only; no extra hours.',
  });
  const co1 = await story.draft(7, [rotterdam, officeMove], signer);
  const cctv = await story.request(
    8,
    'ticket',
    jonas,
    'VLAN for the new CCTV cameras',
    'Security is installing IP cameras at HQ and needs them on their own VLAN.',
    'NW-7731',
  );
  await story.assess(8, cctv, [
    { op: 'add', ref: 'SI-7', title: 'CCTV VLAN and switch-port configuration', role: 'network_engineer', hours: 3.5 },
  ]);
  await story.issueToday(co1);
  await story.signToday(co1, signer.name);
  // The hardware for Rotterdam is invoiced up front; the labour follows on completion.
  await story.invoiceToday(co1, 'NWL-2026-0412', 180_000);
  return story.project();
}

async function cloudMigration(story: DemoStory): Promise<DemoProject> {
  const oliver: Person = { name: 'Oliver Grant', email: 'oliver.grant@fabrikam-accounting.example' };
  const signer: Person = { name: 'Sarah Okafor', email: 'sarah.okafor@fabrikam-accounting.example' };
  await story.open(-5, {
    name: 'Azure cloud migration',
    client: { name: 'Fabrikam Accounting', email: 'it@fabrikam-accounting.example' },
    currency: 'GBP',
    rates: { cloud_architect: 17_500, engineer: 12_500, dba: 14_500 },
  });
  await story.baseline(
    -3,
    [
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
    [
      { ref: 'M1', name: 'Landing zone ready', workingDays: 5 },
      { ref: 'M2', name: 'Servers migrated', workingDays: 15 },
      { ref: 'M3', name: 'Cut-over and hypercare complete', workingDays: 22 },
    ],
  );
  const fileServer = await story.request(
    1,
    'meeting',
    oliver,
    'Include the document-management file server',
    'Raised at the kick-off: the legacy document-management server was missing from the inventory.',
  );
  await story.assess(
    2,
    fileServer,
    [{ op: 'add', ref: 'SI-6', title: 'Migrate the document-management file server', role: 'engineer', hours: 10 }],
    { schedule: [{ milestone: 'M2', workingDays: 2 }] },
  );
  const yearEnd = await story.request(
    3,
    'email',
    oliver,
    'Keep the old servers until after year-end',
    'The auditors want the old servers available until the year-end close is signed off.',
  );
  await story.assess(4, yearEnd, [{ op: 'remove', ref: 'SI-5' }], {
    notes: 'Fabrikam decommissions the servers themselves after the audit.',
  });
  const businessCritical = await story.request(
    5,
    'portal',
    oliver,
    'Business Critical tier for the SQL Managed Instance',
    'The practice-management vendor requires a failover group for production.',
  );
  await story.assess(5, businessCritical, [
    {
      op: 'modify',
      ref: 'SI-3',
      title: 'SQL Server to Azure SQL Managed Instance (Business Critical, failover group)',
      hours: 30,
    },
  ]);
  const co1 = await story.draft(6, [fileServer, businessCritical], signer);
  await story.draft(7, [yearEnd], signer);
  await story.request(
    8,
    'phone',
    oliver,
    'Azure Virtual Desktop for 20 remote staff',
    'Oliver called about giving the remote bookkeepers a desktop in Azure; needs a site visit before it can be priced.',
  );
  await story.issueToday(co1);
  return story.project();
}

/**
 * One project's history, told in working days from its start date. Each step runs one domain
 * command with a timestamp later than the one before, so the audit trail reads in order.
 * Issuing and signing happen today: the server's service stamps them with the clock.
 */
class DemoStory {
  readonly projectId = randomUUID();
  private readonly calendar = new WorkingCalendar();
  private readonly signingLinks = new Map<string, string>();
  private lastAt = 0;
  private state?: ProjectState;

  constructor(
    private readonly commands: ProjectCommands,
    private readonly orders: ChangeOrderService,
    private readonly startDate: IsoDate,
  ) {}

  async open(
    day: number,
    project: { name: string; client: Person; currency: string; rates: Record<string, number> },
  ): Promise<void> {
    await this.run(day, (now) => ({
      type: 'OpenProject',
      now,
      projectId: this.projectId,
      manager: MSP_PM,
      startDate: this.startDate,
      holidays: [],
      ...project,
    }));
  }

  async baseline(
    day: number,
    items: BaselineItemInput[],
    milestones: { ref: string; name: string; workingDays: number }[],
  ): Promise<void> {
    await this.run(day, (now) => ({
      type: 'EstablishBaseline',
      now,
      items,
      milestones: milestones.map(({ ref, name, workingDays }) => ({
        ref,
        name,
        due: this.calendar.addWorkingDays(this.startDate, workingDays),
      })),
    }));
  }

  async request(
    day: number,
    source: ChangeSource,
    requestedBy: Person,
    title: string,
    description: string,
    ticketRef?: string,
  ): Promise<string> {
    const changeRequestId = randomUUID();
    await this.run(day, (now) => ({
      type: 'LogChangeRequest',
      now,
      changeRequestId,
      title,
      description,
      source,
      requestedBy,
      // Logged some time after the client asked.
      receivedAt: new Date(Date.parse(now) - 95 * 60_000).toISOString(),
      ...(ticketRef ? { ticketRef } : {}),
    }));
    return changeRequestId;
  }

  async assess(
    day: number,
    changeRequestId: string,
    lines: AssessmentLineInput[],
    options: { schedule?: { milestone: string; workingDays: number }[]; notes?: string; noCharge?: boolean } = {},
  ): Promise<void> {
    await this.run(day, (now) => ({
      type: 'AssessChangeRequest',
      now,
      changeRequestId,
      lines,
      schedule: options.schedule ?? [],
      notes: options.notes,
      noCharge: options.noCharge ?? false,
    }));
  }

  async decline(day: number, changeRequestId: string, category: DeclineCategory, reason: string): Promise<void> {
    await this.run(day, (now) => ({ type: 'DeclineChangeRequest', now, changeRequestId, category, reason }));
  }

  async draft(day: number, changeRequestIds: string[], signer: Person): Promise<string> {
    const changeOrderId = randomUUID();
    await this.run(day, (now) => ({
      type: 'DraftChangeOrder',
      now,
      changeOrderId,
      changeRequestIds,
      signer,
      expiresInDays: DEFAULT_EXPIRY_DAYS,
      terms: DEFAULT_TERMS,
    }));
    return changeOrderId;
  }

  async issueToday(changeOrderId: string): Promise<void> {
    const issued = await this.orders.issue(this.projectId, changeOrderId, DEMO_CONTEXT);
    this.state = issued.state;
    this.signingLinks.set(changeOrderId, issued.signingUrl);
  }

  /** The client opens the link, reads the document and signs with a typed name. */
  async signToday(changeOrderId: string, name: string): Promise<void> {
    const token = new URL(this.signingLinks.get(changeOrderId)!).pathname.split('/').pop()!;
    const link = { projectId: this.projectId, changeOrderId, token };
    await this.orders.recordView(link, DEMO_SIGNER_BROWSER);
    const { documentSha256 } = this.state!.changeOrders.get(changeOrderId)!.issue!;
    const signed = await this.orders.sign(link, { name, consent: true, documentSha256 }, DEMO_SIGNER_BROWSER);
    this.state = signed.state;
    this.signingLinks.delete(changeOrderId);
  }

  async invoiceToday(changeOrderId: string, invoiceNumber: string, amount: number): Promise<void> {
    const outcome = await this.commands.execute(
      this.projectId,
      { type: 'RecordInvoice', now: new Date().toISOString(), changeOrderId, invoiceNumber, amount },
      DEMO_CONTEXT,
    );
    this.state = outcome.state;
  }

  project(): DemoProject {
    const state = this.state!;
    const signingLinks = [...this.signingLinks].map(([id, url]) => ({
      changeOrder: orderNumber(state.changeOrders.get(id)!),
      url,
    }));
    return { id: this.projectId, name: state.name, client: state.client.name, state, signingLinks };
  }

  private async run(day: number, build: (now: string) => ProjectCommand): Promise<void> {
    const outcome = await this.commands.execute(this.projectId, build(this.timestampOn(day)), DEMO_CONTEXT);
    this.state = outcome.state;
  }

  /** 09:10 on the first step of a day, then 40 minutes apart. */
  private timestampOn(day: number): string {
    const date = this.calendar.addWorkingDays(this.startDate, day);
    const startOfDay = Date.parse(`${date}T09:10:00Z`);
    this.lastAt = Math.max(startOfDay, this.lastAt + 40 * 60_000);
    return new Date(this.lastAt).toISOString();
  }
}

/** The Monday of the week `weeks` weeks before `today`. */
function mondayWeeksBefore(today: IsoDate, weeks: number): IsoDate {
  const day = addCalendarDays(today, -7 * weeks);
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addCalendarDays(day, -((weekday + 6) % 7));
}

export function formatDemo(projects: readonly DemoProject[]): string {
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
