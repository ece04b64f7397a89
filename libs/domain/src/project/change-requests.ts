import { conflict, invalid } from '../shared/domain-error';
import { AssessmentLineInput, CommandOf } from './commands';
import { ChangeSource, event, PricedScopeItem, ProjectEvent, ScheduleShift, ScopeChangeLine } from './events';
import { assessProductLines, productTotals } from './product-lines';
import { checkedItemMilestone, priceItem } from './project-setup';
import { amendmentRefusal, requestRefusal, requireRequest } from './rules';
import { calendarOf, ChangeRequestState, ProjectState, ScopeItemState, shiftMilestones } from './state';

/** Clocks of client systems may run a little ahead: a request received this far in the future is still now. */
const CLOCK_TOLERANCE_MS = 5 * 60_000;

const SOURCE_LABELS: Readonly<Record<ChangeSource, string>> = {
  email: 'Email',
  phone: 'Phone',
  meeting: 'Meeting',
  ticket: 'Ticket',
  portal: 'Portal',
  client_dependency: 'Client delay',
};

/** How a request came in, in the words clients read on the documents they sign: "Email", "Client delay". */
export function changeSourceLabel(source: ChangeSource): string {
  return SOURCE_LABELS[source];
}

/**
 * A request that prices nothing and only moves dates, such as the working days lost waiting on the client: its
 * document says "Schedule only" rather than "Chargeable".
 */
export function isScheduleOnly(request: Pick<ChangeRequestState, 'assessment'>): boolean {
  const assessment = request.assessment;
  if (!assessment || assessment.noCharge || assessment.schedule.length === 0) return false;
  return assessment.costDelta === 0 && (assessment.monthlyDelta ?? 0) === 0;
}

export function logChangeRequest(command: CommandOf<'LogChangeRequest'>, state: ProjectState): ProjectEvent[] {
  if (state.changeRequests.has(command.changeRequestId)) throw conflict('A change request with this id already exists');
  const received = Date.parse(command.receivedAt ?? command.now);
  if (Number.isNaN(received)) throw invalid('Received at must be a date and time (ISO 8601)', 'receivedAt');
  if (command.receivedAt !== undefined && received > Date.parse(command.now) + CLOCK_TOLERANCE_MS)
    throw invalid('A request cannot be received in the future', 'receivedAt');
  return [
    event('ChangeRequestLogged', {
      changeRequestId: command.changeRequestId,
      number: state.changeRequests.size + 1,
      title: command.title,
      description: command.description,
      source: command.source,
      requestedBy: command.requestedBy,
      receivedAt: new Date(received).toISOString(),
      ...(command.ticketRef ? { ticketRef: command.ticketRef } : {}),
      ...(command.clientDependencyId ? { clientDependencyId: command.clientDependencyId } : {}),
      loggedAt: command.now,
    }),
  ];
}

export function assessChangeRequest(command: CommandOf<'AssessChangeRequest'>, state: ProjectState): ProjectEvent[] {
  const request = requireRequest(state, command.changeRequestId);
  const refusal = requestRefusal(state, request, 'assessed');
  if (refusal) throw refusal;
  if (!state.baseline.established) throw conflict('Establish the baseline before assessing change requests');
  const productInputs = command.products ?? [];
  if (command.lines.length === 0 && productInputs.length === 0 && command.schedule.length === 0)
    throw invalid('An assessment needs at least one scope line or schedule shift, or a product line', 'lines');
  const refs = new Set<string>();
  const lines = command.lines.map((line, i) => {
    if (refs.has(line.ref)) throw invalid(`Scope item ${line.ref} appears twice in this assessment`, `lines[${i}].ref`);
    refs.add(line.ref);
    return assessLine(state, line, `lines[${i}]`);
  });
  const products = assessProductLines(state, productInputs);
  const { oneOff, monthly } = productTotals(products);
  return [
    event('ChangeRequestAssessed', {
      changeRequestId: request.id,
      lines,
      schedule: checkSchedule(state, command.schedule),
      ...(command.notes ? { notes: command.notes } : {}),
      noCharge: command.noCharge,
      costDelta: lines.reduce((sum, l) => sum + l.costDelta, 0) + oneOff,
      ...(products.length > 0 ? { products } : {}),
      ...(monthly !== 0 ? { monthlyDelta: monthly } : {}),
      assessedAt: command.now,
    }),
  ];
}

export function declineChangeRequest(command: CommandOf<'DeclineChangeRequest'>, state: ProjectState): ProjectEvent[] {
  const request = requireRequest(state, command.changeRequestId);
  const refusal = requestRefusal(state, request, 'declined');
  if (refusal) throw refusal;
  const reason = command.reason.trim();
  if (!reason) throw invalid('Say why the request is declined', 'reason');
  const { category, now } = command;
  return [event('ChangeRequestDeclined', { changeRequestId: request.id, reason, category, declinedAt: now })];
}

/** The title and description as the client meant them, corrected until its order is issued to the client. */
export function amendChangeRequest(command: CommandOf<'AmendChangeRequest'>, state: ProjectState): ProjectEvent[] {
  const request = requireRequest(state, command.changeRequestId);
  const refusal = amendmentRefusal(state, request);
  if (refusal) throw refusal;
  const title = command.title?.trim() ?? request.title;
  const description = command.description ?? request.description;
  if (!title) throw invalid('A change request needs a title', 'title');
  if (title === request.title && description === request.description)
    throw invalid('Say what changes: the title or the description', 'title');
  const amended = { changeRequestId: request.id, title, description, amendedAt: command.now };
  return [event('ChangeRequestAmended', amended)];
}

/** The scope item as it stands, unless it was removed. */
export function liveScopeItem(state: ProjectState, ref: string): ScopeItemState | undefined {
  const item = state.scope.get(ref);
  return item && !item.removed ? item : undefined;
}

function assessLine(state: ProjectState, line: AssessmentLineInput, field: string): ScopeChangeLine {
  const live = liveScopeItem(state, line.ref);
  const { title, role, hours, fixedCost } = line;
  const milestone = checkedItemMilestone(line.milestone, state.milestones, field);
  switch (line.op) {
    case 'add': {
      if (live) throw invalid(`Scope item ${line.ref} already exists; use modify to change it`, `${field}.ref`);
      if (!title) throw invalid('A new scope item needs a title', `${field}.title`);
      if (!role) throw invalid('A new scope item needs a role', `${field}.role`);
      if (hours === undefined && fixedCost === undefined)
        throw invalid('A new scope item needs hours or a fixed cost', `${field}.hours`);
      const added = { ref: line.ref, title, role, hours: hours ?? 0, fixedCost: fixedCost ?? 0, milestone };
      const item = priceItem(state, added, field);
      return { op: 'add', ref: line.ref, item, costDelta: item.cost, centiHoursDelta: item.centiHours };
    }
    case 'modify': {
      if (!live) throw invalid(`Scope item ${line.ref} is not in the current scope`, `${field}.ref`);
      const unchanged = [title, role, hours, fixedCost, line.milestone].every((v) => v === undefined);
      if (unchanged) throw invalid('Say what changes: title, role, hours, fixed cost or milestone', field);
      const changed = {
        ref: line.ref,
        title: title ?? live.title,
        role: role ?? live.role,
        hours: hours ?? live.centiHours / 100,
        fixedCost: fixedCost ?? live.fixedCost,
        // Left out: the item keeps its milestone; null: it has none any more.
        milestone: line.milestone === undefined ? live.milestone : milestone,
      };
      const item = priceItem(state, changed, field);
      const before = pricedItem(live);
      const centiHoursDelta = item.centiHours - before.centiHours;
      return { op: 'modify', ref: line.ref, item, before, costDelta: item.cost - before.cost, centiHoursDelta };
    }
    case 'remove': {
      if (!live) throw invalid(`Scope item ${line.ref} is not in the current scope`, `${field}.ref`);
      if ([title, role, hours, fixedCost, line.milestone].some((v) => v !== undefined))
        throw invalid('A removal names only the scope item ref', field);
      const before = pricedItem(live);
      const costDelta = -before.cost;
      return { op: 'remove', ref: line.ref, item: before, before, costDelta, centiHoursDelta: -before.centiHours };
    }
    default:
      throw invalid('op must be add, modify or remove', `${field}.op`);
  }
}

/** Just the priced item of a scope item's record. */
export function pricedItem(item: PricedScopeItem): PricedScopeItem {
  const { ref, title, role, centiHours, fixedCost, rate, cost, milestone } = item;
  return { ref, title, role, centiHours, fixedCost, rate, cost, ...(milestone ? { milestone } : {}) };
}

function checkSchedule(state: ProjectState, schedule: readonly ScheduleShift[]): ScheduleShift[] {
  const seen = new Set<string>();
  const checked = schedule.map(({ milestone, workingDays }, i) => {
    const field = `schedule[${i}]`;
    if (!state.milestones.has(milestone))
      throw invalid(`Milestone ${milestone} is not in the baseline`, `${field}.milestone`);
    if (seen.has(milestone)) throw invalid(`Milestone ${milestone} appears twice`, `${field}.milestone`);
    seen.add(milestone);
    if (!Number.isInteger(workingDays) || workingDays === 0 || Math.abs(workingDays) > 260)
      throw invalid('Working days must be a whole number from -260 to 260, not zero', `${field}.workingDays`);
    return { milestone, workingDays };
  });
  // A shift moves the milestones after it too; none may end up before the project starts.
  const calendar = calendarOf(state);
  for (const moved of shiftMilestones([...state.milestones.values()], checked)) {
    const due = calendar.addWorkingDays(moved.due, moved.shift);
    if (due < state.startDate) {
      const i = checked.findIndex((s) => s.milestone === moved.ref);
      throw invalid(
        `${moved.ref} would move to ${due}, before the project starts on ${state.startDate}`,
        i >= 0 ? `schedule[${i}].workingDays` : 'schedule',
      );
    }
  }
  return checked;
}
