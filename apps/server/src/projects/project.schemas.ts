import { BOARD_COLUMNS } from '@scope-ledger/domain';
import {
  any,
  boolean,
  commandAnswer,
  date,
  dateTime,
  id,
  integer,
  list,
  mapOf,
  minor,
  named,
  nullable,
  number,
  object,
  oneOf,
  text,
} from '../http/answers';

/** The answers of the project routes, as the views in @scope-ledger/projections shape them. */

const asOf = nullable({ ...dateTime, description: 'the moment asked for with ?asOf=, or null for now' });

export const Person = named('Person', object({ name: text, email: { type: 'string', format: 'email' } }));

const countByStatus = object({ count: integer, byStatus: mapOf(integer) });
const margin = object({ oneOff: minor, monthly: minor });

export const ProjectSummary = named(
  'ProjectSummary',
  object({
    id,
    name: text,
    status: oneOf('open', 'closed', 'archived'),
    client: Person,
    financeContact: nullable(Person),
    manager: nullable(Person),
    currency: text,
    rates: mapOf(minor),
    startDate: date,
    holidays: list(date),
    defaultExpiryDays: nullable(integer),
    timeZone: nullable(text),
    baselineEstablished: boolean,
    baseline: object({ total: minor, hours: number, end: nullable(date) }),
    current: object({ total: minor, hours: number, cost: minor, end: nullable(date) }),
    pending: object({ exposure: minor, credits: minor, orders: integer }),
    totals: object({
      approvedChanges: minor,
      absorbed: minor,
      awaitingOrder: minor,
      onDraftOrders: object({ amount: minor, count: integer }),
      invoiced: minor,
      uninvoiced: minor,
    }),
    monthly: object({ baseline: minor, approved: minor, current: minor, pending: minor, margin }),
    forecastEnd: nullable(date),
    slipWorkingDays: integer,
    changeRequests: countByStatus,
    changeOrders: countByStatus,
    lastEventAt: nullable(dateTime),
  }),
);

export const ProjectSummaryAsOf = named('ProjectSummaryAsOf', { allOf: [ProjectSummary, object({ asOf })] });

export const ProjectListItem = named(
  'ProjectListItem',
  object({ id, name: text, client: text, currency: text, status: oneOf('open', 'closed', 'archived') }),
);

const dueBy = nullable({
  type: 'string',
  description: "the ref of the milestone the work is due by; null: the project's last milestone",
});

const scopeState = oneOf('baseline', 'added', 'modified', 'removed', 'pending');
export const Scope = named(
  'Scope',
  object({
    projectId: id,
    currency: text,
    items: list(
      object(
        {
          ref: text,
          title: text,
          role: text,
          hours: number,
          fixedCost: minor,
          rate: minor,
          cost: minor,
          state: scopeState,
          milestone: dueBy,
          baseline: object({ title: text, role: text, hours: number, fixedCost: minor, cost: minor, milestone: dueBy }),
          changedBy: list(text),
          pending: object({
            changeOrder: text,
            op: oneOf('add', 'modify', 'remove'),
            hours: number,
            cost: minor,
            costDelta: minor,
          }),
        },
        ['baseline', 'pending'],
      ),
    ),
    totals: object({
      baselineHours: number,
      currentHours: number,
      baselineCost: minor,
      currentCost: minor,
      pendingCostDelta: minor,
    }),
    asOf,
  }),
);

export const Budget = named(
  'Budget',
  object({
    projectId: id,
    currency: text,
    baseline: minor,
    approvedChanges: minor,
    current: minor,
    variance: minor,
    pendingExposure: minor,
    pendingCredits: minor,
    absorbed: minor,
    currentCost: minor,
    awaitingOrder: minor,
    onDraftOrders: object({ amount: minor, count: integer }),
    invoiced: minor,
    monthly: object({ baseline: minor, approved: minor, current: minor, pending: minor, margin }),
    signedOrders: list(object({ changeOrder: text, amount: minor, absorbed: minor, signedAt: dateTime })),
    pendingOrders: list(object({ changeOrder: text, amount: minor, issuedAt: dateTime, expiresAt: dateTime })),
    asOf,
  }),
);

export const Timeline = named(
  'Timeline',
  object({
    projectId: id,
    startDate: date,
    holidays: list(date),
    milestones: list(
      object(
        {
          ref: text,
          name: text,
          baselineDue: date,
          currentDue: date,
          slipWorkingDays: integer,
          pendingDue: date,
          pendingSlipWorkingDays: integer,
        },
        ['pendingDue', 'pendingSlipWorkingDays'],
      ),
    ),
    baselineEnd: nullable(date),
    forecastEnd: nullable(date),
    slipWorkingDays: integer,
    asOf,
  }),
);

const column = oneOf(...BOARD_COLUMNS);
export const BoardCard = named(
  'BoardCard',
  object({
    id: text,
    ref: text,
    title: text,
    role: text,
    column,
    estimateHours: number,
    loggedHours: number,
    unapprovedHours: number,
    unapprovedWork: boolean,
    assignee: nullable({ type: 'string', description: 'the person of the team doing the work (P-3), null: no one' }),
    milestone: nullable({
      type: 'string',
      description: "the ref of the milestone its scope item is due by; null: the project's last milestone",
    }),
    admittedBy: { type: 'string', description: '"baseline" or the number of the signed order' },
  }),
);

export const Board = named(
  'Board',
  object({
    projectId: id,
    columns: list(object({ column, wipLimit: nullable(integer), cards: list(BoardCard) })),
    cancelled: list(BoardCard),
    unapprovedHours: number,
  }),
);

export const BoardWithFlow = named('BoardWithFlow', { allOf: [Board, object({ cycleTimes: any, asOf })] });

export const BoardCardDetail = named('BoardCardDetail', {
  allOf: [BoardCard, object({ asOf })],
  description: 'the card with its time entries and the time it spent in each column',
});

export const ChangeRequest = named(
  'ChangeRequest',
  object(
    {
      id,
      number: { type: 'string', example: 'CR-3' },
      title: text,
      description: text,
      source: text,
      requestedBy: Person,
      receivedAt: dateTime,
      ticketRef: text,
      status: oneOf('logged', 'assessed', 'declined', 'ordered', 'approved'),
      assessment: object({
        noCharge: boolean,
        costDelta: minor,
        notes: nullable(text),
        lines: list(
          object({
            op: oneOf('add', 'modify', 'remove'),
            ref: text,
            title: text,
            role: text,
            hours: number,
            hoursDelta: number,
            costDelta: minor,
            milestone: dueBy,
          }),
        ),
        schedule: list(object({ milestone: text, workingDays: integer })),
        products: list(any),
        monthlyDelta: minor,
        margin,
      }),
      decline: any,
      changeOrder: nullable({ type: 'string', description: 'the number of the order that carries it' }),
    },
    ['ticketRef', 'assessment', 'decline'],
  ),
);

export const ChangeRequestAsOf = named('ChangeRequestAsOf', { allOf: [ChangeRequest, object({ asOf })] });

export const ChangeOrder = named(
  'ChangeOrder',
  object({
    id,
    number: { type: 'string', example: 'CO-2' },
    status: oneOf('draft', 'issued', 'signed', 'declined', 'voided', 'expired'),
    changeRequests: list(text),
    changeRequestIds: list(id),
    signer: Person,
    amount: minor,
    absorbed: minor,
    lines: list(
      object({
        changeRequest: text,
        op: oneOf('add', 'modify', 'remove'),
        ref: text,
        title: text,
        role: text,
        hoursDelta: number,
        costDelta: minor,
        amount: minor,
        noCharge: boolean,
        milestone: dueBy,
      }),
    ),
    products: list(any),
    monthly: object({ change: minor, before: nullable(minor), after: nullable(minor) }),
    margin,
    schedule: list(object({ milestone: text, workingDays: integer })),
    draftedAt: dateTime,
    issuedAt: nullable(dateTime),
    expiresAt: nullable(dateTime),
    documentSha256: nullable(text),
    revision: integer,
    issues: list(any),
    needsRevision: nullable(text),
    firstViewedAt: nullable(dateTime),
    consentWithdrawnAt: nullable(dateTime),
    signerVerification: text,
    signedAt: nullable(dateTime),
    signedBy: nullable(Person),
    closedReason: nullable(text),
    closedAt: nullable(dateTime),
    invoiced: minor,
    invoices: list(any),
  }),
);

export const ChangeOrderAsOf = named('ChangeOrderAsOf', { allOf: [ChangeOrder, object({ asOf })] });

export const Comparison = named(
  'Comparison',
  object({
    from: dateTime,
    to: dateTime,
    scope: list(
      object({
        ref: text,
        before: nullable({ type: 'object' }),
        after: nullable({ type: 'object' }),
        costDelta: minor,
      }),
    ),
    budget: any,
    timeline: any,
    board: list(any),
    changeOrders: list(any),
    changeRequests: list(any),
  }),
);

export const AuditEvent = named(
  'AuditEvent',
  object(
    {
      revision: integer,
      id: text,
      type: text,
      schemaVersion: integer,
      occurredAt: dateTime,
      recordedAt: dateTime,
      actor: any,
      correlationId: nullable(text),
      ip: text,
      userAgent: text,
      hash: nullable(text),
      data: any,
    },
    ['ip', 'userAgent', 'correlationId'],
  ),
);

export const ChainVerification = named(
  'ChainVerification',
  object({
    streamId: text,
    events: integer,
    valid: boolean,
    headHash: text,
    firstBreak: nullable(object({ revision: integer, eventId: text, type: text, reason: text })),
  }),
);

/** A command's answer with the project summary after it. */
export const SummaryCommandAnswer = named('SummaryCommandAnswer', { allOf: [ProjectSummary, commandAnswer()] });

export const Created = named('Created', commandAnswer({ id }));
export const ChangeRequestLogged = named('ChangeRequestLogged', commandAnswer({ id, number: text }));
export const ChangeRequestCommandAnswer = named(
  'ChangeRequestCommandAnswer',
  commandAnswer({ changeRequest: ChangeRequest }),
);
export const CommandAnswer = named('CommandAnswer', commandAnswer());
export const BoardCommandAnswer = named('BoardCommandAnswer', commandAnswer({ board: Board }));
export const ChangeOrderCommandAnswer = named('ChangeOrderCommandAnswer', { allOf: [ChangeOrder, commandAnswer()] });
export const ChangeOrderIssued = named(
  'ChangeOrderIssued',
  commandAnswer(
    { signingUrl: { type: 'string', format: 'uri' }, documentSha256: text, expiresAt: dateTime, number: text },
    ['number'],
  ),
);

export const ClientDependency = named(
  'ClientDependency',
  object({
    id,
    ref: text,
    what: text,
    milestone: nullable(text),
    milestoneName: nullable(text),
    since: date,
    due: date,
    status: oneOf('open', 'overdue', 'resolved'),
    resolvedOn: nullable(date),
    waitingWorkingDays: integer,
    overdueWorkingDays: integer,
    workingDaysLate: integer,
    claimable: boolean,
    changeRequest: nullable(object({ id, number: text, status: text })),
  }),
);

export const ClientDependencies = named(
  'ClientDependencies',
  object({ projectId: id, today: date, open: integer, overdue: integer, dependencies: list(ClientDependency), asOf }),
);

export const ClientDependencyCommandAnswer = named('ClientDependencyCommandAnswer', {
  allOf: [ClientDependency, commandAnswer()],
});

export const DelayChangeRequested = named('DelayChangeRequested', commandAnswer({ id, changeRequest: ChangeRequest }));

export const Product = named(
  'Product',
  object({
    sku: text,
    name: text,
    kind: text,
    billing: oneOf('one_off', 'monthly'),
    currency: text,
    unitPrice: minor,
    unitCost: minor,
    unitMargin: minor,
    retired: boolean,
    cataloguedAt: dateTime,
    updatedAt: nullable(dateTime),
    retiredAt: nullable(dateTime),
  }),
);

export const ProductCommandAnswer = named('ProductCommandAnswer', commandAnswer({ product: Product }));
