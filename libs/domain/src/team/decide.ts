import { calendarDaysBetween, isIsoDate, isoWeekday, mondayOf } from '../shared/calendar';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { formatHours, toCentiHours } from '../shared/money';
import { TeamCommand, TeamCommandOf } from './commands';
import { REACTIVE_KINDS, TeamEvent, teamEvent, TeamMember } from './events';
import { TeamPerson, TeamState } from './state';

const MAX_NAME_LENGTH = 200;
const MAX_ROLE_LENGTH = 100;
const MAX_NOTE_LENGTH = 2000;
/** A week holds 168 hours; no capacity or week's reactive work is more. */
const MAX_WEEK_CENTI_HOURS = 16_800;
/** One booking covers at most a year: longer absences are a person leaving. */
const MAX_TIME_OFF_DAYS = 366;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function decideTeam(command: TeamCommand, state: TeamState): TeamEvent[] {
  switch (command.type) {
    case 'AddTeamMember':
      return addTeamMember(command, state);
    case 'UpdateTeamMember':
      return updateTeamMember(command, state);
    case 'RemoveTeamMember':
      return removeTeamMember(command, state);
    case 'BookTimeOff':
      return bookTimeOff(command, state);
    case 'CancelTimeOff':
      return cancelTimeOff(command, state);
    case 'LogReactiveWork':
      return logReactiveWork(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`Unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

function addTeamMember(command: TeamCommandOf<'AddTeamMember'>, state: TeamState): TeamEvent[] {
  const personId = `P-${state.people.size + 1}`;
  const { name, email, role } = command;
  const member = checkedMember(state, {
    personId,
    name,
    role,
    ...(email ? { email } : {}),
    weeklyCapacityCentiHours: weeklyCapacity(command.weeklyCapacityHours),
  });
  return [teamEvent('TeamMemberAdded', { ...member, addedAt: command.now })];
}

function updateTeamMember(command: TeamCommandOf<'UpdateTeamMember'>, state: TeamState): TeamEvent[] {
  const existing = currentPerson(state, command.personId, 'changed');
  const { personId, name, role, email, weeklyCapacityCentiHours } = existing;
  const member = checkedMember(state, {
    personId,
    name: command.name ?? name,
    role: command.role ?? role,
    ...(command.email === null ? {} : command.email ? { email: command.email } : email ? { email } : {}),
    weeklyCapacityCentiHours:
      command.weeklyCapacityHours === undefined
        ? weeklyCapacityCentiHours
        : weeklyCapacity(command.weeklyCapacityHours),
  });
  const same =
    member.name === name &&
    member.role === role &&
    member.email === email &&
    member.weeklyCapacityCentiHours === weeklyCapacityCentiHours;
  if (same) return [];
  return [teamEvent('TeamMemberUpdated', { ...member, updatedAt: command.now })];
}

function removeTeamMember(command: TeamCommandOf<'RemoveTeamMember'>, state: TeamState): TeamEvent[] {
  const person = currentPerson(state, command.personId, 'removed again');
  return [teamEvent('TeamMemberLeft', { personId: person.personId, leftAt: command.now })];
}

function bookTimeOff(command: TeamCommandOf<'BookTimeOff'>, state: TeamState): TeamEvent[] {
  const person = currentPerson(state, command.personId, 'given time off');
  const { from, to } = command;
  if (!isIsoDate(from)) throw invalid('from must be a calendar date (YYYY-MM-DD)', 'from');
  if (!isIsoDate(to)) throw invalid('to must be a calendar date (YYYY-MM-DD)', 'to');
  if (to < from) throw invalid(`Time off cannot end (${to}) before it begins (${from})`, 'to');
  if (calendarDaysBetween(from, to) + 1 > MAX_TIME_OFF_DAYS)
    throw invalid(`One booking covers at most ${MAX_TIME_OFF_DAYS} days`, 'to');
  const overlapping = [...state.timeOff.values()].find(
    (t) => t.personId === person.personId && !t.cancelledAt && t.from <= to && from <= t.to,
  );
  if (overlapping)
    throw conflict(
      `${person.name} already has time off ${overlapping.from} to ${overlapping.to} (${overlapping.timeOffId}); ` +
        'cancel it or book the days around it',
    );
  const note = checkedNote(command.note);
  const timeOffId = `T-${state.timeOff.size + 1}`;
  return [
    teamEvent('TimeOffBooked', {
      timeOffId,
      personId: person.personId,
      from,
      to,
      ...(note ? { note } : {}),
      bookedAt: command.now,
    }),
  ];
}

function cancelTimeOff(command: TeamCommandOf<'CancelTimeOff'>, state: TeamState): TeamEvent[] {
  const person = requirePerson(state, command.personId);
  const booking = state.timeOff.get(command.timeOffId);
  if (!booking || booking.personId !== person.personId)
    throw notFound(`${person.name} has no time off ${command.timeOffId}`);
  if (booking.cancelledAt) throw conflict(`Time off ${booking.timeOffId} was already cancelled`);
  return [
    teamEvent('TimeOffCancelled', {
      timeOffId: booking.timeOffId,
      personId: person.personId,
      cancelledAt: command.now,
    }),
  ];
}

function logReactiveWork(command: TeamCommandOf<'LogReactiveWork'>, state: TeamState): TeamEvent[] {
  const person = currentPerson(state, command.personId, 'given reactive work');
  if (!isIsoDate(command.weekOf)) throw invalid('weekOf must be a calendar date (YYYY-MM-DD)', 'weekOf');
  if (isoWeekday(command.weekOf) !== 1) {
    const day = `${command.weekOf} is a ${WEEKDAYS[isoWeekday(command.weekOf) - 1]}`;
    throw invalid(
      `weekOf must be the Monday that begins the week: ${day}; its week begins ${mondayOf(command.weekOf)}`,
      'weekOf',
    );
  }
  const centiHours = toCentiHours(command.hours);
  if (centiHours === undefined || centiHours <= 0 || centiHours > MAX_WEEK_CENTI_HOURS)
    throw invalid('Hours must be more than 0 and at most 168, with at most two decimals', 'hours');
  if (!REACTIVE_KINDS.includes(command.kind)) throw invalid(`Kind must be one of ${REACTIVE_KINDS.join(', ')}`, 'kind');
  const note = checkedNote(command.note);
  const entryId = `R-${state.reactive.size + 1}`;
  return [
    teamEvent('ReactiveWorkLogged', {
      entryId,
      personId: person.personId,
      weekOf: command.weekOf,
      centiHours,
      kind: command.kind,
      ...(note ? { note } : {}),
      loggedAt: command.now,
    }),
  ];
}

/** The person by id; one who left is still found (for their history) but refused here. */
function currentPerson(state: TeamState, personId: string, toDo: string): TeamPerson {
  const person = requirePerson(state, personId);
  if (person.leftAt) throw conflict(`${person.name} (${person.personId}) left the team and cannot be ${toDo}`);
  return person;
}

function requirePerson(state: TeamState, personId: string): TeamPerson {
  const person = state.people.get(personId);
  if (!person) throw notFound(`Person ${personId} is not on the team`);
  return person;
}

/**
 * Whether work can be given to `personId`: someone on the team now. The project's command path asks this of the
 * team stream before it decides an assignment, which the project's own decider cannot see.
 */
export function assignmentRefusal(state: TeamState, personId: string) {
  const person = state.people.get(personId);
  if (!person) return invalid(`Person ${personId} is not on the team`, 'personId');
  if (person.leftAt)
    return conflict(`${person.name} (${person.personId}) left the team; work cannot be assigned to them`);
  return undefined;
}

function weeklyCapacity(hours: number): number {
  const centiHours = toCentiHours(hours);
  if (centiHours === undefined || centiHours <= 0 || centiHours > MAX_WEEK_CENTI_HOURS)
    throw invalid(
      'Weekly capacity must be more than 0 and at most 168 hours, with at most two decimals',
      'weeklyCapacityHours',
    );
  return centiHours;
}

function checkedMember(state: TeamState, member: TeamMember): TeamMember {
  const name = member.name.trim();
  if (!name || name.length > MAX_NAME_LENGTH) throw invalid('A person needs a name of at most 200 characters', 'name');
  const role = member.role.trim();
  if (!role || role.length > MAX_ROLE_LENGTH) throw invalid('A person needs a role of at most 100 characters', 'role');
  const email = member.email?.trim().toLowerCase();
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid('email must be an email address', 'email');
  const taken =
    email && [...state.people.values()].find((p) => p.personId !== member.personId && !p.leftAt && p.email === email);
  if (taken) throw conflict(`${email} is already the email of ${taken.name} (${taken.personId})`, 'email');
  if (member.weeklyCapacityCentiHours > MAX_WEEK_CENTI_HOURS)
    throw invalid(`Weekly capacity is at most ${formatHours(MAX_WEEK_CENTI_HOURS)} hours`, 'weeklyCapacityHours');
  return {
    personId: member.personId,
    name,
    ...(email ? { email } : {}),
    role,
    weeklyCapacityCentiHours: member.weeklyCapacityCentiHours,
  };
}

function checkedNote(note: string | undefined): string | undefined {
  const text = note?.trim();
  if (text && text.length > MAX_NOTE_LENGTH) throw invalid('A note is at most 2000 characters', 'note');
  return text || undefined;
}
