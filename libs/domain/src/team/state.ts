import { IsoDate } from '../shared/calendar';
import { CentiHours } from '../shared/money';
import { ReactiveKind, TeamEvent, TeamMember } from './events';

export interface TimeOff {
  readonly timeOffId: string;
  readonly personId: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly note?: string;
  readonly bookedAt: string;
  readonly cancelledAt?: string;
}

export interface ReactiveEntry {
  readonly entryId: string;
  readonly personId: string;
  readonly weekOf: IsoDate;
  readonly centiHours: CentiHours;
  readonly kind: ReactiveKind;
  readonly note?: string;
  readonly loggedAt: string;
}

export interface TeamPerson extends TeamMember {
  readonly addedAt: string;
  readonly updatedAt?: string;
  readonly leftAt?: string;
}

/** People by id in the order added; time off and reactive work by id in the order recorded, cancelled time off kept. */
export interface TeamState {
  readonly people: ReadonlyMap<string, TeamPerson>;
  readonly timeOff: ReadonlyMap<string, TimeOff>;
  readonly reactive: ReadonlyMap<string, ReactiveEntry>;
}

export const initialTeamState: TeamState = { people: new Map(), timeOff: new Map(), reactive: new Map() };

/** Roles match regardless of letter case and surrounding spaces: "network engineer" is "Network engineer". */
export function roleKey(role: string): string {
  return role.trim().toLowerCase();
}

/** The people still on the team, in the order they were added. */
export function currentMembers(state: TeamState): TeamPerson[] {
  return [...state.people.values()].filter((p) => p.leftAt === undefined);
}

export function evolveTeam(state: TeamState, event: TeamEvent): TeamState {
  switch (event.type) {
    case 'TeamMemberAdded': {
      const { addedAt, ...member } = event.data;
      return { ...state, people: withEntry(state.people, member.personId, { ...member, addedAt }) };
    }
    case 'TeamMemberUpdated': {
      const { updatedAt, ...member } = event.data;
      const { email: _email, ...existing } = required(state.people, member.personId, 'person');
      return { ...state, people: withEntry(state.people, member.personId, { ...existing, ...member, updatedAt }) };
    }
    case 'TeamMemberLeft': {
      const existing = required(state.people, event.data.personId, 'person');
      return {
        ...state,
        people: withEntry(state.people, existing.personId, { ...existing, leftAt: event.data.leftAt }),
      };
    }
    case 'TimeOffBooked': {
      const { bookedAt, note, ...booked } = event.data;
      const timeOff = { ...booked, ...(note ? { note } : {}), bookedAt };
      return { ...state, timeOff: withEntry(state.timeOff, booked.timeOffId, timeOff) };
    }
    case 'TimeOffCancelled': {
      const existing = required(state.timeOff, event.data.timeOffId, 'time off');
      const cancelled = { ...existing, cancelledAt: event.data.cancelledAt };
      return { ...state, timeOff: withEntry(state.timeOff, existing.timeOffId, cancelled) };
    }
    case 'ReactiveWorkLogged': {
      const { note, ...logged } = event.data;
      const entry = { ...logged, ...(note ? { note } : {}) };
      return { ...state, reactive: withEntry(state.reactive, logged.entryId, entry) };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function foldTeam(events: Iterable<TeamEvent>, from = initialTeamState): TeamState {
  let state = from;
  for (const event of events) state = evolveTeam(state, event);
  return state;
}

function withEntry<T>(records: ReadonlyMap<string, T>, key: string, value: T): Map<string, T> {
  return new Map(records).set(key, value);
}

function required<T>(records: ReadonlyMap<string, T>, key: string, what: string): T {
  const record = records.get(key);
  if (record === undefined) throw new Error(`The team has no ${what} ${key}`);
  return record;
}
