import { event } from '../project/events';
import { foldEvents } from '../project/state';
import { DomainError } from '../shared/domain-error';
import { assessed, CR_1, CR_2, CR_3 } from '../testing/project.fixture';
import { teamEvent } from '../team/events';
import { foldTeam } from '../team/state';
import { capacityPlan } from './capacity';
import { planningInputOf } from './planning-input';
import { assignedByRole, capacityImpact, projectIfSigned } from './what-if';

/**
 * The Microsoft 365 migration of the project fixture: start Monday 2 March 2026, Good Friday 3 April a holiday,
 * last milestone M3 due Friday 10 April. Its cards: C-1 mailboxes (technician, 40 h), C-2 Intune (engineer,
 * 12.5 h), C-3 backup appliance (engineer, 4 h). On Monday 30 March the window to M3 holds Mon 30 … Thu 2 and
 * Mon 6 … Fri 10: 9 working days.
 */
const NOW = '2026-03-30T09:00:00.000Z';
const ADDED = '2026-03-01T09:00:00.000Z';
const person = (personId: string, name: string, role: string) =>
  teamEvent('TeamMemberAdded', { personId, name, role, weeklyCapacityCentiHours: 4000, addedAt: ADDED });
const team = foldTeam([
  person('P-1', 'Tess', 'technician'),
  person('P-2', 'Ari', 'Architect'),
  person('P-3', 'Abe', 'architect'),
]);
const project = foldEvents([
  ...assessed,
  event('BoardCardAssigned', { cardId: 'C-1', personId: 'P-1', assignedAt: '2026-03-05T09:00:00.000Z' }),
]);

function planOf(state: typeof project, added: ReadonlySet<string> = new Set()) {
  const { project: planned, cards } = planningInputOf(state);
  const input = { now: NOW, from: '2026-03-30', weeks: 3, team, projects: [planned], cards };
  return capacityPlan({ ...input, cards: assignedByRole(cards, added, team) });
}
const loadOf = (plan: ReturnType<typeof planOf>, personId: string) =>
  plan.people.find((p) => p.personId === personId)!.weeks.map((w) => w.loadHours);

describe('what signing would do to capacity', () => {
  it('replans existing cards over a later end and splits a new card evenly between the people of its role', () => {
    // CR-1 adds SI-4 (architect, 6 h) and moves M2, and so M3, by two working days: to Tuesday 14 April.
    const signed = projectIfSigned(project, { requestId: CR_1 }, NOW)!;
    expect(planningInputOf(signed.state).project.end).toBe('2026-04-14');
    expect([...signed.addedCards]).toEqual(['C-4']);
    const before = planOf(project);
    const after = planOf(signed.state, signed.addedCards);
    // Before: 40 h over 9 days; 4 of them this week: 17.78, then 22.22.
    expect(loadOf(before, 'P-1')).toEqual([17.78, 22.22, 0]);
    // After: 11 days; 40 × 4 / 11 = 14.55; through the 9th day 32.73, so 18.18; then 7.27.
    expect(loadOf(after, 'P-1')).toEqual([14.55, 18.18, 7.27]);
    // 6 h split between Ari and Abe, 3 h each over 11 days: 1.09, then 2.45 − 1.09 = 1.36, then 0.55.
    expect(loadOf(after, 'P-2')).toEqual([1.09, 1.36, 0.55]);
    expect(loadOf(after, 'P-3')).toEqual([1.09, 1.36, 0.55]);
    // The project itself is unchanged: the what-if folds a copy.
    expect(project.cards.has('C-4')).toBe(false);
  });

  it('changes a modified card’s estimate and keeps its assignee, naming the weeks that go over', () => {
    // CR-2 makes SI-1 48.25 h: 48.25 × 4 / 9 = 21.44 this week, 26.81 the next.
    const signed = projectIfSigned(project, { requestId: CR_2 }, NOW)!;
    expect(signed.state.cards.get('C-1')).toMatchObject({ estimateCentiHours: 4825, assignee: 'P-1' });
    const before = planOf(project);
    const after = planOf(signed.state, signed.addedCards);
    expect(loadOf(after, 'P-1')).toEqual([21.44, 26.81, 0]);
    const impact = capacityImpact(before, after);
    expect(impact.changes.map((c) => [c.personId, c.weekOf, c.loadHoursBefore, c.loadHoursAfter])).toEqual([
      ['P-1', '2026-03-30', 17.78, 21.44],
      ['P-1', '2026-04-06', 22.22, 26.81],
    ]);
    // 40 h of capacity a week: nobody goes over.
    expect(impact.goingOver).toEqual([]);
  });

  it('takes a removed card out of the unassigned demand of its role', () => {
    // CR-3 removes SI-3: its card C-3 (engineer, 4 h, nobody on the team is an engineer) is cancelled.
    const signed = projectIfSigned(project, { requestId: CR_3 }, NOW)!;
    expect(signed.state.cards.get('C-3')?.cancelled).toBe(true);
    const impact = capacityImpact(planOf(project), planOf(signed.state, signed.addedCards));
    // Over 9 days, C-2's 12.5 h give 5.56 this week and 6.94 the next; C-3's 4 h 1.78 and 2.22.
    expect(impact.unassigned).toEqual([
      { role: 'engineer', weekOf: '2026-03-30', hoursBefore: 7.34, hoursAfter: 5.56 },
      { role: 'engineer', weekOf: '2026-04-06', hoursBefore: 9.16, hoursAfter: 6.94 },
    ]);
  });

  it('is refused for a request that is not assessed', () => {
    const declined = foldEvents([
      ...assessed,
      event('ChangeRequestDeclined', {
        changeRequestId: CR_1,
        reason: 'Out of scope',
        category: 'out_of_scope',
        declinedAt: NOW,
      }),
    ]);
    expect(() => projectIfSigned(declined, { requestId: CR_1 }, NOW)).toThrow(DomainError);
  });
});
