import { IsoDate } from '../shared/calendar';
import { CentiHours } from '../shared/money';

/** What pulled a person off project work: a support ticket, an outage, or anything else. */
export type ReactiveKind = 'ticket' | 'outage' | 'other';
export const REACTIVE_KINDS: readonly ReactiveKind[] = ['ticket', 'outage', 'other'];

/** A person who delivers project work, as the team knows them. */
export interface TeamMember {
  /** P-1, P-2, … in the order people were added. */
  readonly personId: string;
  readonly name: string;
  /** Links the person to a staff account later; absent: none given. */
  readonly email?: string;
  /** The delivery role, in the words of the projects' rate cards ("Network engineer"). */
  readonly role: string;
  /** Hours a normal week holds for project and reactive work together. */
  readonly weeklyCapacityCentiHours: CentiHours;
}

/** Every fact in the stream `team`. TeamMemberUpdated carries the person as they stand after the change. */
export interface TeamEventMap {
  TeamMemberAdded: TeamMember & { addedAt: string };
  TeamMemberUpdated: TeamMember & { updatedAt: string };
  TeamMemberLeft: { personId: string; leftAt: string };
  /** Days away from work, `from` to `to` inclusive (calendar dates). */
  TimeOffBooked: { timeOffId: string; personId: string; from: IsoDate; to: IsoDate; note?: string; bookedAt: string };
  TimeOffCancelled: { timeOffId: string; personId: string; cancelledAt: string };
  /** Hours of unplanned work taken from the person in the week beginning weekOf (a Monday). */
  ReactiveWorkLogged: {
    entryId: string;
    personId: string;
    weekOf: IsoDate;
    centiHours: CentiHours;
    kind: ReactiveKind;
    note?: string;
    loggedAt: string;
  };
}

export type TeamEventType = keyof TeamEventMap;

export type TeamEvent = { [K in TeamEventType]: { readonly type: K; readonly data: TeamEventMap[K] } }[TeamEventType];

export const TEAM_STREAM_ID = 'team';

export const TEAM_SCHEMA_VERSIONS: { readonly [K in TeamEventType]: number } = {
  TeamMemberAdded: 1,
  TeamMemberUpdated: 1,
  TeamMemberLeft: 1,
  TimeOffBooked: 1,
  TimeOffCancelled: 1,
  ReactiveWorkLogged: 1,
};

export function teamEvent<K extends TeamEventType>(type: K, data: TeamEventMap[K]): Extract<TeamEvent, { type: K }> {
  return { type, data } as Extract<TeamEvent, { type: K }>;
}

/** A stored event as the team reads it: undefined for types it does not know. */
export function toTeamEvent(type: string, data: unknown): TeamEvent | undefined {
  if (!Object.hasOwn(TEAM_SCHEMA_VERSIONS, type)) return undefined;
  return { type, data } as TeamEvent;
}
