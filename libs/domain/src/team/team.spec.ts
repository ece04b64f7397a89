import { deciderSpecification } from '../testing/decider-specification';
import { TeamCommand } from './commands';
import { decideTeam } from './decide';
import { TeamEvent, teamEvent } from './events';
import { assignmentRefusal } from './decide';
import { currentMembers, foldTeam } from './state';

const NOW = '2026-03-02T09:00:00.000Z';
const LATER = '2026-03-03T09:00:00.000Z';

const ada = { personId: 'P-1', name: 'Ada Quinn', role: 'Network engineer', weeklyCapacityCentiHours: 4000 };
const adaAdded = teamEvent('TeamMemberAdded', { ...ada, email: 'ada@msp.example', addedAt: NOW });
const ben = { personId: 'P-2', name: 'Ben Okafor', role: 'Architect', weeklyCapacityCentiHours: 3200 };
const benAdded = teamEvent('TeamMemberAdded', { ...ben, addedAt: NOW });
const adaLeft = teamEvent('TeamMemberLeft', { personId: 'P-1', leftAt: LATER });

const given = deciderSpecification<TeamCommand, TeamEvent, ReturnType<typeof foldTeam>>(decideTeam, (events) =>
  foldTeam(events),
);

describe('the team', () => {
  it('adds people as P-1, P-2 with their role and weekly capacity in hundredths of an hour', () => {
    given([])
      .when({
        type: 'AddTeamMember',
        now: NOW,
        name: ' Ada Quinn ',
        email: 'Ada@MSP.example',
        role: 'Network engineer',
        weeklyCapacityHours: 40,
      })
      .then([adaAdded]);
    given([adaAdded])
      .when({ type: 'AddTeamMember', now: NOW, name: 'Ben Okafor', role: 'Architect', weeklyCapacityHours: 32 })
      .then([benAdded]);
  });

  it('refuses a capacity of more than two decimals or above a week, and an email a colleague already has', () => {
    const add = { type: 'AddTeamMember' as const, now: NOW, name: 'Cy', role: 'Technician', weeklyCapacityHours: 40 };
    given([])
      .when({ ...add, weeklyCapacityHours: 37.125 })
      .thenThrows('invalid', 'two decimals', 'weeklyCapacityHours');
    given([])
      .when({ ...add, weeklyCapacityHours: 169 })
      .thenThrows('invalid', 'at most 168', 'weeklyCapacityHours');
    given([])
      .when({ ...add, role: '  ' })
      .thenThrows('invalid', 'needs a role', 'role');
    given([adaAdded])
      .when({ ...add, email: 'ada@msp.example' })
      .thenThrows('conflict', 'already the email of Ada Quinn (P-1)', 'email');
  });

  it('updates a person with the whole person after the change, and appends nothing when nothing changes', () => {
    given([adaAdded])
      .when({ type: 'UpdateTeamMember', now: LATER, personId: 'P-1', weeklyCapacityHours: 32, email: null })
      .then([teamEvent('TeamMemberUpdated', { ...ada, weeklyCapacityCentiHours: 3200, updatedAt: LATER })]);
    given([adaAdded]).when({ type: 'UpdateTeamMember', now: LATER, personId: 'P-1', name: 'Ada Quinn' }).then([]);
  });

  it('records a leaver, who can then take no work, time off or reactive work', () => {
    given([adaAdded]).when({ type: 'RemoveTeamMember', now: LATER, personId: 'P-1' }).then([adaLeft]);
    const state = foldTeam([adaAdded, benAdded, adaLeft]);
    expect(currentMembers(state).map((p) => p.personId)).toEqual(['P-2']);
    expect(assignmentRefusal(state, 'P-1')?.message).toBe(
      'Ada Quinn (P-1) left the team; work cannot be assigned to them',
    );
    expect(assignmentRefusal(state, 'P-7')?.message).toBe('Person P-7 is not on the team');
    expect(assignmentRefusal(state, 'P-2')).toBeUndefined();
    given([adaAdded, adaLeft])
      .when({ type: 'BookTimeOff', now: LATER, personId: 'P-1', from: '2026-03-09', to: '2026-03-09' })
      .thenThrows('conflict', 'left the team and cannot be given time off');
    given([]).when({ type: 'RemoveTeamMember', now: LATER, personId: 'P-1' }).thenThrows('not_found', 'Person P-1');
  });

  it('books time off from one day to another inclusive, refuses overlaps, and cancels a booking', () => {
    const booked = teamEvent('TimeOffBooked', {
      timeOffId: 'T-1',
      personId: 'P-1',
      from: '2026-03-09',
      to: '2026-03-10',
      note: 'Dentist',
      bookedAt: LATER,
    });
    given([adaAdded])
      .when({ type: 'BookTimeOff', now: LATER, personId: 'P-1', from: '2026-03-09', to: '2026-03-10', note: 'Dentist' })
      .then([booked]);
    given([adaAdded, booked])
      .when({ type: 'BookTimeOff', now: LATER, personId: 'P-1', from: '2026-03-10', to: '2026-03-12' })
      .thenThrows('conflict', 'Ada Quinn already has time off 2026-03-09 to 2026-03-10 (T-1)');
    given([adaAdded])
      .when({ type: 'BookTimeOff', now: LATER, personId: 'P-1', from: '2026-03-10', to: '2026-03-09' })
      .thenThrows('invalid', 'cannot end (2026-03-09) before it begins (2026-03-10)', 'to');
    given([adaAdded, booked])
      .when({ type: 'CancelTimeOff', now: LATER, personId: 'P-1', timeOffId: 'T-1' })
      .then([teamEvent('TimeOffCancelled', { timeOffId: 'T-1', personId: 'P-1', cancelledAt: LATER })]);
    given([adaAdded, benAdded, booked])
      .when({ type: 'CancelTimeOff', now: LATER, personId: 'P-2', timeOffId: 'T-1' })
      .thenThrows('not_found', 'Ben Okafor has no time off T-1');
  });

  it('logs reactive work against the Monday of its week, and says which Monday when given another day', () => {
    given([adaAdded])
      .when({ type: 'LogReactiveWork', now: LATER, personId: 'P-1', weekOf: '2026-03-09', hours: 6, kind: 'outage' })
      .then([
        teamEvent('ReactiveWorkLogged', {
          entryId: 'R-1',
          personId: 'P-1',
          weekOf: '2026-03-09',
          centiHours: 600,
          kind: 'outage',
          loggedAt: LATER,
        }),
      ]);
    given([adaAdded])
      .when({ type: 'LogReactiveWork', now: LATER, personId: 'P-1', weekOf: '2026-03-11', hours: 6, kind: 'ticket' })
      .thenThrows('invalid', '2026-03-11 is a Wednesday; its week begins 2026-03-09', 'weekOf');
    given([adaAdded])
      .when({ type: 'LogReactiveWork', now: LATER, personId: 'P-1', weekOf: '2026-03-09', hours: 0, kind: 'ticket' })
      .thenThrows('invalid', 'more than 0', 'hours');
  });

  it('keeps names and roles that look like object members as plain text', () => {
    const state = foldTeam([
      teamEvent('TeamMemberAdded', { ...ada, name: '__proto__', role: 'constructor', addedAt: NOW }),
    ]);
    expect(state.people.get('P-1')?.role).toBe('constructor');
    expect(state.people.get('toString')).toBeUndefined();
  });
});
