import {
  addCalendarDays,
  baselineInvoiced,
  baselineInvoicesOf,
  BOARD_COLUMNS,
  CHANGE_SOURCES,
  ceremonyRefusal,
  clientDependenciesOf,
  currentCeremony,
  decide,
  DomainError,
  evolve,
  initialProjectState,
  ProjectCommand,
  ProjectEvent,
  ProjectState,
} from '@scope-ledger/domain';

/**
 * Project histories made by the domain itself: commands picked at random among those a
 * project's state allows, decided and folded one by one, so every kind of event appears
 * (signatures with the cards they admit, voids, expiries, declines, invoices, card moves, time, settings
 * changed, projects closed, archived and reopened).
 */

/** The events of one command. */
export interface HistoryStep {
  readonly projectId: string;
  readonly now: string;
  readonly events: readonly ProjectEvent[];
}

export interface HistoryOptions {
  readonly projects: number;
  /** Each project stops after its first command that reaches this many events. */
  readonly eventsPerProject: number;
  readonly seed?: number;
  /** Names users could type that are also the names of Object.prototype members. */
  readonly reservedNames?: boolean;
}

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

const RESERVED = ['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty'];

/** The projects' commands, interleaved as they would arrive at a server. */
export function* projectHistories(options: HistoryOptions): Generator<HistoryStep> {
  const random = seededRandom(options.seed ?? 7);
  const projects = Array.from(
    { length: options.projects },
    (_, i) => new ProjectSimulator(random, i, options.reservedNames ?? false),
  );
  while (projects.length > 0) {
    const index = Math.floor(random() * projects.length);
    const project = projects[index];
    yield project.step();
    if (project.eventCount >= options.eventsPerProject) projects.splice(index, 1);
  }
}

class ProjectSimulator {
  readonly projectId: string;
  state: ProjectState = initialProjectState;
  eventCount = 0;
  private clock: number;

  constructor(
    private readonly random: () => number,
    index: number,
    private readonly reserved: boolean,
  ) {
    this.projectId = this.id();
    this.clock = Date.parse('2026-01-05T08:00:00.000Z') + index * 3_600_000;
  }

  step(): HistoryStep {
    // Hours apart, but minutes while a signer has a code in their inbox, as when they type it in.
    const minutes = this.codeInInbox() ? 1 + this.random() * 2 : 20 + this.random() * 600;
    this.clock += Math.round(minutes * 60_000);
    const now = new Date(this.clock).toISOString();
    for (let attempt = 0; ; attempt++) {
      const command = attempt < 8 ? this.nextCommand(now) : this.fallback(now);
      try {
        const events = decide(command, this.state);
        if (events.length === 0) continue;
        for (const e of events) this.state = evolve(this.state, e);
        this.eventCount += events.length;
        return { projectId: this.projectId, now, events };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
    }
  }

  private codeInInbox(): boolean {
    return [...this.state.changeOrders.values()].some((order) => {
      const ceremony = order.status === 'issued' ? currentCeremony(order) : undefined;
      return ceremony?.code !== undefined && !ceremony.verifiedAt && Date.parse(ceremony.code.expiresAt) > this.clock;
    });
  }

  private id(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private get roles(): string[] {
    return this.reserved
      ? ['toString', 'constructor', '__proto__', 'engineer']
      : ['engineer', 'technician', 'architect'];
  }

  private nextCommand(now: string): ProjectCommand {
    const s = this.state;
    if (!s.exists) {
      return {
        type: 'OpenProject',
        now,
        projectId: this.projectId,
        name: this.reserved ? 'toString' : `Network refresh ${this.projectId.slice(0, 4)}`,
        client: {
          name: this.reserved ? '__proto__' : `Client ${this.projectId.slice(0, 6)}`,
          email: 'it@client.example',
        },
        manager: { name: 'Alex Morgan', email: 'alex.morgan@msp.example' },
        currency: 'USD',
        rates: Object.fromEntries(this.roles.map((role, i) => [role, 9_500 + i * 2_500])),
        startDate: now.slice(0, 10),
        holidays: ['2026-05-25', '2026-07-03'],
      };
    }
    if (!s.baseline.established) {
      const refs = this.reserved ? RESERVED : ['SI-1', 'SI-2', 'SI-3', 'SI-4', 'SI-5'];
      const start = Date.parse(s.startDate);
      return {
        type: 'EstablishBaseline',
        now,
        items: refs.map((ref, i) => ({
          ref,
          title: `Baseline item ${i + 1}`,
          role: this.pick(this.roles),
          hours: Math.round((2 + this.random() * 30) * 4) / 4,
          ...(this.random() < 0.2 ? { fixedCost: Math.round(this.random() * 2_000) * 100 } : {}),
        })),
        milestones: (this.reserved ? ['__proto__', 'constructor', 'M3'] : ['M1', 'M2', 'M3']).map((ref, i) => ({
          ref,
          name: `Milestone ${i + 1}`,
          due: new Date(start + (3 - i) * 21 * 86_400_000).toISOString().slice(0, 10),
        })),
      };
    }
    const requests = [...s.changeRequests.values()];
    const orders = [...s.changeOrders.values()];
    const logged = requests.filter((r) => r.status === 'logged');
    const assessed = requests.filter((r) => r.status === 'assessed');
    const drafts = orders.filter((o) => o.status === 'draft');
    const issued = orders.filter((o) => o.status === 'issued');
    // The signer's steps go to the orders where they can happen, so that signatures stay common.
    const served = issued.filter((o) => currentCeremony(o)?.servedAt && !currentCeremony(o)?.consent);
    const readyToSign = issued.filter((o) => !ceremonyRefusal(o));
    const askingForCode = issued.filter((o) => o.signerVerification === 'email_code' && currentCeremony(o)?.consent);
    const codeWaiting = askingForCode.filter((o) => currentCeremony(o)?.code && !currentCeremony(o)?.verifiedAt);
    const overdue = issued.filter((o) => Date.parse(o.issue!.expiresAt) <= Date.parse(now));
    // Orders that bill take invoices, credit orders credit notes (negative); either may be voided later.
    const invoiceable = orders.filter((o) => o.status === 'signed' && o.amount - o.invoiced !== 0);
    const withLiveInvoices = orders.filter((o) => o.invoices.some((i) => !i.voided));
    const liveBaselineInvoices = baselineInvoicesOf(s).filter((i) => !i.voided);
    const baselineUninvoiced = s.baseline.total - baselineInvoiced(s);
    const cards = [...s.cards.values()].filter((c) => !c.cancelled);
    const open = s.status === 'open';
    const waitingOn = clientDependenciesOf(s).filter((d) => !d.resolved);
    const lateUnclaimed = clientDependenciesOf(s).filter(
      (d) => d.resolved && d.resolved.on > d.due && !d.changeRequestId,
    );
    const choices: [number, () => ProjectCommand][] = [
      [open ? 3 : 0, () => this.logRequest(now)],
      [0.7, () => this.changeSetting(now)],
      [open ? 0.1 : 0, () => ({ type: 'CloseProject', now })],
      [open ? 0 : 3, () => ({ type: 'ReopenProject', now })],
      [s.status === 'closed' ? 3 : 0, () => ({ type: 'ArchiveProject', now })],
      [logged.length > 0 ? 3 : 0, () => this.assess(now, this.pick(logged).id)],
      [
        logged.length > 0 ? 0.5 : 0,
        () => ({
          type: 'DeclineChangeRequest',
          now,
          changeRequestId: this.pick(logged).id,
          reason: 'Covered by the support contract',
          category: 'warranty',
        }),
      ],
      [
        logged.length + assessed.length > 0 ? 0.3 : 0,
        () => ({
          type: 'AmendChangeRequest',
          now,
          changeRequestId: this.pick([...logged, ...assessed]).id,
          title: `Client request, corrected at ${now.slice(11, 16)}`,
        }),
      ],
      [
        assessed.length > 0 ? 2 : 0,
        () => ({
          type: 'DraftChangeOrder',
          now,
          changeOrderId: this.id(),
          changeRequestIds: assessed.slice(0, 1 + Math.floor(this.random() * 2)).map((r) => r.id),
          signer: { name: 'Priya Raman', email: 'priya@client.example' },
          expiresInDays: 1 + Math.floor(this.random() * 5),
          terms: 'Work starts within five working days of signature.',
          // One order in two asks the signer for an emailed code.
          signerVerification: this.random() < 0.5 ? 'email_code' : 'none',
        }),
      ],
      [
        drafts.length > 0 ? 3 : 0,
        () => ({
          type: 'IssueChangeOrder',
          now,
          changeOrderId: this.pick(drafts).id,
          documentSha256: this.id().replace(/-/g, '').repeat(2),
          signingTokenSha256: this.id().replace(/-/g, '').repeat(2),
          signingTokenNonce: this.id(),
        }),
      ],
      [issued.length > 0 ? 1 : 0, () => ({ type: 'RecordChangeOrderView', now, changeOrderId: this.pick(issued).id })],
      // The signer consents after opening the link; signatures without both are refused.
      [
        served.length > 0 ? 4 : 0,
        () => ({
          type: 'RecordSignerConsent',
          now,
          changeOrderId: this.pick(served).id,
          disclosureVersion: 'esign-consent-2026-01',
          disclosureSha256: 'c'.repeat(64),
          ip: '203.0.113.57',
          userAgent: 'Mozilla/5.0',
        }),
      ],
      [
        issued.length > 0 ? 1 : 0,
        () => ({
          type: 'RecordDocumentDownload',
          now,
          changeOrderId: this.pick(issued).id,
          copy: 'issued',
          ip: '203.0.113.57',
          userAgent: 'Mozilla/5.0',
        }),
      ],
      [
        served.length > 0 ? 1 : 0,
        () => ({
          type: 'WithdrawSignerConsent',
          now,
          changeOrderId: this.pick(served).id,
          ip: '203.0.113.57',
          userAgent: 'Mozilla/5.0',
        }),
      ],
      [
        askingForCode.length > 0 ? 8 : 0,
        () => ({
          type: 'SendSigningCode',
          now,
          changeOrderId: this.pick(askingForCode).id,
          codeSalt: 'salt',
          codeSha256: 'd'.repeat(64),
        }),
      ],
      [
        codeWaiting.length > 0 ? 10 : 0,
        () => ({
          type: 'VerifySigningCode',
          now,
          changeOrderId: this.pick(codeWaiting).id,
          // The right code, or as often a mistyped one.
          codeSha256: this.random() < 0.5 ? 'd'.repeat(64) : 'e'.repeat(64),
          ip: '203.0.113.57',
        }),
      ],
      // Rarely: a revision starts the signing over on a new link.
      [
        issued.length > 0 ? 0.3 : 0,
        () => ({
          type: 'ReviseChangeOrder',
          now,
          changeOrderId: this.pick(issued).id,
          documentSha256: this.id().replace(/-/g, '').repeat(2),
          signingTokenSha256: this.id().replace(/-/g, '').repeat(2),
          signingTokenNonce: this.id(),
        }),
      ],
      [
        readyToSign.length > 0 ? 6 : issued.length > 0 ? 1 : 0,
        () => {
          const order = this.pick(readyToSign.length > 0 ? readyToSign : issued);
          return {
            type: 'SignChangeOrder',
            now,
            changeOrderId: order.id,
            name: order.signer.name,
            consent: true,
            documentSha256: order.issue!.documentSha256,
            signature: 'typed',
            signedDocumentSha256: 'a'.repeat(64),
            consentVersion: 'esign-consent-2026-01',
            ip: '203.0.113.57',
            userAgent: 'Mozilla/5.0',
          };
        },
      ],
      [
        issued.length > 0 ? 0.5 : 0,
        () => ({
          type: 'DeclineChangeOrder',
          now,
          changeOrderId: this.pick(issued).id,
          reason: 'Not in this quarter’s budget',
          ip: '203.0.113.57',
          userAgent: 'Mozilla/5.0',
        }),
      ],
      [
        drafts.length + issued.length > 0 ? 0.4 : 0,
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
        withLiveInvoices.length > 0 ? 0.3 : 0,
        () => {
          const order = this.pick(withLiveInvoices);
          const invoice = this.pick(order.invoices.filter((i) => !i.voided));
          const reason = 'Sent to the wrong entity';
          return { type: 'VoidInvoice', now, changeOrderId: order.id, invoiceNumber: invoice.invoiceNumber, reason };
        },
      ],
      // Finance bills the baseline milestone by milestone, and voids a baseline invoice now and then.
      [
        s.baseline.established && baselineUninvoiced > 0 ? 0.5 : 0,
        () => ({
          type: 'RecordBaselineInvoice',
          now,
          invoiceNumber: `INV-B-${(s.baselineInvoices ?? []).length + 1}`,
          amount: Math.min(baselineUninvoiced, Math.ceil(s.baseline.total / 3)),
          milestone: this.pick([...s.milestones.keys()]),
        }),
      ],
      [
        liveBaselineInvoices.length > 0 ? 0.2 : 0,
        () => ({
          type: 'VoidBaselineInvoice',
          now,
          invoiceNumber: this.pick(liveBaselineInvoices).invoiceNumber,
          reason: 'Billed to the wrong entity',
        }),
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
        cards.length > 0 ? 0.5 : 0,
        () => ({
          type: 'AssignBoardCard',
          now,
          cardId: this.pick(cards).id,
          personId: this.random() < 0.8 ? `P-${1 + Math.floor(this.random() * 3)}` : null,
        }),
      ],
      // The project waits on its client now and then; some answers come late, and the PM claims the days lost.
      [
        open && s.baseline.established ? 0.3 : 0,
        () => ({
          type: 'LogClientDependency',
          now,
          dependencyId: this.id(),
          what: 'Admin access to the client tenant',
          milestone: this.pick([...s.milestones.keys()]),
          since: addCalendarDays(now.slice(0, 10), -3),
          due: addCalendarDays(now.slice(0, 10), -1),
        }),
      ],
      [
        waitingOn.length > 0 ? 0.3 : 0,
        () => ({ type: 'ResolveClientDependency', now, dependencyId: this.pick(waitingOn).id }),
      ],
      [
        open && lateUnclaimed.length > 0 ? 0.3 : 0,
        () => ({
          type: 'RequestDelayChange',
          now,
          dependencyId: this.pick(lateUnclaimed).id,
          changeRequestId: this.id(),
        }),
      ],
      [
        0.2,
        () => ({
          type: 'SetWipLimits',
          now,
          limits: this.random() < 0.5 ? { in_progress: 3 + Math.floor(this.random() * 5) } : { in_progress: null },
        }),
      ],
      [
        cards.length > 0 ? 1.5 : 0,
        () => ({
          type: 'LogTime',
          now,
          cardId: this.pick(cards).id,
          hours: Math.round((0.5 + this.random() * 12) * 4) / 4,
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
    return this.logRequest(now);
  }

  /** A command that always decides: a new request, or reopening a project that takes none. */
  private fallback(now: string): ProjectCommand {
    return this.state.status === 'open' ? this.logRequest(now) : { type: 'ReopenProject', now };
  }

  /** One setting changed: rarely, as PMs do. */
  private changeSetting(now: string): ProjectCommand {
    const s = this.state;
    const settings: (() => ProjectCommand)[] = [
      () => ({ type: 'UpdateProjectSettings', now, name: this.renamed(s.name) }),
      () => ({
        type: 'UpdateProjectSettings',
        now,
        manager: s.manager ? null : { name: 'Alex Morgan', email: 'alex.morgan@msp.example' },
      }),
      () => ({
        type: 'UpdateProjectSettings',
        now,
        financeContact: s.financeContact ? null : { name: 'Lee Park', email: 'ap@client.example' },
      }),
      () => ({ type: 'UpdateProjectSettings', now, holidays: [...s.holidays, now.slice(0, 10)] }),
      () => ({
        type: 'UpdateProjectSettings',
        now,
        rates: Object.fromEntries([...s.rates].map(([role, rate]) => [role, rate + 500])),
      }),
      () => ({ type: 'UpdateProjectSettings', now, defaultExpiryDays: 1 + Math.floor(this.random() * 30) }),
      () => ({ type: 'UpdateProjectSettings', now, timeZone: s.timeZone ? null : 'Europe/Dublin' }),
    ];
    return this.pick(settings)();
  }

  /** Projects named like Object.prototype members go from one such name to another. */
  private renamed(name: string): string {
    if (this.reserved) return name === 'toString' ? 'constructor' : 'toString';
    return name.endsWith(' (renamed)') ? name.slice(0, -' (renamed)'.length) : `${name} (renamed)`;
  }

  private logRequest(now: string): ProjectCommand {
    return {
      type: 'LogChangeRequest',
      now,
      changeRequestId: this.id(),
      title: this.reserved ? this.pick(RESERVED) : 'Add a shared mailbox',
      description: 'Asked for during the weekly call.',
      source: this.pick(CHANGE_SOURCES),
      requestedBy: { name: 'Dana Whitfield', email: 'dana@client.example' },
      receivedAt: new Date(Date.parse(now) - 30 * 60_000).toISOString(),
      ...(this.random() < 0.4 ? { ticketRef: this.reserved ? '__proto__' : 'TCK-1042' } : {}),
    };
  }

  private assess(now: string, changeRequestId: string): ProjectCommand {
    const s = this.state;
    const number = s.changeRequests.get(changeRequestId)!.number;
    const live = [...s.scope.values()].filter((item) => !item.removed).map((item) => item.ref);
    const lines = Array.from({ length: 1 + Math.floor(this.random() * 2) }, (_, i) => {
      const roll = this.random();
      if (roll < 0.1 && live.length > 3) return { op: 'remove' as const, ref: this.pick(live) };
      if (roll < 0.4 && live.length > 0)
        return { op: 'modify' as const, ref: this.pick(live), hours: Math.round((1 + this.random() * 30) * 4) / 4 };
      return {
        op: 'add' as const,
        ref: `CR${number}-${i + 1}`,
        title: `Part ${i + 1} of CR-${number}`,
        role: this.pick(this.roles),
        hours: Math.round((0.5 + this.random() * 12) * 4) / 4,
      };
    });
    const milestones = [...s.milestones.keys()];
    return {
      type: 'AssessChangeRequest',
      now,
      changeRequestId,
      lines: lines.filter((line, i) => lines.findIndex((l) => l.ref === line.ref) === i),
      schedule:
        this.random() < 0.4
          ? [{ milestone: this.pick(milestones), workingDays: 1 + Math.floor(this.random() * 3) }]
          : [],
      ...(this.random() < 0.5 ? { notes: 'Priced at the contract rates.' } : {}),
      noCharge: this.random() < 0.1,
    };
  }
}
