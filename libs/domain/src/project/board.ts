import { calendarDateIn, isIsoDate } from '../shared/calendar';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { toCentiHours } from '../shared/money';
import { CommandOf } from './commands';
import {
  BOARD_COLUMNS,
  BoardColumn,
  CardAdmission,
  COLUMN_LABELS,
  event,
  PricedScopeItem,
  ProjectEvent,
} from './events';
import { CardState, liveCardOf, ProjectState } from './state';

export function cardAdded(number: number, item: PricedScopeItem, admittedBy: CardAdmission, addedAt: string) {
  const { ref, title, role, centiHours: estimateCentiHours, milestone } = item;
  const due = milestone ? { milestone } : {};
  const added = { cardId: `C-${number}`, number, ref, title, role, estimateCentiHours, ...due, admittedBy, addedAt };
  return event('BoardCardAdded', added);
}

/** Work enters the board only through the baseline or a signed change order: a card by hand is always refused. */
export function addBoardCard(command: CommandOf<'AddBoardCard'>, state: ProjectState): never {
  const existing = liveCardOf(state, command.ref);
  if (existing) throw conflict(`Scope item ${command.ref} is already on the board as card ${existing.id}`);
  const rule = 'work enters the board only through a signed change order';
  throw conflict(`No baseline item or signed change order covers ${command.ref}: ${rule}`);
}

export function moveCard(command: CommandOf<'MoveCard'>, state: ProjectState): ProjectEvent[] {
  const card = liveCard(state, command.cardId, 'was cancelled by a signed change order');
  if (!BOARD_COLUMNS.includes(command.to)) throw invalid(`Column must be one of ${BOARD_COLUMNS.join(', ')}`, 'to');
  if (card.column === command.to) throw conflict(`Card ${card.id} is already in ${COLUMN_LABELS[command.to]}`);
  const limit = state.wipLimits.get(command.to);
  const inColumn = [...state.cards.values()].filter((c) => !c.cancelled && c.column === command.to).length;
  if (limit !== undefined && inColumn >= limit) {
    const cards = `${limit} card${limit === 1 ? '' : 's'}`;
    throw conflict(`WIP limit reached: ${COLUMN_LABELS[command.to]} holds at most ${cards}`);
  }
  return [event('BoardCardMoved', { cardId: card.id, from: card.column, to: command.to, movedAt: command.now })];
}

/**
 * Gives a card to a person of the team, or to no one (null). Whether the person is on the team is checked on the
 * command path against the team stream, which this decider cannot see; here only the card's own rules hold.
 */
export function assignBoardCard(command: CommandOf<'AssignBoardCard'>, state: ProjectState): ProjectEvent[] {
  const card = liveCard(state, command.cardId, 'was cancelled by a signed change order; it cannot be assigned');
  const { personId } = command;
  if (personId !== null && !/^P-[1-9]\d{0,8}$/.test(personId))
    throw invalid('personId must name a person of the team, such as P-3, or be null to unassign', 'personId');
  if ((card.assignee ?? null) === personId) return [];
  return [event('BoardCardAssigned', { cardId: card.id, personId, assignedAt: command.now })];
}

export function setWipLimits(command: CommandOf<'SetWipLimits'>): ProjectEvent[] {
  const limits = Object.entries(command.limits);
  if (limits.length === 0) throw invalid('Name at least one column and its limit', 'limits');
  for (const [column, limit] of limits) {
    if (!BOARD_COLUMNS.includes(column as BoardColumn)) throw invalid(`Unknown column ${column}`, `limits.${column}`);
    if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > 1000))
      throw invalid('A WIP limit is a whole number from 1 to 1000, or null for none', `limits.${column}`);
  }
  return [event('WipLimitsSet', { limits: Object.fromEntries(limits), setAt: command.now })];
}

export function logTime(command: CommandOf<'LogTime'>, state: ProjectState): ProjectEvent[] {
  const card = liveCard(state, command.cardId, 'was cancelled; time cannot be logged against it');
  const centiHours = toCentiHours(command.hours);
  if (centiHours === undefined || centiHours <= 0 || centiHours > 2400)
    throw invalid('Hours must be more than 0 and at most 24, with at most two decimals', 'hours');
  if (!isIsoDate(command.date)) throw invalid('Date must be a calendar date (YYYY-MM-DD)', 'date');
  const today = calendarDateIn(command.now, state.timeZone);
  if (command.date > today) throw invalid(`Time cannot be logged for a future date (today is ${today})`, 'date');
  if (command.date < state.startDate)
    throw invalid(`Time cannot be logged before the project starts (${state.startDate})`, 'date');
  const note = command.note ? { note: command.note } : {};
  return [event('TimeLogged', { cardId: card.id, centiHours, date: command.date, ...note, loggedAt: command.now })];
}

function liveCard(state: ProjectState, cardId: string, cancelled: string): CardState {
  const card = state.cards.get(cardId);
  if (!card) throw notFound(`Card ${cardId} not found`);
  if (card.cancelled) throw conflict(`Card ${card.id} ${cancelled}`);
  return card;
}
