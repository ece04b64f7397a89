import { canonicalTimeZone, WorkingCalendar } from '../shared/calendar';
import { conflict, DomainError, invalid } from '../shared/domain-error';
import { CommandOf } from './commands';
import { event, MilestoneMove, Person, ProjectEvent } from './events';
import { checkedHolidays, checkedRates } from './project-setup';
import { calendarOf, ProjectState } from './state';

/**
 * Settings that change after opening, one event per kind of change, and only what differs: a command
 * that changes nothing appends nothing. Nothing already priced, ordered or signed is touched: new rates
 * price later assessments, new holidays count the working days of dates computed later.
 */
export function updateProjectSettings(
  command: CommandOf<'UpdateProjectSettings'>,
  state: ProjectState,
): ProjectEvent[] {
  return [
    ...renamed(command, state),
    ...managerChanged(command, state),
    ...clientContactsChanged(command, state),
    ...holidaysChanged(command, state),
    ...ratesChanged(command, state),
    ...defaultExpiryChanged(command, state),
    ...timeZoneChanged(command, state),
  ];
}

type Change = ProjectEvent[];

function renamed(command: CommandOf<'UpdateProjectSettings'>, state: ProjectState): Change {
  const { name } = command;
  if (name === undefined) return [];
  const trimmed = name.trim();
  if (!trimmed) throw invalid('A project needs a name', 'name');
  return trimmed === state.name ? [] : [event('ProjectRenamed', { name: trimmed, changedAt: command.now })];
}

function managerChanged(command: CommandOf<'UpdateProjectSettings'>, state: ProjectState): Change {
  const { manager } = command;
  if (manager === undefined || samePerson(manager, state.manager)) return [];
  return [event('ProjectManagerChanged', { manager, changedAt: command.now })];
}

function clientContactsChanged(command: CommandOf<'UpdateProjectSettings'>, state: ProjectState): Change {
  const client = command.client ?? state.client;
  const financeContact = command.financeContact === undefined ? state.financeContact : command.financeContact;
  if (samePerson(client, state.client) && samePerson(financeContact, state.financeContact)) return [];
  return [event('ClientContactsChanged', { client, financeContact: financeContact ?? null, changedAt: command.now })];
}

function holidaysChanged(command: CommandOf<'UpdateProjectSettings'>, state: ProjectState): Change {
  if (command.holidays === undefined) return [];
  const holidays = checkedHolidays(command.holidays);
  if (holidays.join() === state.holidays.join()) return [];
  return [
    event('ProjectHolidaysChanged', {
      holidays,
      milestonesMoved: milestonesMoved(state, holidays),
      changedAt: command.now,
    }),
  ];
}

/** Milestones moved by signed orders count their shift in working days: a new calendar can move their current date. */
function milestonesMoved(state: ProjectState, holidays: readonly string[]): MilestoneMove[] {
  const before = calendarOf(state);
  const after = new WorkingCalendar(holidays);
  return [...state.milestones.values()]
    .map((m) => ({
      milestone: m.ref,
      dueBefore: before.addWorkingDays(m.due, m.shift),
      dueAfter: after.addWorkingDays(m.due, m.shift),
    }))
    .filter((move) => move.dueBefore !== move.dueAfter);
}

function ratesChanged(command: CommandOf<'UpdateProjectSettings'>, state: ProjectState): Change {
  if (command.rates === undefined) return [];
  const rates = checkedRates(command.rates);
  const same = rates.length === state.rates.size && rates.every(([role, rate]) => state.rates.get(role) === rate);
  return same ? [] : [event('ProjectRatesChanged', { rates: Object.fromEntries(rates), changedAt: command.now })];
}

function defaultExpiryChanged(command: CommandOf<'UpdateProjectSettings'>, state: ProjectState): Change {
  const { defaultExpiryDays } = command;
  if (defaultExpiryDays === undefined || defaultExpiryDays === (state.defaultExpiryDays ?? null)) return [];
  if (
    defaultExpiryDays !== null &&
    (!Number.isInteger(defaultExpiryDays) || defaultExpiryDays < 1 || defaultExpiryDays > 365)
  )
    throw invalid('The default expiry must be between 1 and 365 days', 'defaultExpiryDays');
  return [event('DefaultExpiryChanged', { defaultExpiryDays, changedAt: command.now })];
}

function timeZoneChanged(command: CommandOf<'UpdateProjectSettings'>, state: ProjectState): Change {
  if (command.timeZone === undefined) return [];
  const timeZone = command.timeZone === null ? null : canonicalTimeZone(command.timeZone);
  if (command.timeZone !== null && timeZone === null)
    throw invalid('The time zone must be an IANA name such as Europe/Berlin', 'timeZone');
  if (timeZone === (state.timeZone ?? null)) return [];
  return [event('ProjectTimeZoneChanged', { timeZone, changedAt: command.now })];
}

function samePerson(a: Person | null | undefined, b: Person | null | undefined): boolean {
  return (a ?? undefined)?.name === (b ?? undefined)?.name && (a ?? undefined)?.email === (b ?? undefined)?.email;
}

/** Closing stops new requests and orders; orders already issued can still be signed or declined. */
export function closeProject(command: CommandOf<'CloseProject'>, state: ProjectState): ProjectEvent[] {
  if (state.status !== 'open') throw conflict(`Project ${state.name} is already ${state.status}`);
  return [event('ProjectClosed', { closedAt: command.now })];
}

/** Reopening a closed or archived project: it takes requests and orders again and shows in the portfolio. */
export function reopenProject(command: CommandOf<'ReopenProject'>, state: ProjectState): ProjectEvent[] {
  if (state.status === 'open') throw conflict(`Project ${state.name} is open`);
  return [event('ProjectReopened', { reopenedAt: command.now })];
}

/** Archiving hides a closed project from the portfolio; reopening brings it back. */
export function archiveProject(command: CommandOf<'ArchiveProject'>, state: ProjectState): ProjectEvent[] {
  if (state.status === 'archived') throw conflict(`Project ${state.name} is already archived`);
  if (state.status !== 'closed') throw conflict(`Project ${state.name} is open; close it before archiving it`);
  return [event('ProjectArchived', { archivedAt: command.now })];
}

/** Why a closed or archived project refuses new work: "Project X is closed; reopen it to log change requests". */
export function closedProjectRefusal(state: ProjectState, toDo: string): DomainError | undefined {
  if (state.status === 'open' || state.status === undefined) return undefined;
  return conflict(`Project ${state.name} is ${state.status}; reopen it to ${toDo}`);
}
