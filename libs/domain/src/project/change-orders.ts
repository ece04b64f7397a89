import { addCalendarDays, calendarDateIn, startOfDayIn } from '../shared/calendar';
import { conflict, DomainError, invalid } from '../shared/domain-error';
import { cardAdded } from './board';
import { liveScopeItem, pricedItem } from './change-requests';
import { CommandOf, VIEW_RECORD_INTERVAL_MS } from './commands';
import {
  event,
  IssuedFigures,
  OrderLine,
  OrderMilestoneDates,
  OrderProductLine,
  OrderScheduleShift,
  PricedScopeItem,
  ProjectEvent,
  ScopeChangeLine,
} from './events';
import {
  isLiveOrder,
  isPastExpiry,
  orderLabel,
  orderNumber,
  requestNumber,
  requireOrder,
  signingRefusal,
} from './rules';
import {
  approvedChanges,
  calendarOf,
  ChangeOrderState,
  liveCardOf,
  ProjectState,
  shiftMilestones,
  signedOrders,
} from './state';
import { ceremonyRefusal, currentCeremony } from './signing-ceremony';
import { approvedMonthly, orderProductLines, skusOnLiveOrders } from './product-lines';

export const DEFAULT_EXPIRY_DAYS = 14;
export const DEFAULT_TERMS =
  'This change order amends the agreement for the project named above. The work described is priced at the rates ' +
  'of the agreement; all other terms remain unchanged. Work begins only after this order is signed.';

export function draftChangeOrder(command: CommandOf<'DraftChangeOrder'>, state: ProjectState): ProjectEvent[] {
  if (state.changeOrders.has(command.changeOrderId)) throw conflict('A change order with this id already exists');
  if (command.changeRequestIds.length === 0)
    throw invalid('Name at least one assessed change request', 'changeRequestIds');
  if (new Set(command.changeRequestIds).size !== command.changeRequestIds.length)
    throw invalid('A change request is listed twice', 'changeRequestIds');
  const expiresInDays =
    command.expiresInDays ?? state.defaultExpiryDays ?? command.companyExpiryDays ?? DEFAULT_EXPIRY_DAYS;
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 365)
    throw invalid('Expiry must be between 1 and 365 days', 'expiresInDays');
  const requests = command.changeRequestIds.map((id, i) => {
    const request = state.changeRequests.get(id);
    if (!request) throw invalid(`Change request ${id} does not exist in this project`, `changeRequestIds[${i}]`);
    if (request.status === 'logged') throw conflict(`${requestNumber(request)} has not been assessed yet`);
    if (request.status === 'declined') throw conflict(`${requestNumber(request)} was declined`);
    if (request.status === 'ordered' || request.status === 'approved')
      throw conflict(`${requestNumber(request)} already sits on ${orderLabel(state, request.changeOrderId)}`);
    return request;
  });
  const locked = refsOnLiveOrders(state);
  const lines: OrderLine[] = [];
  const schedule: OrderScheduleShift[] = [];
  const refs = new Set<string>();
  for (const request of requests) {
    const { noCharge, lines: assessed, schedule: shifts } = request.assessment!;
    for (const line of assessed) {
      if (refs.has(line.ref))
        throw conflict(`Scope item ${line.ref} is changed by more than one request on this order`);
      refs.add(line.ref);
      const lockedBy = locked.get(line.ref);
      if (lockedBy !== undefined)
        throw conflict(`Scope item ${line.ref} is already changed by CO-${lockedBy}, which is not yet signed`);
      if (!isStillCurrent(state, line))
        throw conflict(`Scope item ${line.ref} changed since ${requestNumber(request)} was assessed; assess it again`);
      const amount = noCharge ? 0 : line.costDelta;
      lines.push({ ...line, changeRequestId: request.id, changeRequestNumber: request.number, noCharge, amount });
    }
    for (const shift of shifts) schedule.push({ ...shift, changeRequestId: request.id });
  }
  const products = orderProductLines(state, requests, skusOnLiveOrders(state));
  const monthly = products.reduce((sum, l) => sum + l.monthly, 0);
  return [
    event('ChangeOrderDrafted', {
      changeOrderId: command.changeOrderId,
      number: state.changeOrders.size + 1,
      changeRequestIds: command.changeRequestIds,
      signer: command.signer,
      expiresInDays,
      terms: command.terms,
      lines,
      schedule,
      amount: lines.reduce((sum, l) => sum + l.amount, 0) + products.reduce((sum, l) => sum + l.amount, 0),
      absorbed: absorbedCost([...lines, ...oneOffProducts(products)]),
      ...(products.length > 0 ? { products } : {}),
      ...(monthly !== 0 ? { monthly } : {}),
      draftedAt: command.now,
      ...(command.signerVerification ? { signerVerification: command.signerVerification } : {}),
    }),
  ];
}

export function issueChangeOrder(command: CommandOf<'IssueChangeOrder'>, state: ProjectState): ProjectEvent[] {
  const { documentSha256, signingTokenSha256, signingTokenNonce, now } = command;
  const order = requireOrder(state, command.changeOrderId);
  if (order.status !== 'draft') throw conflict(`${orderNumber(order)} is ${order.status}; only a draft can be issued`);
  requireDocumentHash(documentSha256);
  const issued = { documentSha256, signingTokenSha256, signingTokenNonce, ...issueFigures(state, order, now) };
  return [event('ChangeOrderIssued', { changeOrderId: order.id, ...issued })];
}

/** Sends an order awaiting signature again with the figures of now, as revision n: a new document, a new link. */
export function reviseChangeOrder(command: CommandOf<'ReviseChangeOrder'>, state: ProjectState): ProjectEvent[] {
  const { documentSha256, signingTokenSha256, signingTokenNonce, now } = command;
  const order = requireOrder(state, command.changeOrderId);
  if (order.status !== 'issued')
    throw conflict(`${orderNumber(order)} is ${order.status}; only an order awaiting signature can be revised`);
  if (isPastExpiry(order, now))
    throw conflict(`${orderNumber(order)} expired at ${order.issue!.expiresAt}; draft a new order instead`);
  requireDocumentHash(documentSha256);
  const revised = { documentSha256, signingTokenSha256, signingTokenNonce, ...issueFigures(state, order, now) };
  return [event('ChangeOrderRevised', { changeOrderId: order.id, revision: order.revision + 1, ...revised })];
}

function requireDocumentHash(documentSha256: string): void {
  if (!/^[0-9a-f]{64}$/.test(documentSha256))
    throw invalid('Document hash must be a SHA-256 hex digest', 'documentSha256');
}

/**
 * When an order issued at `now` stops being signable: at the end of the project's day `expiresInDays` days after
 * the day it was issued (in the project's time zone; UTC without one). Fourteen days from a Friday afternoon
 * in Auckland is until midnight, Auckland time, two Fridays later.
 */
export function expiryOf(state: ProjectState, order: ChangeOrderState, now: string): string {
  const lastDay = addCalendarDays(calendarDateIn(now, state.timeZone), order.expiresInDays);
  return startOfDayIn(addCalendarDays(lastDay, 1), state.timeZone);
}

/** Contract figures fixed when an order is issued or revised; the document prints exactly these. */
export function issueFigures(state: ProjectState, order: ChangeOrderState, now: string): IssuedFigures {
  return {
    issuedAt: now,
    expiresAt: expiryOf(state, order, now),
    originalContract: state.baseline.total,
    previouslyApproved: approvedChanges(state),
    ...(approvedMonthly(state) !== 0 ? { previouslyApprovedMonthly: approvedMonthly(state) } : {}),
    schedule: orderMilestoneDates(state, order),
  };
}

/** Every milestone the order moves (its own shifts and the later milestones they carry), as the signed orders stand. */
export function orderMilestoneDates(state: ProjectState, order: ChangeOrderState): OrderMilestoneDates[] {
  const calendar = calendarOf(state);
  const before = [...state.milestones.values()];
  return shiftMilestones(before, order.schedule).flatMap((after, i) => {
    if (after.shift === before[i].shift) return [];
    const dueBefore = calendar.addWorkingDays(after.due, before[i].shift);
    const dueAfter = calendar.addWorkingDays(after.due, after.shift);
    const workingDays = calendar.workingDaysBetween(dueBefore, dueAfter);
    return [{ milestone: after.ref, name: after.name, baselineDue: after.due, dueBefore, dueAfter, workingDays }];
  });
}

/**
 * Why the order cannot be signed as issued: an order signed since changed the contract or the dates it starts
 * from, so its document would state figures that no longer hold. Undefined while they hold.
 */
export function staleFiguresRefusal(state: ProjectState, order: ChangeOrderState): DomainError | undefined {
  const issue = order.issue;
  if (!issue) return undefined;
  const signedSince = signedOrders(state).filter((o) => o.signature!.signedAt > issue.issuedAt);
  const stale =
    issue.originalContract !== state.baseline.total ||
    issue.previouslyApproved !== approvedChanges(state) ||
    // Only an order with products prints the monthly total it starts from.
    ((order.products ?? []).length > 0 && (issue.previouslyApprovedMonthly ?? 0) !== approvedMonthly(state)) ||
    (issue.schedule === undefined
      ? signedSince.some((o) => o.schedule.length > 0)
      : datesKey(issue.schedule) !== datesKey(orderMilestoneDates(state, order)));
  if (!stale) return undefined;
  const names = signedSince.map((o) => orderNumber(o));
  const verb = names.length === 1 ? 'was' : 'were';
  const since = names.length === 0 ? 'other orders were' : `${names.join(' and ')} ${verb}`;
  return conflict(
    `${orderNumber(order)} was prepared before ${since} signed, so its totals and dates are out of date. ` +
      'The sender must send a revised order; nothing was signed.',
  );
}

/**
 * Whether a revision prints other starting figures than the copy it replaces (an order signed in between moved the
 * contract total, the monthly charges or the dates), rather than being sent again for another reason with the same
 * figures, such as a signer who asked for paper. Issues recorded before they carried dates compare by totals alone.
 */
export function revisionRestatesFigures(
  order: Pick<ChangeOrderState, 'products'>,
  replaced: IssuedFigures,
  revised: IssuedFigures,
): boolean {
  return (
    replaced.originalContract !== revised.originalContract ||
    replaced.previouslyApproved !== revised.previouslyApproved ||
    ((order.products ?? []).length > 0 &&
      (replaced.previouslyApprovedMonthly ?? 0) !== (revised.previouslyApprovedMonthly ?? 0)) ||
    (replaced.schedule !== undefined &&
      revised.schedule !== undefined &&
      datesKey(replaced.schedule) !== datesKey(revised.schedule))
  );
}

function datesKey(rows: readonly OrderMilestoneDates[]): string {
  return rows.map((r) => `${r.milestone} ${r.dueBefore} ${r.dueAfter}`).join(', ');
}

/** A signer opening the page, recorded at most once an hour while the order awaits signature. */
export function recordChangeOrderView(
  command: CommandOf<'RecordChangeOrderView'>,
  state: ProjectState,
): ProjectEvent[] {
  const order = requireOrder(state, command.changeOrderId);
  if (order.status !== 'issued') return [];
  const sinceLastView = order.lastViewedAt ? Date.parse(command.now) - Date.parse(order.lastViewedAt) : Infinity;
  // A new link (re-issued or revised) is served afresh, whenever the last view was.
  if (sinceLastView < VIEW_RECORD_INTERVAL_MS && currentCeremony(order)?.servedAt) return [];
  return [event('ChangeOrderViewed', { changeOrderId: order.id, viewedAt: command.now })];
}

export function signChangeOrder(command: CommandOf<'SignChangeOrder'>, state: ProjectState): ProjectEvent[] {
  const order = requireOrder(state, command.changeOrderId);
  const refusal = signingRefusal(order, command.now) ?? staleFiguresRefusal(state, order) ?? ceremonyRefusal(order);
  if (refusal) throw refusal;
  if (command.consent !== true) throw invalid('Consent to sign electronically is required', 'consent');
  if (!command.name.trim()) throw invalid('Type your full name to sign', 'name');
  if (command.documentSha256 !== order.issue!.documentSha256) {
    const reload = 'reload the page and review it again';
    throw conflict(`The document you reviewed is not the issued document (SHA-256 differs); ${reload}`);
  }
  return [
    event('ChangeOrderSigned', {
      changeOrderId: order.id,
      signer: { name: command.name.trim(), email: order.signer.email },
      documentSha256: order.issue!.documentSha256,
      signedDocumentSha256: command.signedDocumentSha256,
      consentVersion: command.consentVersion,
      signature: command.signature,
      signedAt: command.now,
      ip: command.ip,
      userAgent: command.userAgent,
      ...(command.streamHeadHash ? { streamHeadHash: command.streamHeadHash } : {}),
    }),
    ...admittedWork(state, order, command.now),
  ];
}

export function declineChangeOrder(command: CommandOf<'DeclineChangeOrder'>, state: ProjectState): ProjectEvent[] {
  const order = requireOrder(state, command.changeOrderId);
  const refusal = signingRefusal(order, command.now);
  if (refusal) throw refusal;
  const reason = command.reason.trim();
  if (!reason) throw invalid('Say why you decline this change order', 'reason');
  const { ip, userAgent } = command;
  return [event('ChangeOrderDeclined', { changeOrderId: order.id, reason, declinedAt: command.now, ip, userAgent })];
}

export function voidChangeOrder(command: CommandOf<'VoidChangeOrder'>, state: ProjectState): ProjectEvent[] {
  const order = requireOrder(state, command.changeOrderId);
  if (order.status === 'signed')
    throw conflict(`${orderNumber(order)} is signed and final; corrections are new change orders`);
  if (!isLiveOrder(order)) throw conflict(`${orderNumber(order)} is already ${order.status}`);
  const reason = command.reason.trim();
  if (!reason) throw invalid('Say why the order is voided', 'reason');
  return [event('ChangeOrderVoided', { changeOrderId: order.id, reason, voidedAt: command.now })];
}

export function expireChangeOrder(command: CommandOf<'ExpireChangeOrder'>, state: ProjectState): ProjectEvent[] {
  const order = requireOrder(state, command.changeOrderId);
  if (order.status !== 'issued') throw conflict(`${orderNumber(order)} is ${order.status}, not awaiting signature`);
  const { expiresAt } = order.issue!;
  if (Date.parse(command.now) < Date.parse(expiresAt)) throw conflict(`${orderNumber(order)} expires at ${expiresAt}`);
  return [event('ChangeOrderExpired', { changeOrderId: order.id, expiredAt: expiresAt })];
}

/**
 * An assessed line goes on an order only while its item is as it was assessed: repricing silently
 * after a signed order changed it would show the client a different change.
 */
function isStillCurrent(state: ProjectState, line: ScopeChangeLine): boolean {
  const live = liveScopeItem(state, line.ref);
  if (line.op === 'add') return live === undefined;
  if (!live) return false;
  const item = pricedItem(live);
  const keys = new Set([...Object.keys(item), ...Object.keys(line.before!)]) as Set<keyof PricedScopeItem>;
  return [...keys].every((key) => item[key] === line.before![key]);
}

/** Each scope item changed by a draft or issued order, with that order's number: one live order per item. */
function refsOnLiveOrders(state: ProjectState): Map<string, number> {
  const refs = new Map<string, number>();
  for (const order of state.changeOrders.values()) {
    if (isLiveOrder(order)) for (const line of order.lines) refs.set(line.ref, order.number);
  }
  return refs;
}

/** The board events a signature admits, appended with ChangeOrderSigned. */
function admittedWork(state: ProjectState, order: ChangeOrderState, now: string): ProjectEvent[] {
  const events: ProjectEvent[] = [];
  let number = state.cards.size;
  const admittedBy = { kind: 'change_order' as const, changeOrderId: order.id };
  for (const { op, ref, item } of order.lines) {
    const card = liveCardOf(state, ref);
    if (op === 'add' || (op === 'modify' && !card)) {
      events.push(cardAdded(++number, item, admittedBy, now));
    } else if (op === 'modify') {
      const { title, role, centiHours: estimateCentiHours, milestone } = item;
      const revised = {
        cardId: card!.id,
        title,
        role,
        estimateCentiHours,
        ...(milestone ? { milestone } : {}),
        changeOrderId: order.id,
        revisedAt: now,
      };
      events.push(event('BoardCardEstimateRevised', revised));
    } else if (card) {
      events.push(event('BoardCardCancelled', { cardId: card.id, changeOrderId: order.id, cancelledAt: now }));
    }
  }
  return events;
}

/** One-off product lines as absorbedCost reads them: their price is what a no-charge line gives away. */
function oneOffProducts(products: readonly OrderProductLine[]): Pick<OrderLine, 'noCharge' | 'costDelta'>[] {
  return products
    .filter((l) => l.product.billing === 'one_off')
    .map((l) => ({ noCharge: l.noCharge, costDelta: l.priceDelta }));
}

/**
 * What the MSP gives away on no-charge lines: the added cost it does not bill. A no-charge line that
 * lowers the cost (a removal, a smaller estimate) gives nothing away, so the total is never negative.
 */
export function absorbedCost(lines: readonly Pick<OrderLine, 'noCharge' | 'costDelta'>[]): number {
  return lines.filter((l) => l.noCharge).reduce((sum, l) => sum + Math.max(0, l.costDelta), 0);
}

/**
 * The events signing `order` at `now` would append, for what-if views only (never stored): the signature without
 * a signer's evidence, and the board work it admits. Folded onto a copy of the state they give the project as it
 * would stand once signed, by the same evolve that signing uses.
 */
export function wouldBeSignedEvents(state: ProjectState, order: ChangeOrderState, now: string): ProjectEvent[] {
  const signed = event('ChangeOrderSigned', {
    changeOrderId: order.id,
    signer: order.signer,
    documentSha256: order.issue?.documentSha256 ?? '',
    signedDocumentSha256: '',
    consentVersion: '',
    signature: 'typed',
    signedAt: now,
    ip: '',
    userAgent: '',
  });
  return [signed, ...admittedWork(state, order, now)];
}
