import {
  any,
  boolean,
  commandAnswer,
  date,
  dateTime,
  list,
  named,
  nullable,
  number,
  object,
  text,
} from '../http/answers';

/** The answers of the team and capacity routes. */

const asOf = nullable({ ...dateTime, description: 'the moment asked for with ?asOf=, or null for now' });

export const TeamPerson = named(
  'TeamPerson',
  object({
    personId: { type: 'string', example: 'P-3' },
    name: text,
    email: nullable({ type: 'string', format: 'email' }),
    role: text,
    weeklyCapacityHours: number,
    left: boolean,
    addedAt: dateTime,
    updatedAt: nullable(dateTime),
    leftAt: nullable(dateTime),
    timeOff: list(
      object({
        timeOffId: text,
        from: date,
        to: date,
        note: nullable(text),
        cancelled: boolean,
        bookedAt: dateTime,
        cancelledAt: nullable(dateTime),
      }),
    ),
  }),
);

export const TeamCommandAnswer = named(
  'TeamCommandAnswer',
  commandAnswer({ person: TeamPerson, entryId: text }, ['entryId']),
);

export const ReactiveWork = named(
  'ReactiveWork',
  object({
    personId: text,
    entries: list(
      object({ entryId: text, weekOf: date, hours: number, kind: text, note: nullable(text), loggedAt: dateTime }),
    ),
    totalHours: number,
  }),
);

export const CapacityPlan = named(
  'CapacityPlan',
  object({
    from: date,
    weeks: list(date),
    people: list(any),
    unassigned: list(object({ role: text, weeks: list(object({ weekOf: date, hours: number })), hours: number })),
    reactive: object({ perPerson: list(any), byKind: any, total: number }),
    asOf,
  }),
);

export const CapacityCell = named(
  'CapacityCell',
  object({
    personId: text,
    name: text,
    role: text,
    weekOf: date,
    week: nullable({ type: 'object' }),
    cards: list(any),
    asOf,
  }),
);

export const CapacityImpact = named('CapacityImpact', {
  type: 'object',
  description: "what signing would do to capacity: the project's end before and after, and the cards it admits",
  required: ['projectId', 'from', 'end', 'cards'],
  properties: {
    changeRequest: text,
    changeOrder: text,
    projectId: { type: 'string', format: 'uuid' },
    from: date,
    end: object({ before: nullable(date), after: nullable(date) }),
    cards: list(any),
  },
});
