import {
  CardState,
  ChangeOrderState,
  ChangeRequestState,
  Minor,
  ProjectState,
  StateChanges,
} from '@scope-ledger/domain';

/**
 * The sums behind a project's portfolio row: open requests, signed and pending amounts, orders
 * awaiting signature and unapproved hours. Each is a sum over the project's requests, orders or
 * cards of what one entry contributes, so after a batch it is brought up to date from the
 * entries the batch changed (take out what each contributed before, add what it contributes
 * now) rather than recounted over thousands of them.
 */
export interface PortfolioTally {
  readonly openRequests: number;
  /** Signed orders: what they charge (the approved changes) and what they give away. */
  readonly approved: Minor;
  readonly absorbed: Minor;
  /** Issued orders awaiting signature: what they would charge, and when each was issued. */
  readonly pendingExposure: Minor;
  readonly awaiting: ReadonlyMap<string, string>;
  /** Time logged beyond the estimate on live cards. */
  readonly unapprovedCentiHours: number;
}

interface MutableTally {
  openRequests: number;
  approved: Minor;
  absorbed: Minor;
  pendingExposure: Minor;
  awaiting: Map<string, string>;
  unapprovedCentiHours: number;
}

/** Adds (sign 1) or takes out (sign -1) what one entry contributes. */
function countRequest(tally: MutableTally, request: ChangeRequestState | undefined, sign: 1 | -1): void {
  if (request?.status === 'logged') tally.openRequests += sign;
}

function countOrder(tally: MutableTally, order: ChangeOrderState | undefined, sign: 1 | -1): void {
  if (!order) return;
  if (order.signature) {
    tally.approved += sign * order.amount;
    tally.absorbed += sign * order.absorbed;
  }
  if (order.status === 'issued') {
    tally.pendingExposure += sign * order.amount;
    if (sign > 0) tally.awaiting.set(order.id, order.issue!.issuedAt);
    else tally.awaiting.delete(order.id);
  }
}

function countCard(tally: MutableTally, card: CardState | undefined, sign: 1 | -1): void {
  if (card && !card.cancelled)
    tally.unapprovedCentiHours += sign * Math.max(0, card.loggedCentiHours - card.estimateCentiHours);
}

/** The tally of a whole state, counted entry by entry. */
export function tallyOf(state: ProjectState): PortfolioTally {
  const tally: MutableTally = {
    openRequests: 0,
    approved: 0,
    absorbed: 0,
    pendingExposure: 0,
    awaiting: new Map(),
    unapprovedCentiHours: 0,
  };
  for (const id of state.changeRequestOrder) countRequest(tally, state.changeRequests[id], 1);
  for (const id of state.changeOrderOrder) countOrder(tally, state.changeOrders[id], 1);
  for (const id of state.cardOrder) countCard(tally, state.cards[id], 1);
  return tally;
}

/** The tally after a fold, from the tally before it and what the fold changed. */
export function updateTally(before: PortfolioTally, state: ProjectState, changes: StateChanges): PortfolioTally {
  const tally: MutableTally = { ...before, awaiting: new Map(before.awaiting) };
  for (const [id, was] of changes.records.changeRequests ?? []) {
    countRequest(tally, was, -1);
    countRequest(tally, state.changeRequests[id], 1);
  }
  for (const [id, was] of changes.records.changeOrders ?? []) {
    countOrder(tally, was, -1);
    countOrder(tally, state.changeOrders[id], 1);
  }
  for (const [id, was] of changes.records.cards ?? []) {
    countCard(tally, was, -1);
    countCard(tally, state.cards[id], 1);
  }
  return tally;
}
