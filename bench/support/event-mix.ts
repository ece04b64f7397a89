import { randomBytes, randomUUID } from 'node:crypto';
import {
  BOARD_COLUMNS,
  CHANGE_SOURCES,
  ceremonyRefusal,
  currentCeremony,
  decide,
  DomainError,
  foldEvents,
  initialProjectState,
  ProjectCommand,
  projectStreamId,
  ProjectState,
  SCHEMA_VERSIONS,
} from '@scope-ledger/domain';
import { chainEvents, EventMetadata, GENESIS_HASH, NewEvent, newEventId } from '@scope-ledger/event-store';

/**
 * Realistic project streams, made quickly: every event comes out of the domain's own
 * decide() and foldEvents() and is hash-chained as the server chains it, so the read models,
 * the command path and the audit trail see exactly what production writes. Commands are
 * picked at random among those the project's state allows, with the weights of an MSP's
 * week: many small requests, most assessed, bundled into orders that get issued and signed.
 */

/** One append as the server would make it: the events of one command. */
export interface AppendUnit {
  readonly streamId: string;
  /** Revision of the first event. */
  readonly firstRevision: number;
  readonly events: NewEvent[];
}

const ROLES = { engineer: 15_000, technician: 9_550, architect: 19_500, project_manager: 12_000 };
const ROLE_NAMES = Object.keys(ROLES);
const REQUEST_TITLES = [
  'Add a shared mailbox for accounts payable',
  'Migrate the legacy file share in the branch office',
  'Set up conditional access for contractors',
  'Extra Intune enrolment for 15 tablets',
  'Replace the switch in the warehouse',
  'Configure MFA for the finance team',
  'Add a second site-to-site VPN tunnel',
  'Clean up printer drivers on the terminal servers',
  'Onboard the new dental practice in Springfield',
  'Extend backup retention to 90 days',
  'Move the accounting package to Azure',
  'Add SharePoint sites for the HR department',
];
const PEOPLE = [
  { name: 'Dana Whitfield', email: 'dana.whitfield@contoso-dental.example' },
  { name: 'Luis Ortega', email: 'luis.ortega@contoso-dental.example' },
  { name: 'Mei Chen', email: 'mei.chen@fabrikam.example' },
];
const STAFF = { kind: 'staff' as const, id: 'b4c1b2f0-9a7e-4d2c-8f31-5e6a7b8c9d01', name: 'Alex Morgan' };
const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

/** Deterministic pseudo-random numbers (mulberry32), so a seed gives the same mix. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plays one project forward, one command at a time. */
export class ProjectSimulator {
  readonly streamId: string;
  state: ProjectState = initialProjectState;
  revision = -1;
  private headHash = GENESIS_HASH;
  private clock: number;

  constructor(
    readonly projectId: string,
    private readonly random: () => number,
    startMs = Date.parse('2026-01-05T08:00:00.000Z'),
  ) {
    this.streamId = projectStreamId(projectId);
    this.clock = startMs;
  }

  /** Runs the next command and returns its events, chained and ready to append. */
  step(): AppendUnit {
    this.clock += Math.round((20 + this.random() * 180) * 60_000);
    const now = new Date(this.clock).toISOString();
    for (let attempt = 0; attempt < 8; attempt++) {
      const command = this.nextCommand(now, attempt >= 6);
      try {
        const events = decide(command, this.state);
        if (events.length === 0) continue;
        return this.record(command, events);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
    }
    return this.record(...this.logRequest(now));
  }

  /** Runs a command of the caller's choosing (not the mix's) and returns its events, chained and ready to append. */
  run(command: ProjectCommand): AppendUnit {
    return this.record(command, decide(command, this.state));
  }

  private logRequest(now: string): [ProjectCommand, ReturnType<typeof decide>] {
    const command = this.logRequestCommand(now);
    return [command, decide(command, this.state)];
  }

  private record(command: ProjectCommand, events: ReturnType<typeof decide>): AppendUnit {
    const signer =
      command.type === 'SignChangeOrder' ||
      command.type === 'DeclineChangeOrder' ||
      command.type === 'RecordChangeOrderView' ||
      command.type === 'RecordSignerConsent';
    const correlationId = randomUUID();
    const metadata: EventMetadata = {
      actor: signer ? { kind: 'signer', id: `signing-link:${randomBytes(8).toString('hex')}` } : STAFF,
      occurredAt: command.now,
      correlationId,
      causationId: correlationId,
      ...(signer ? { ip: '203.0.113.57', userAgent: USER_AGENT } : {}),
    };
    const firstRevision = this.revision + 1;
    const chained = chainEvents(
      this.streamId,
      this.headHash,
      BigInt(firstRevision),
      events.map((e): NewEvent => ({
        id: newEventId(),
        type: e.type,
        schemaVersion: SCHEMA_VERSIONS[e.type],
        data: e.data as unknown as Record<string, unknown>,
        metadata,
      })),
    );
    this.state = foldEvents(events, this.state);
    this.revision += events.length;
    this.headHash = chained[chained.length - 1].metadata.hash!;
    return { streamId: this.streamId, firstRevision, events: chained };
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private nextCommand(now: string, fallback: boolean): ProjectCommand {
    const s = this.state;
    if (!s.exists) {
      return {
        type: 'OpenProject',
        now,
        projectId: this.projectId,
        name:
          `${this.pick(['Microsoft 365 migration', 'Network refresh', 'Azure landing zone', 'Endpoint roll-out'])}` +
          ` ${this.projectId.slice(0, 4)}`,
        client: { name: `Client ${this.projectId.slice(0, 6)}`, email: `it@${this.projectId.slice(0, 6)}.example` },
        manager: { name: 'Alex Morgan', email: 'alex.morgan@northwind-it.example' },
        currency: 'USD',
        rates: ROLES,
        startDate: now.slice(0, 10),
        holidays: ['2026-05-25', '2026-07-03', '2026-09-07'],
      };
    }
    if (!s.baseline.established) {
      const items = Array.from({ length: 6 + Math.floor(this.random() * 7) }, (_, i) => ({
        ref: `SI-${i + 1}`,
        title:
          `${this.pick(['Migrate', 'Configure', 'Install', 'Document', 'Test'])} ` +
          `${this.pick(['mailboxes', 'firewall rules', 'backup appliance', 'Intune policies', 'VPN', 'switches'])}` +
          ` (${i + 1})`,
        role: this.pick(ROLE_NAMES),
        hours: Math.round((2 + this.random() * 38) * 4) / 4,
        ...(this.random() < 0.2 ? { fixedCost: Math.round(this.random() * 2_000) * 100 } : {}),
      }));
      const start = Date.parse(s.startDate);
      const milestones = Array.from({ length: 3 + Math.floor(this.random() * 3) }, (_, i) => ({
        ref: `M${i + 1}`,
        name: `Milestone ${i + 1}`,
        due: new Date(start + (i + 1) * 21 * 86_400_000).toISOString().slice(0, 10),
      }));
      return { type: 'EstablishBaseline', now, items, milestones };
    }
    if (fallback) return this.logRequestCommand(now);

    const requests = [...s.changeRequests.values()];
    const orders = [...s.changeOrders.values()];
    const logged = requests.filter((r) => r.status === 'logged');
    const assessed = requests.filter((r) => r.status === 'assessed');
    const drafts = orders.filter((o) => o.status === 'draft');
    const issued = orders.filter((o) => o.status === 'issued');
    // The signer opens the link, consents, then signs: a signature without the first two is refused.
    const served = issued.filter((o) => currentCeremony(o)?.servedAt && !currentCeremony(o)?.consent);
    const readyToSign = issued.filter((o) => !ceremonyRefusal(o));
    const overdue = issued.filter((o) => Date.parse(o.issue!.expiresAt) <= Date.parse(now));
    const invoiceable = orders.filter((o) => o.status === 'signed' && o.amount - o.invoiced > 0);
    const cards = [...s.cards.values()].filter((c) => !c.cancelled);

    const choices: [number, () => ProjectCommand][] = [
      [3, () => this.logRequestCommand(now)],
      [logged.length > 0 ? 3 : 0, () => this.assessCommand(now, this.pick(logged).id)],
      [
        logged.length > 0 ? 0.4 : 0,
        () => ({
          type: 'DeclineChangeRequest',
          now,
          changeRequestId: this.pick(logged).id,
          reason: 'Covered by the support contract',
          category: 'warranty',
        }),
      ],
      [
        assessed.length > 0 ? 2 : 0,
        () => ({
          type: 'DraftChangeOrder',
          now,
          changeOrderId: randomUUID(),
          changeRequestIds: assessed.slice(0, 1 + Math.floor(this.random() * 3)).map((r) => r.id),
          signer: PEOPLE[0],
          expiresInDays: 14,
          terms: 'Work starts within five working days of signature.',
        }),
      ],
      [
        drafts.length > 0 ? 3 : 0,
        () => ({
          type: 'IssueChangeOrder',
          now,
          changeOrderId: this.pick(drafts).id,
          documentSha256: randomBytes(32).toString('hex'),
          signingTokenSha256: randomBytes(32).toString('hex'),
          signingTokenNonce: randomBytes(16).toString('base64url'),
        }),
      ],
      [issued.length > 0 ? 1 : 0, () => ({ type: 'RecordChangeOrderView', now, changeOrderId: this.pick(issued).id })],
      [
        served.length > 0 ? 3 : 0,
        () => ({
          type: 'RecordSignerConsent',
          now,
          changeOrderId: this.pick(served).id,
          disclosureVersion: 'esign-consent-2026-12b',
          disclosureSha256: 'c'.repeat(64),
          ip: '203.0.113.57',
          userAgent: USER_AGENT,
        }),
      ],
      [
        readyToSign.length > 0 ? 3 : 0,
        () => {
          const order = this.pick(readyToSign);
          return {
            type: 'SignChangeOrder',
            now,
            changeOrderId: order.id,
            name: order.signer.name,
            consent: true,
            documentSha256: order.issue!.documentSha256,
            signature: 'typed',
            signedDocumentSha256: randomBytes(32).toString('hex'),
            consentVersion: 'esign-consent-2026-12b',
            ip: '203.0.113.57',
            userAgent: USER_AGENT,
            streamHeadHash: this.headHash,
          };
        },
      ],
      [
        issued.length > 0 ? 0.3 : 0,
        () => ({
          type: 'DeclineChangeOrder',
          now,
          changeOrderId: this.pick(issued).id,
          reason: 'Not in this quarter’s budget',
          ip: '203.0.113.57',
          userAgent: USER_AGENT,
        }),
      ],
      [
        drafts.length + issued.length > 0 ? 0.2 : 0,
        () => ({
          type: 'VoidChangeOrder',
          now,
          changeOrderId: this.pick([...drafts, ...issued]).id,
          reason: 'Revised after the client call',
        }),
      ],
      [overdue.length > 0 ? 10 : 0, () => ({ type: 'ExpireChangeOrder', now, changeOrderId: overdue[0].id })],
      [
        invoiceable.length > 0 ? 1 : 0,
        () => {
          const order = this.pick(invoiceable);
          return {
            type: 'RecordInvoice',
            now,
            changeOrderId: order.id,
            invoiceNumber: `INV-${order.number}-${order.invoices.length + 1}`,
            amount: order.amount - order.invoiced,
          };
        },
      ],
      [
        cards.length > 0 ? 2 : 0,
        () => {
          const card = this.pick(cards);
          const next = BOARD_COLUMNS[Math.min(BOARD_COLUMNS.indexOf(card.column) + 1, BOARD_COLUMNS.length - 1)];
          return { type: 'MoveCard', now, cardId: card.id, to: next };
        },
      ],
      [
        0.05,
        () => ({
          type: 'SetWipLimits',
          now,
          limits:
            this.random() < 0.5 ? { in_progress: 3 + Math.floor(this.random() * 5), review: 4 } : { in_progress: null },
        }),
      ],
      [
        cards.length > 0 ? 1 : 0,
        () => ({
          type: 'LogTime',
          now,
          cardId: this.pick(cards).id,
          hours: Math.round((0.5 + this.random() * 6) * 4) / 4,
          date: now.slice(0, 10),
          note: 'On site',
        }),
      ],
    ];
    const total = choices.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.random() * total;
    for (const [weight, make] of choices) {
      roll -= weight;
      if (weight > 0 && roll <= 0) return make();
    }
    return this.logRequestCommand(now);
  }

  private logRequestCommand(now: string): ProjectCommand {
    const title = this.pick(REQUEST_TITLES);
    return {
      type: 'LogChangeRequest',
      now,
      changeRequestId: randomUUID(),
      title,
      description: `${title}. Asked for during the weekly call; the client wants it before the next milestone.`,
      source: this.pick(CHANGE_SOURCES),
      requestedBy: this.pick(PEOPLE),
      receivedAt: new Date(Date.parse(now) - 30 * 60_000).toISOString(),
      ...(this.random() < 0.4 ? { ticketRef: `TCK-${Math.floor(this.random() * 90_000) + 10_000}` } : {}),
    };
  }

  private assessCommand(now: string, changeRequestId: string): ProjectCommand {
    const s = this.state;
    const number = s.changeRequests.get(changeRequestId)!.number;
    const live = [...s.scope.values()].filter((item) => !item.removed).map((item) => item.ref);
    const lines = Array.from({ length: 1 + Math.floor(this.random() * 2) }, (_, i) => {
      const roll = this.random();
      if (roll < 0.05 && live.length > 3) return { op: 'remove' as const, ref: this.pick(live) };
      if (roll < 0.3 && live.length > 0) {
        return { op: 'modify' as const, ref: this.pick(live), hours: Math.round((1 + this.random() * 30) * 4) / 4 };
      }
      return {
        op: 'add' as const,
        ref: `CR${number}-${i + 1}`,
        title: `${this.pick(REQUEST_TITLES)} (part ${i + 1})`,
        role: this.pick(ROLE_NAMES),
        hours: Math.round((0.5 + this.random() * 12) * 4) / 4,
      };
    });
    const unique = lines.filter((line, i) => lines.findIndex((l) => l.ref === line.ref) === i);
    const milestones = [...s.milestones.values()];
    return {
      type: 'AssessChangeRequest',
      now,
      changeRequestId,
      lines: unique,
      schedule:
        this.random() < 0.3 && milestones.length > 0
          ? [{ milestone: this.pick(milestones).ref, workingDays: 1 + Math.floor(this.random() * 3) }]
          : [],
      ...(this.random() < 0.5 ? { notes: 'Priced at the contract rates; no new hardware.' } : {}),
      noCharge: this.random() < 0.1,
    };
  }
}

export interface MixOptions {
  readonly totalEvents: number;
  /** Projects running at the same time: their events interleave in the log as in production. */
  readonly activeProjects: number;
  /** Each project's length: exactly this many events, or a random length in [min, max]. */
  readonly eventsPerProject: number | readonly [number, number];
  readonly seed?: number;
}

/** Appends of many projects, interleaved, until totalEvents events have been produced. */
export function* interleavedHistories(options: MixOptions): Generator<AppendUnit> {
  const random = seededRandom(options.seed ?? 7);
  const lengthOf = () =>
    typeof options.eventsPerProject === 'number'
      ? options.eventsPerProject
      : options.eventsPerProject[0] +
        Math.floor(random() * (options.eventsPerProject[1] - options.eventsPerProject[0] + 1));
  let produced = 0;
  let started = 0;
  let planned = 0;
  const active: { sim: ProjectSimulator; target: number }[] = [];
  const startProject = () => {
    started += 1;
    const target = Math.min(lengthOf(), options.totalEvents - planned);
    planned += target;
    active.push({
      sim: new ProjectSimulator(randomUUID(), random, Date.parse('2026-01-05T08:00:00.000Z') + started * 3_600_000),
      target,
    });
  };
  // Projects are started until their planned lengths add up to the total, so every project
  // reaches its length (a fixed length gives exactly totalEvents / length projects).
  while (produced < options.totalEvents) {
    while (active.length < options.activeProjects && planned < options.totalEvents) startProject();
    const index = Math.floor(random() * active.length);
    const project = active[index];
    let unit = project.sim.step();
    const room = project.target - unit.firstRevision;
    if (unit.events.length >= room) {
      unit = { ...unit, events: unit.events.slice(0, room) };
      active.splice(index, 1);
    }
    produced += unit.events.length;
    if (unit.events.length > 0) yield unit;
  }
}

/** One project's whole history, in appends. */
export function* projectHistory(projectId: string, events: number, seed = 11): Generator<AppendUnit> {
  const sim = new ProjectSimulator(projectId, seededRandom(seed));
  let produced = 0;
  while (produced < events) {
    let unit = sim.step();
    if (produced + unit.events.length > events) unit = { ...unit, events: unit.events.slice(0, events - produced) };
    produced += unit.events.length;
    yield unit;
  }
}
