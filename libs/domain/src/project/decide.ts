import { isIsoDate } from '../shared/calendar';
import { conflict, DomainError, invalid, notFound } from '../shared/domain-error';
import { formatMoney, isMinor, lineCost, toCentiHours } from '../shared/money';
import { extended } from '../shared/records';
import { AssessmentLineInput, ProjectCommand, VIEW_RECORD_INTERVAL_MS } from './commands';
import {
  BOARD_COLUMNS,
  BoardColumn,
  event,
  EventOf,
  OrderLine,
  OrderScheduleShift,
  PricedScopeItem,
  ProjectEvent,
  ScheduleShift,
  ScopeChangeLine,
} from './events';
import { approvedChanges, ChangeOrderState, ChangeRequestState, ProjectState } from './state';

export const DEFAULT_EXPIRY_DAYS = 14;
export const DEFAULT_TERMS =
  'This change order amends the agreement for the project named above. The work described is priced at the rates ' +
  'of the agreement; all other terms remain unchanged. Work begins only after this order is signed.';

const COLUMN_NAMES: Record<BoardColumn, string> = {
  backlog: 'Backlog',
  ready: 'Ready',
  in_progress: 'In progress',
  review: 'Review',
  done: 'Done',
};

/** decide: the events a command produces against the current state, or a DomainError. */
export function decide(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  if (command.type !== 'OpenProject' && !state.exists) throw notFound('Project not found');
  switch (command.type) {
    case 'OpenProject': {
      if (state.exists) throw conflict('A project with this id already exists');
      if (!/^[A-Z]{3}$/.test(command.currency))
        throw invalid('Currency must be a three-letter ISO 4217 code such as USD', 'currency');
      const roles = Object.entries(command.rates);
      if (roles.length === 0) throw invalid('The rate card needs at least one role', 'rates');
      for (const [role, rate] of roles) {
        if (!role.trim()) throw invalid('Role names must not be empty', 'rates');
        if (!isMinor(rate) || rate < 0)
          throw invalid(`Rate for ${role} must be a whole number of minor units, zero or more`, `rates.${role}`);
      }
      if (!isIsoDate(command.startDate)) throw invalid('Start date must be a calendar date (YYYY-MM-DD)', 'startDate');
      command.holidays.forEach((day, i) => {
        if (!isIsoDate(day)) throw invalid('Holidays must be calendar dates (YYYY-MM-DD)', `holidays[${i}]`);
      });
      return [
        event('ProjectOpened', {
          projectId: command.projectId,
          name: command.name,
          client: command.client,
          ...(command.manager ? { manager: command.manager } : {}),
          currency: command.currency,
          rates: command.rates,
          startDate: command.startDate,
          holidays: [...new Set(command.holidays)].sort(),
        }),
      ];
    }

    case 'EstablishBaseline': {
      if (state.baseline.established) {
        throw conflict('The baseline is already established; scope changes go through change requests');
      }
      if (command.items.length === 0) throw invalid('A baseline needs at least one scope item', 'items');
      const seen = new Set<string>();
      const items = command.items.map((input, i): PricedScopeItem => {
        if (seen.has(input.ref)) throw invalid(`Scope item ref ${input.ref} appears twice`, `items[${i}].ref`);
        seen.add(input.ref);
        return priceItem(state, extended(input, { fixedCost: input.fixedCost ?? 0 }), `items[${i}]`);
      });
      const milestoneRefs = new Set<string>();
      command.milestones.forEach((m, i) => {
        if (milestoneRefs.has(m.ref)) throw invalid(`Milestone ref ${m.ref} appears twice`, `milestones[${i}].ref`);
        milestoneRefs.add(m.ref);
        if (!isIsoDate(m.due)) throw invalid('Due date must be a calendar date (YYYY-MM-DD)', `milestones[${i}].due`);
        if (m.due < state.startDate)
          throw invalid(
            `Milestone ${m.ref} is due before the project starts (${state.startDate})`,
            `milestones[${i}].due`,
          );
      });
      const total = items.reduce((sum, item) => sum + item.cost, 0);
      const cards = items.map((item, i) =>
        event('BoardCardAdded', {
          cardId: cardId(state.cardOrder.length + i + 1),
          number: state.cardOrder.length + i + 1,
          ref: item.ref,
          title: item.title,
          role: item.role,
          estimateCentiHours: item.centiHours,
          admittedBy: { kind: 'baseline' },
        }),
      );
      return [event('BaselineEstablished', { items, milestones: command.milestones, total }), ...cards];
    }

    case 'LogChangeRequest': {
      if (Object.hasOwn(state.changeRequests, command.changeRequestId))
        throw conflict('A change request with this id already exists');
      const received = command.receivedAt === undefined ? Date.parse(command.now) : Date.parse(command.receivedAt);
      if (Number.isNaN(received)) throw invalid('Received at must be a date and time (ISO 8601)', 'receivedAt');
      if (command.receivedAt !== undefined && received > Date.parse(command.now) + 5 * 60_000) {
        throw invalid('A request cannot be received in the future', 'receivedAt');
      }
      const logged: EventOf<'ChangeRequestLogged'>['data'] = {
        changeRequestId: command.changeRequestId,
        number: state.changeRequestOrder.length + 1,
        title: command.title,
        description: command.description,
        source: command.source,
        requestedBy: command.requestedBy,
        receivedAt: new Date(received).toISOString(),
      };
      // Added after, rather than spread into the literal: a spread there takes V8's slow path on every command.
      if (command.ticketRef) logged.ticketRef = command.ticketRef;
      return [event('ChangeRequestLogged', logged)];
    }

    case 'AssessChangeRequest': {
      const request = requireRequest(state, command.changeRequestId);
      assertRequestOpen(state, request, 'assessed');
      if (!state.baseline.established) throw conflict('Establish the baseline before assessing change requests');
      if (command.lines.length === 0 && command.schedule.length === 0) {
        throw invalid('An assessment needs at least one scope line or schedule shift', 'lines');
      }
      const refs = new Set<string>();
      const lines = command.lines.map((line, i) => {
        if (refs.has(line.ref))
          throw invalid(`Scope item ${line.ref} appears twice in this assessment`, `lines[${i}].ref`);
        refs.add(line.ref);
        return assessLine(state, line, `lines[${i}]`);
      });
      const schedule = checkSchedule(state, command.schedule);
      return [
        event('ChangeRequestAssessed', {
          changeRequestId: request.id,
          lines,
          schedule,
          ...(command.notes ? { notes: command.notes } : {}),
          noCharge: command.noCharge,
          costDelta: lines.reduce((sum, l) => sum + l.costDelta, 0),
        }),
      ];
    }

    case 'DeclineChangeRequest': {
      const request = requireRequest(state, command.changeRequestId);
      assertRequestOpen(state, request, 'declined');
      if (!command.reason.trim()) throw invalid('Say why the request is declined', 'reason');
      return [
        event('ChangeRequestDeclined', {
          changeRequestId: request.id,
          reason: command.reason.trim(),
          category: command.category,
        }),
      ];
    }

    case 'DraftChangeOrder': {
      if (state.changeOrders[command.changeOrderId]) throw conflict('A change order with this id already exists');
      if (command.changeRequestIds.length === 0)
        throw invalid('Name at least one assessed change request', 'changeRequestIds');
      if (new Set(command.changeRequestIds).size !== command.changeRequestIds.length) {
        throw invalid('A change request is listed twice', 'changeRequestIds');
      }
      if (!Number.isInteger(command.expiresInDays) || command.expiresInDays < 1 || command.expiresInDays > 365) {
        throw invalid('Expiry must be between 1 and 365 days', 'expiresInDays');
      }
      const requests = command.changeRequestIds.map((id, i) => {
        const request = state.changeRequests[id];
        if (!request) throw invalid(`Change request ${id} does not exist in this project`, `changeRequestIds[${i}]`);
        if (request.status === 'logged') throw conflict(`CR-${request.number} has not been assessed yet`);
        if (request.status === 'declined') throw conflict(`CR-${request.number} was declined`);
        if (request.status === 'ordered' || request.status === 'approved') {
          throw conflict(`CR-${request.number} already sits on ${orderLabel(state, request.changeOrderId)}`);
        }
        return request;
      });
      const lockedRefs = refsOnLiveOrders(state);
      const lines: OrderLine[] = [];
      const schedule: OrderScheduleShift[] = [];
      const refs = new Set<string>();
      for (const request of requests) {
        const assessment = request.assessment!;
        for (const line of assessment.lines) {
          if (refs.has(line.ref))
            throw conflict(`Scope item ${line.ref} is changed by more than one request on this order`);
          refs.add(line.ref);
          const locked = lockedRefs.get(line.ref);
          if (locked !== undefined)
            throw conflict(`Scope item ${line.ref} is already changed by CO-${locked}, which is not yet signed`);
          assertLineCurrent(state, line, request.number);
          lines.push(
            extended(line, {
              changeRequestId: request.id,
              changeRequestNumber: request.number,
              noCharge: assessment.noCharge,
              amount: assessment.noCharge ? 0 : line.costDelta,
            }),
          );
        }
        for (const shift of assessment.schedule) schedule.push(extended(shift, { changeRequestId: request.id }));
      }
      return [
        event('ChangeOrderDrafted', {
          changeOrderId: command.changeOrderId,
          number: state.changeOrderOrder.length + 1,
          changeRequestIds: command.changeRequestIds,
          signer: command.signer,
          expiresInDays: command.expiresInDays,
          terms: command.terms,
          lines,
          schedule,
          amount: lines.reduce((sum, l) => sum + l.amount, 0),
          absorbed: lines.filter((l) => l.noCharge).reduce((sum, l) => sum + l.costDelta, 0),
        }),
      ];
    }

    case 'IssueChangeOrder': {
      const order = requireOrder(state, command.changeOrderId);
      if (order.status !== 'draft') throw conflict(`CO-${order.number} is ${order.status}; only a draft can be issued`);
      if (!/^[0-9a-f]{64}$/.test(command.documentSha256))
        throw invalid('Document hash must be a SHA-256 hex digest', 'documentSha256');
      const figures = issueFigures(state, order, command.now);
      return [
        event('ChangeOrderIssued', {
          changeOrderId: order.id,
          documentSha256: command.documentSha256,
          signingTokenSha256: command.signingTokenSha256,
          signingTokenNonce: command.signingTokenNonce,
          ...figures,
        }),
      ];
    }

    case 'RecordChangeOrderView': {
      const order = requireOrder(state, command.changeOrderId);
      if (order.status !== 'issued') return [];
      if (order.lastViewedAt && Date.parse(command.now) - Date.parse(order.lastViewedAt) < VIEW_RECORD_INTERVAL_MS)
        return [];
      return [event('ChangeOrderViewed', { changeOrderId: order.id, viewedAt: command.now })];
    }

    case 'SignChangeOrder': {
      const order = requireOrder(state, command.changeOrderId);
      assertAwaitingSignature(order, command.now);
      if (command.consent !== true) throw invalid('Consent to sign electronically is required', 'consent');
      if (!command.name.trim()) throw invalid('Type your full name to sign', 'name');
      if (command.documentSha256 !== order.issue!.documentSha256) {
        throw conflict(
          'The document you reviewed is not the issued document (SHA-256 differs); reload the page and review it again',
        );
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
        ...admitWork(state, order),
      ];
    }

    case 'DeclineChangeOrder': {
      const order = requireOrder(state, command.changeOrderId);
      assertAwaitingSignature(order, command.now);
      if (!command.reason.trim()) throw invalid('Say why you decline this change order', 'reason');
      return [
        event('ChangeOrderDeclined', {
          changeOrderId: order.id,
          reason: command.reason.trim(),
          declinedAt: command.now,
          ip: command.ip,
          userAgent: command.userAgent,
        }),
      ];
    }

    case 'VoidChangeOrder': {
      const order = requireOrder(state, command.changeOrderId);
      if (order.status === 'signed')
        throw conflict(`CO-${order.number} is signed and final; corrections are new change orders`);
      if (order.status !== 'draft' && order.status !== 'issued')
        throw conflict(`CO-${order.number} is already ${order.status}`);
      if (!command.reason.trim()) throw invalid('Say why the order is voided', 'reason');
      return [event('ChangeOrderVoided', { changeOrderId: order.id, reason: command.reason.trim() })];
    }

    case 'ExpireChangeOrder': {
      const order = requireOrder(state, command.changeOrderId);
      if (order.status !== 'issued') throw conflict(`CO-${order.number} is ${order.status}, not awaiting signature`);
      if (Date.parse(command.now) < Date.parse(order.issue!.expiresAt))
        throw conflict(`CO-${order.number} expires at ${order.issue!.expiresAt}`);
      return [event('ChangeOrderExpired', { changeOrderId: order.id, expiredAt: order.issue!.expiresAt })];
    }

    case 'AddBoardCard': {
      const existing = state.cardByRef[command.ref];
      if (existing) throw conflict(`Scope item ${command.ref} is already on the board as card ${existing}`);
      throw conflict(
        `No baseline item or signed change order covers ${command.ref}: ` +
          `work enters the board only through a signed change order`,
      );
    }

    case 'MoveCard': {
      const card = state.cards[command.cardId];
      if (!card) throw notFound(`Card ${command.cardId} not found`);
      if (card.cancelled) throw conflict(`Card ${card.id} was cancelled by a signed change order`);
      if (!BOARD_COLUMNS.includes(command.to)) throw invalid(`Column must be one of ${BOARD_COLUMNS.join(', ')}`, 'to');
      if (card.column === command.to) throw conflict(`Card ${card.id} is already in ${COLUMN_NAMES[command.to]}`);
      const limit = state.wipLimits[command.to];
      if (limit !== undefined) {
        const inColumn = Object.values(state.cards).filter((c) => !c.cancelled && c.column === command.to).length;
        if (inColumn >= limit) {
          throw conflict(
            `WIP limit reached: ${COLUMN_NAMES[command.to]} holds at most ${limit} card${limit === 1 ? '' : 's'}`,
          );
        }
      }
      return [event('BoardCardMoved', { cardId: card.id, from: card.column, to: command.to })];
    }

    case 'SetWipLimits': {
      if (Object.keys(command.limits).length === 0) throw invalid('Name at least one column and its limit', 'limits');
      for (const [column, limit] of Object.entries(command.limits)) {
        if (!BOARD_COLUMNS.includes(column as BoardColumn))
          throw invalid(`Unknown column ${column}`, `limits.${column}`);
        if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) {
          throw invalid('A WIP limit is a whole number from 1 to 1000, or null for none', `limits.${column}`);
        }
      }
      return [event('WipLimitsSet', { limits: command.limits })];
    }

    case 'LogTime': {
      const card = state.cards[command.cardId];
      if (!card) throw notFound(`Card ${command.cardId} not found`);
      if (card.cancelled) throw conflict(`Card ${card.id} was cancelled; time cannot be logged against it`);
      const centiHours = toCentiHours(command.hours);
      if (centiHours === undefined || centiHours <= 0 || centiHours > 2400) {
        throw invalid('Hours must be more than 0 and at most 24, with at most two decimals', 'hours');
      }
      if (!isIsoDate(command.date)) throw invalid('Date must be a calendar date (YYYY-MM-DD)', 'date');
      if (command.date > command.now.slice(0, 10)) throw invalid('Time cannot be logged for a future date', 'date');
      return [
        event('TimeLogged', {
          cardId: card.id,
          centiHours,
          date: command.date,
          ...(command.note ? { note: command.note } : {}),
        }),
      ];
    }

    case 'RecordInvoice': {
      const order = requireOrder(state, command.changeOrderId);
      if (order.status !== 'signed')
        throw conflict(`CO-${order.number} is ${order.status}; only signed orders are invoiced`);
      if (!isMinor(command.amount) || command.amount <= 0)
        throw invalid('Amount must be a positive whole number of minor units', 'amount');
      if (order.invoices.some((i) => i.invoiceNumber === command.invoiceNumber)) {
        throw conflict(`Invoice ${command.invoiceNumber} is already recorded against CO-${order.number}`);
      }
      const remaining = order.amount - order.invoiced;
      if (command.amount > remaining) {
        throw conflict(
          `Invoice exceeds the signed value of CO-${order.number}: ` +
            `${formatMoney(remaining, state.currency)} remains uninvoiced`,
        );
      }
      return [
        event('InvoiceRecorded', {
          changeOrderId: order.id,
          invoiceNumber: command.invoiceNumber,
          amount: command.amount,
          invoicedAt: command.now,
        }),
      ];
    }

    default: {
      const unknown: never = command;
      throw new Error(`Unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** Contract figures fixed when an order is issued; the document prints exactly these. */
export function issueFigures(state: ProjectState, order: ChangeOrderState, now: string) {
  return {
    issuedAt: now,
    expiresAt: new Date(Date.parse(now) + order.expiresInDays * 86_400_000).toISOString(),
    originalContract: state.baseline.total,
    previouslyApproved: approvedChanges(state),
  };
}

export function cardId(number: number): string {
  return `C-${number}`;
}

function priceItem(
  state: ProjectState,
  input: { ref: string; title: string; role: string; hours: number; fixedCost: number },
  field: string,
): PricedScopeItem {
  const rate = state.rates[input.role];
  if (rate === undefined) {
    throw invalid(
      `Role ${input.role} is not on the project's rate card (${Object.keys(state.rates).join(', ')})`,
      `${field}.role`,
    );
  }
  const centiHours = toCentiHours(input.hours);
  if (centiHours === undefined || centiHours < 0) {
    throw invalid('Hours must be zero or more with at most two decimals', `${field}.hours`);
  }
  if (!isMinor(input.fixedCost) || input.fixedCost < 0) {
    throw invalid('Fixed cost must be a whole number of minor units, zero or more', `${field}.fixedCost`);
  }
  if (centiHours === 0 && input.fixedCost === 0)
    throw invalid('A scope item needs hours or a fixed cost', `${field}.hours`);
  const cost = lineCost(centiHours, rate, input.fixedCost);
  // Beyond the largest amount, sums of costs would no longer be exact.
  if (!isMinor(cost)) throw invalid('The item would cost more than the largest amount accepted', `${field}.hours`);
  return { ref: input.ref, title: input.title, role: input.role, centiHours, fixedCost: input.fixedCost, rate, cost };
}

function assessLine(state: ProjectState, line: AssessmentLineInput, field: string): ScopeChangeLine {
  const current = state.scope[line.ref];
  const live = current && !current.removed ? current : undefined;
  switch (line.op) {
    case 'add': {
      if (live) throw invalid(`Scope item ${line.ref} already exists; use modify to change it`, `${field}.ref`);
      if (!line.title) throw invalid('A new scope item needs a title', `${field}.title`);
      if (!line.role) throw invalid('A new scope item needs a role', `${field}.role`);
      if (line.hours === undefined && line.fixedCost === undefined)
        throw invalid('A new scope item needs hours or a fixed cost', `${field}.hours`);
      const item = priceItem(
        state,
        { ref: line.ref, title: line.title, role: line.role, hours: line.hours ?? 0, fixedCost: line.fixedCost ?? 0 },
        field,
      );
      return { op: 'add', ref: line.ref, item, costDelta: item.cost, centiHoursDelta: item.centiHours };
    }
    case 'modify': {
      if (!live) throw invalid(`Scope item ${line.ref} is not in the current scope`, `${field}.ref`);
      if (
        line.title === undefined &&
        line.role === undefined &&
        line.hours === undefined &&
        line.fixedCost === undefined
      ) {
        throw invalid('Say what changes: title, role, hours or fixed cost', field);
      }
      const item = priceItem(
        state,
        {
          ref: line.ref,
          title: line.title ?? live.title,
          role: line.role ?? live.role,
          hours: line.hours ?? live.centiHours / 100,
          fixedCost: line.fixedCost ?? live.fixedCost,
        },
        field,
      );
      const before = pricedOf(live);
      return {
        op: 'modify',
        ref: line.ref,
        item,
        before,
        costDelta: item.cost - before.cost,
        centiHoursDelta: item.centiHours - before.centiHours,
      };
    }
    case 'remove': {
      if (!live) throw invalid(`Scope item ${line.ref} is not in the current scope`, `${field}.ref`);
      if (
        line.title !== undefined ||
        line.role !== undefined ||
        line.hours !== undefined ||
        line.fixedCost !== undefined
      ) {
        throw invalid('A removal names only the scope item ref', field);
      }
      const before = pricedOf(live);
      return {
        op: 'remove',
        ref: line.ref,
        item: before,
        before,
        costDelta: -before.cost,
        centiHoursDelta: -before.centiHours,
      };
    }
    default:
      throw invalid('op must be add, modify or remove', `${field}.op`);
  }
}

/**
 * An assessed line goes on an order only while its item is still as it was assessed: a signed
 * order may have changed it since, and repricing silently would show the client a different
 * change (a modify would even undo the signed one).
 */
function assertLineCurrent(state: ProjectState, line: ScopeChangeLine, requestNumber: number): void {
  const current = state.scope[line.ref];
  const live = current && !current.removed ? current : undefined;
  const unchanged =
    line.op === 'add' ? live === undefined : live !== undefined && samePricedItem(pricedOf(live), line.before!);
  if (!unchanged)
    throw conflict(`Scope item ${line.ref} changed since CR-${requestNumber} was assessed; assess it again`);
}

function samePricedItem(a: PricedScopeItem, b: PricedScopeItem): boolean {
  return (
    a.ref === b.ref &&
    a.title === b.title &&
    a.role === b.role &&
    a.centiHours === b.centiHours &&
    a.fixedCost === b.fixedCost &&
    a.rate === b.rate &&
    a.cost === b.cost
  );
}

function pricedOf(item: PricedScopeItem): PricedScopeItem {
  return {
    ref: item.ref,
    title: item.title,
    role: item.role,
    centiHours: item.centiHours,
    fixedCost: item.fixedCost,
    rate: item.rate,
    cost: item.cost,
  };
}

function checkSchedule(state: ProjectState, schedule: readonly ScheduleShift[]): ScheduleShift[] {
  const refs = new Set(state.baseline.milestones.map((m) => m.ref));
  const seen = new Set<string>();
  return schedule.map((shift, i) => {
    if (!refs.has(shift.milestone))
      throw invalid(`Milestone ${shift.milestone} is not in the baseline`, `schedule[${i}].milestone`);
    if (seen.has(shift.milestone))
      throw invalid(`Milestone ${shift.milestone} appears twice`, `schedule[${i}].milestone`);
    seen.add(shift.milestone);
    if (!Number.isInteger(shift.workingDays) || shift.workingDays === 0 || Math.abs(shift.workingDays) > 260) {
      throw invalid('Working days must be a whole number from -260 to 260, not zero', `schedule[${i}].workingDays`);
    }
    return { milestone: shift.milestone, workingDays: shift.workingDays };
  });
}

function requireRequest(state: ProjectState, id: string): ChangeRequestState {
  const request = state.changeRequests[id];
  if (!request) throw notFound(`Change request ${id} not found`);
  return request;
}

function requireOrder(state: ProjectState, id: string): ChangeOrderState {
  const order = state.changeOrders[id];
  if (!order) throw notFound(`Change order ${id} not found`);
  return order;
}

function assertRequestOpen(state: ProjectState, request: ChangeRequestState, action: 'assessed' | 'declined'): void {
  if (request.status === 'declined') throw conflict(`CR-${request.number} was declined and cannot be ${action}`);
  if (request.status === 'ordered') {
    throw conflict(
      `CR-${request.number} sits on ${orderLabel(state, request.changeOrderId)}; ` +
        `void that order before it can be ${action}`,
    );
  }
  if (request.status === 'approved') throw conflict(`CR-${request.number} is approved on a signed order and final`);
}

function orderLabel(state: ProjectState, orderId: string | undefined): string {
  const order = orderId ? state.changeOrders[orderId] : undefined;
  return order ? `CO-${order.number} (${order.status})` : 'a change order';
}

function assertAwaitingSignature(order: ChangeOrderState, now: string): void {
  switch (order.status) {
    case 'issued':
      if (Date.parse(now) >= Date.parse(order.issue!.expiresAt))
        throw new DomainError('gone', `CO-${order.number} expired at ${order.issue!.expiresAt}`);
      return;
    case 'signed':
      throw conflict(`CO-${order.number} is already signed`);
    case 'draft':
      throw conflict(`CO-${order.number} has not been issued`);
    default:
      throw new DomainError(
        'gone',
        order.status === 'expired'
          ? `CO-${order.number} expired at ${order.issue!.expiresAt}`
          : `CO-${order.number} was ${order.status}`,
      );
  }
}

function refsOnLiveOrders(state: ProjectState): Map<string, number> {
  const refs = new Map<string, number>();
  for (const id of state.changeOrderOrder) {
    const order = state.changeOrders[id];
    if (order.status !== 'draft' && order.status !== 'issued') continue;
    for (const line of order.lines) refs.set(line.ref, order.number);
  }
  return refs;
}

/** The board events that a signature admits, appended with ChangeOrderSigned. */
function admitWork(state: ProjectState, order: ChangeOrderState): ProjectEvent[] {
  const events: ProjectEvent[] = [];
  let number = state.cardOrder.length;
  const newCard = (item: PricedScopeItem) => {
    number += 1;
    return event('BoardCardAdded', {
      cardId: cardId(number),
      number,
      ref: item.ref,
      title: item.title,
      role: item.role,
      estimateCentiHours: item.centiHours,
      admittedBy: { kind: 'change_order', changeOrderId: order.id },
    });
  };
  for (const line of order.lines) {
    const existing = state.cardByRef[line.ref];
    if (line.op === 'add') events.push(newCard(line.item));
    else if (line.op === 'modify') {
      if (existing) {
        events.push(
          event('BoardCardEstimateRevised', {
            cardId: existing,
            title: line.item.title,
            role: line.item.role,
            estimateCentiHours: line.item.centiHours,
            changeOrderId: order.id,
          }),
        );
      } else events.push(newCard(line.item));
    } else if (existing) {
      events.push(event('BoardCardCancelled', { cardId: existing, changeOrderId: order.id }));
    }
  }
  return events;
}
