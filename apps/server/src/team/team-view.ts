import { TeamPerson, TeamState } from '@scope-ledger/domain';

const hours = (centi: number) => centi / 100;

/** A person as staff read them, with their time off (cancelled bookings marked) in the order booked. */
export function personView(state: TeamState, person: TeamPerson) {
  return {
    personId: person.personId,
    name: person.name,
    email: person.email ?? null,
    role: person.role,
    weeklyCapacityHours: hours(person.weeklyCapacityCentiHours),
    left: person.leftAt !== undefined,
    addedAt: person.addedAt,
    updatedAt: person.updatedAt ?? null,
    leftAt: person.leftAt ?? null,
    timeOff: [...state.timeOff.values()]
      .filter((t) => t.personId === person.personId)
      .map((t) => ({
        timeOffId: t.timeOffId,
        from: t.from,
        to: t.to,
        note: t.note ?? null,
        cancelled: t.cancelledAt !== undefined,
        bookedAt: t.bookedAt,
        cancelledAt: t.cancelledAt ?? null,
      })),
  };
}

export type PersonView = ReturnType<typeof personView>;

/** People in the order added; those who left only when asked for. */
export function teamView(state: TeamState, { left = false } = {}): PersonView[] {
  return [...state.people.values()].filter((p) => left || p.leftAt === undefined).map((p) => personView(state, p));
}

/** A person's reactive work, newest week first, within [from, to] when given. */
export function reactiveWorkView(state: TeamState, personId: string, range: { from?: string; to?: string } = {}) {
  const entries = [...state.reactive.values()]
    .filter((e) => e.personId === personId)
    .filter((e) => (!range.from || e.weekOf >= range.from) && (!range.to || e.weekOf <= range.to))
    .sort((a, b) => (a.weekOf < b.weekOf ? 1 : a.weekOf > b.weekOf ? -1 : 0));
  return {
    personId,
    entries: entries.map((e) => ({
      entryId: e.entryId,
      weekOf: e.weekOf,
      hours: hours(e.centiHours),
      kind: e.kind,
      note: e.note ?? null,
      loggedAt: e.loggedAt,
    })),
    totalHours: hours(entries.reduce((sum, e) => sum + e.centiHours, 0)),
  };
}
