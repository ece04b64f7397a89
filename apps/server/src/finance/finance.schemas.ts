import {
  any,
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
  text,
} from '../http/answers';

/** The answers of the finance and portfolio routes. */

const asOf = nullable({ ...dateTime, description: 'the moment asked for with ?asOf=, or null for now' });

export const SignedChangeOrders = named(
  'SignedChangeOrders',
  object({ changeOrders: list(any), totals: mapOf(any), currencies: list(text), baselines: list(any) }),
);

export const Settlement = named(
  'Settlement',
  commandAnswer({ changeOrder: text, amount: minor, invoiced: minor, uninvoiced: minor }, []),
);

export const BaselineBilling = named(
  'BaselineBilling',
  commandAnswer({
    contract: minor,
    invoiced: minor,
    uninvoiced: minor,
    milestones: list(object({ milestone: text, name: text, invoiced: minor })),
    notByMilestone: minor,
    invoices: list(any),
  }),
);

export const ProjectReconciliation = named(
  'ProjectReconciliation',
  object({
    projectId: id,
    project: text,
    client: text,
    currency: text,
    baseline: minor,
    baselineInvoiced: minor,
    baselineUninvoiced: minor,
    signedChanges: minor,
    contractValue: minor,
    changeOrdersInvoiced: minor,
    absorbed: minor,
    recurringMonthlySigned: minor,
    changeOrders: list(any),
    baselineBilling: any,
    asOf,
  }),
);

export const ClientReconciliation = named(
  'ClientReconciliation',
  object({ client: text, projects: list(any), totals: mapOf(any), currencies: list(text), asOf }),
);

export const PortfolioRow = named(
  'PortfolioRow',
  object({
    projectId: id,
    name: text,
    client: text,
    currency: text,
    status: text,
    baselineBudget: minor,
    currentBudget: minor,
    variance: minor,
    pendingExposure: minor,
    pendingCredits: minor,
    onDraftOrders: object({ amount: minor, count: integer }),
    absorbed: minor,
    baselineEnd: nullable(date),
    forecastEnd: nullable(date),
    slipWorkingDays: integer,
    openRequests: integer,
    awaitingSignature: integer,
    oldestAwaitingSince: nullable(dateTime),
    oldestAwaitingDays: nullable(integer),
    unapprovedHours: number,
    waitingOnClient: object({
      open: integer,
      overdue: integer,
      oldestSince: nullable(date),
      longestWaitDays: number,
      mostOverdueDays: number,
    }),
    risk: { type: 'number', description: 'higher: needs a person sooner' },
  }),
);

export const Portfolio = named('Portfolio', object({ asOf, sort: text, projects: list(PortfolioRow), count: integer }));
