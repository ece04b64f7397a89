import { teamEvent } from '../team/events';
import { foldTeam } from '../team/state';
import { capacityCell, capacityPlan, CapacityInput, planCards, PlanningCard, PlanningProject } from './capacity';

// Wednesday 4 March 2026, morning in UTC.
const NOW = '2026-03-04T09:00:00.000Z';

/**
 * Fibre cut-over: Friday 6 March is a holiday. From today (Wed 4) to its end, Monday 16 March, the working days are
 * Wed 4, Thu 5, Mon 9 … Fri 13 and Mon 16: 8 days, so a 30 h card plans 3.75 h a day.
 */
const cutOver: PlanningProject = {
  projectId: 'fibre',
  name: 'Fibre cut-over',
  startDate: '2026-03-02',
  holidays: ['2026-03-06'],
  end: '2026-03-16',
};
/** Firewall refresh ends Friday 13 March, no holidays: Wed 4 to Fri 13 is 8 working days. */
const firewall: PlanningProject = {
  projectId: 'firewall',
  name: 'Firewall refresh',
  startDate: '2026-02-02',
  holidays: [],
  end: '2026-03-13',
};

const card = (projectId: string, cardId: string, estimateHours: number, more: Partial<PlanningCard> = {}) => ({
  projectId,
  cardId,
  title: `Card ${cardId}`,
  role: 'Network engineer',
  estimateCentiHours: estimateHours * 100,
  loggedCentiHours: 0,
  column: 'backlog' as const,
  cancelled: false,
  ...more,
});

const ADDED = '2026-03-01T09:00:00.000Z';
const ada = teamEvent('TeamMemberAdded', {
  personId: 'P-1',
  name: 'Ada Quinn',
  role: 'Network engineer',
  weeklyCapacityCentiHours: 4000,
  addedAt: ADDED,
});
const dayOff = teamEvent('TimeOffBooked', {
  timeOffId: 'T-1',
  personId: 'P-1',
  from: '2026-03-13',
  to: '2026-03-15',
  bookedAt: ADDED,
});
const outage = teamEvent('ReactiveWorkLogged', {
  entryId: 'R-1',
  personId: 'P-1',
  weekOf: '2026-03-09',
  centiHours: 600,
  kind: 'outage',
  loggedAt: ADDED,
});

const input = (cards: PlanningCard[], more: Partial<CapacityInput> = {}): CapacityInput => ({
  now: NOW,
  from: '2026-03-04',
  weeks: 3,
  team: foldTeam([ada, dayOff, outage]),
  projects: [cutOver, firewall],
  cards,
  ...more,
});

describe('planning a card over its project’s working days', () => {
  it('spreads 30 h over 8 working days with a holiday between: 3.75 h a day, weeks of 2, 5 and 1 days', () => {
    const [planned] = planCards(input([card('fibre', 'C-1', 30)]));
    // Week of 2 March: Wed and Thu (Fri is the holiday) = 7.50; week of 9 March: 5 days = 18.75; Mon 16 = 3.75.
    expect(planned.weeks).toEqual([750, 1875, 375]);
    expect(planned.overdue).toBe(false);
  });

  it('plans only what is left: estimate less logged, nothing once done, cancelled or over-logged', () => {
    const cards = [
      card('fibre', 'C-1', 30, { loggedCentiHours: 1400 }),
      card('fibre', 'C-2', 10, { loggedCentiHours: 1200 }),
      card('fibre', 'C-3', 10, { column: 'done' }),
      card('fibre', 'C-4', 10, { cancelled: true }),
    ];
    const planned = planCards(input(cards));
    // 16 h left over 8 days: 2 h a day.
    expect(planned.map((p) => [p.card.cardId, p.weeks])).toEqual([['C-1', [400, 1000, 200]]]);
  });

  it('rounds week by week so the weeks add up to what is left', () => {
    const [planned] = planCards(input([card('firewall', 'C-1', 25)]));
    // 25 h over 8 days: through the first week's 3 days 25 × 3 / 8 = 9.375 → 9.38; the rest, 15.62, the next week.
    expect(planned.weeks).toEqual([938, 1562, 0]);
  });

  it('puts all of an overdue card on today when its project’s end is past', () => {
    const late = { ...firewall, end: '2026-03-03' };
    const [planned] = planCards(input([card('firewall', 'C-1', 12)], { projects: [late] }));
    expect(planned).toMatchObject({ overdue: true, weeks: [1200, 0, 0] });
  });

  it('starts from today in the project’s time zone', () => {
    // 20:00 UTC on Wednesday is Thursday 09:00 in Auckland: Thu 5 … Fri 13 is 7 working days, 1 h each.
    const auckland = { ...firewall, timeZone: 'Pacific/Auckland' };
    const [planned] = planCards(
      input([card('firewall', 'C-1', 7)], { now: '2026-03-04T20:00:00.000Z', projects: [auckland] }),
    );
    expect(planned.weeks).toEqual([200, 500, 0]);
  });

  it('plans a card up to its own milestone’s date, and one naming none up to the project’s last milestone', () => {
    // Firewall refresh with M1 on Mon 9, M2 on Fri 13 and M3, its end, on Fri 20 March; no holidays.
    const milestones = new Map([
      ['M1', '2026-03-09'],
      ['M2', '2026-03-13'],
      ['M3', '2026-03-20'],
    ]);
    const staged = { ...firewall, end: '2026-03-20', milestones };
    const planned = planCards(
      input(
        [
          card('firewall', 'C-1', 10, { milestone: 'M1' }),
          card('firewall', 'C-2', 16, { milestone: 'M2' }),
          card('firewall', 'C-3', 13),
          card('firewall', 'C-4', 13, { milestone: 'M7' }),
        ],
        { projects: [staged] },
      ),
    );
    expect(planned.map((p) => [p.card.cardId, p.end, p.weeks])).toEqual([
      // M1: Wed 4, Thu 5, Fri 6, Mon 9 = 4 working days, 10 h / 4 = 2.5 h a day: 3 days 7.5 h, then Mon 2.5 h.
      ['C-1', '2026-03-09', [750, 250, 0]],
      // M2: Wed 4 … Fri 13 = 8 working days, 16 h / 8 = 2 h a day: 3 days 6 h, then 5 days 10 h.
      ['C-2', '2026-03-13', [600, 1000, 0]],
      // No milestone: Wed 4 … Fri 20 = 13 working days, 13 h / 13 = 1 h a day: 3 h, 5 h, 5 h.
      ['C-3', '2026-03-20', [300, 500, 500]],
      // A milestone the project does not have: planned like one naming none.
      ['C-4', '2026-03-20', [300, 500, 500]],
    ]);
    const cell = capacityCell(
      input([card('firewall', 'C-1', 10, { milestone: 'M1', assignee: 'P-1' })], { projects: [staged] }),
      'P-1',
      '2026-03-09',
    );
    expect(cell).toEqual([
      expect.objectContaining({
        cardId: 'C-1',
        hours: 2.5,
        milestone: 'M1',
        dueBy: '2026-03-09',
        projectEnd: '2026-03-20',
      }),
    ]);
  });

  it('plans nothing for a project without milestones', () => {
    expect(planCards(input([card('fibre', 'C-1', 30)], { projects: [{ ...cutOver, end: null }] }))).toEqual([]);
  });
});

describe('load against capacity', () => {
  it('gives 40 h a week less a day off and 6 h of reactive work 26 h, and flags the week over it', () => {
    const plan = capacityPlan(
      input([card('fibre', 'C-1', 30, { assignee: 'P-1' }), card('firewall', 'C-7', 25, { assignee: 'P-1' })]),
    );
    expect(plan.weeks).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
    const [person] = plan.people;
    // Week of 9 March: 40 × 4 / 5 = 32, less 6 reactive = 26; load 18.75 + 15.62 = 34.37; 34.37 / 26 = 1.32.
    expect(person.weeks[1]).toEqual({
      weekOf: '2026-03-09',
      capacityHours: 26,
      loadHours: 34.37,
      reactiveHours: 6,
      timeOffDays: 1,
      utilisation: 1.32,
      overAllocated: true,
    });
    // Week of 2 March: 7.50 + 9.38 = 16.88 against 40.
    expect(person.weeks[0]).toMatchObject({ capacityHours: 40, loadHours: 16.88, overAllocated: false });
    expect(person.totals).toEqual({
      capacityHours: 106,
      loadHours: 55,
      reactiveHours: 6,
      timeOffDays: 1,
      utilisation: 0.52,
      overAllocatedWeeks: 1,
    });
    expect(plan.reactive).toEqual({
      perPerson: [{ personId: 'P-1', name: 'Ada Quinn', hours: 6 }],
      byKind: { ticket: 0, outage: 6, other: 0 },
      total: 6,
    });
  });

  it('counts cards of no one, or of someone who left, as unassigned demand of their role', () => {
    const left = teamEvent('TeamMemberLeft', { personId: 'P-1', leftAt: ADDED });
    const plan = capacityPlan(
      input(
        [
          card('fibre', 'C-1', 30, { assignee: 'P-1' }),
          card('firewall', 'C-7', 8, { role: 'architect ' }),
          card('firewall', 'C-8', 8, { role: 'Architect' }),
        ],
        { team: foldTeam([ada, left]) },
      ),
    );
    expect(plan.people).toEqual([]);
    expect(plan.unassigned).toEqual([
      {
        role: 'Network engineer',
        weeks: [
          { weekOf: '2026-03-02', hours: 7.5 },
          { weekOf: '2026-03-09', hours: 18.75 },
          { weekOf: '2026-03-16', hours: 3.75 },
        ],
        hours: 30,
      },
      {
        // 16 h over 8 days: 3 days then 5.
        role: 'architect',
        weeks: [
          { weekOf: '2026-03-02', hours: 6 },
          { weekOf: '2026-03-09', hours: 10 },
          { weekOf: '2026-03-16', hours: 0 },
        ],
        hours: 16,
      },
    ]);
  });

  it('lists the cards behind one person’s week with the hours planned for each', () => {
    const cards = [card('fibre', 'C-1', 30, { assignee: 'P-1' }), card('firewall', 'C-7', 25, { assignee: 'P-1' })];
    expect(capacityCell(input(cards), 'P-1', '2026-03-11')).toEqual([
      expect.objectContaining({ projectName: 'Fibre cut-over', cardId: 'C-1', hours: 18.75, remainingHours: 30 }),
      expect.objectContaining({ projectName: 'Firewall refresh', cardId: 'C-7', hours: 15.62, overdue: false }),
    ]);
  });
});
