import { BaselineItemInput, ProjectCommand } from './commands';
import { event } from './events';
import { MAX_MINOR } from '../shared/money';
import { given } from '../testing/decider-specification';
import {
  baselined,
  baselineEstablished,
  cardAdded,
  ESTABLISHED_AT,
  M1,
  M2,
  M3,
  projectOpened,
  SI_1,
  SI_2,
  SI_3,
} from '../testing/project.fixture';

const ITEMS: BaselineItemInput[] = [
  { ref: 'SI-1', title: 'Migrate 120 mailboxes', role: 'technician', hours: 40 },
  { ref: 'SI-2', title: 'Configure Intune enrolment', role: 'engineer', hours: 12.5 },
  { ref: 'SI-3', title: 'Install backup appliance', role: 'engineer', hours: 4, fixedCost: 120_000 },
];

const establishBaseline = (
  items: BaselineItemInput[] = ITEMS,
  milestones: { ref: string; name: string; due: string }[] = [M1, M2, M3],
): ProjectCommand => ({ type: 'EstablishBaseline', now: ESTABLISHED_AT, items, milestones });

const withItem = (changes: Partial<BaselineItemInput>) => [{ ...ITEMS[0], ...changes }];

describe('establishing the baseline', () => {
  it('prices every item, totals them and puts a card for each on the board', () => {
    // SI-1 40 h x 9,550 = 382,000; SI-2 12.5 h x 15,000 = 187,500; SI-3 4 h x 15,000 + 120,000 = 180,000
    // total 749,500; cards C-1, C-2, C-3 in item order
    given([projectOpened])
      .when(establishBaseline())
      .then([baselineEstablished, cardAdded(1, SI_1), cardAdded(2, SI_2), cardAdded(3, SI_3)]);
  });

  it('rounds each item to the cent, half up, before totalling', () => {
    // 0.33 h x 9,550 = 3,151.50 -> 3,152, twice: 6,304 (not 6,303 from rounding the sum)
    const items = [
      { ref: 'A', title: 'Label patch panel A', role: 'technician', hours: 0.33 },
      { ref: 'B', title: 'Label patch panel B', role: 'technician', hours: 0.33 },
    ];
    const priced = (ref: string, title: string) => ({
      ref,
      title,
      role: 'technician',
      centiHours: 33,
      fixedCost: 0,
      rate: 9_550,
      cost: 3_152,
    });
    const a = priced('A', 'Label patch panel A');
    const b = priced('B', 'Label patch panel B');
    given([projectOpened])
      .when(establishBaseline(items, [M1]))
      .then([
        event('BaselineEstablished', { items: [a, b], milestones: [M1], total: 6_304, establishedAt: ESTABLISHED_AT }),
        cardAdded(1, a),
        cardAdded(2, b),
      ]);
  });

  it('accepts a milestone due on the start date', () => {
    const kickOff = { ref: 'M0', name: 'Kick-off', due: '2026-03-02' };
    given([projectOpened])
      .when(establishBaseline(ITEMS, [kickOff]))
      .then([
        event('BaselineEstablished', {
          items: [SI_1, SI_2, SI_3],
          milestones: [kickOff],
          total: 749_500,
          establishedAt: ESTABLISHED_AT,
        }),
        cardAdded(1, SI_1),
        cardAdded(2, SI_2),
        cardAdded(3, SI_3),
      ]);
  });

  it('is refused once a baseline exists: changes go through change requests', () => {
    given(baselined).when(establishBaseline()).thenThrows('conflict', 'already established');
  });

  it('is refused without scope items', () => {
    given([projectOpened]).when(establishBaseline([])).thenThrows('invalid', 'at least one scope item', 'items');
  });

  it('is refused when a ref appears twice', () => {
    given([projectOpened])
      .when(establishBaseline([ITEMS[0], ITEMS[1], { ...ITEMS[2], ref: 'SI-1' }]))
      .thenThrows('invalid', 'SI-1 appears twice', 'items[2].ref');
  });

  it('is refused for a role missing from the rate card, naming the roles it has', () => {
    given([projectOpened])
      .when(establishBaseline([ITEMS[0], { ...ITEMS[1], role: 'consultant' }]))
      .thenThrows(
        'invalid',
        "Role consultant is not on the project's rate card (engineer, technician, architect)",
        'items[1].role',
      );
  });

  it.each([
    ['three decimals', 2.255],
    ['negative hours', -1],
    ['an exponent', 1e21],
  ])('is refused for hours with %s', (_label, hours) => {
    given([projectOpened])
      .when(establishBaseline(withItem({ hours })))
      .thenThrows('invalid', 'at most two decimals', 'items[0].hours');
  });

  it('is refused for a fixed cost with a fraction of a cent', () => {
    given([projectOpened])
      .when(establishBaseline(withItem({ fixedCost: 120_000.5 })))
      .thenThrows('invalid', 'whole number of minor units', 'items[0].fixedCost');
  });

  it('is refused for a negative fixed cost', () => {
    given([projectOpened])
      .when(establishBaseline(withItem({ fixedCost: -1 })))
      .thenThrows('invalid', 'Fixed cost', 'items[0].fixedCost');
  });

  it('is refused for an item that would cost more than the largest amount accepted', () => {
    // 1 h x 15,000 + 100,000,000,000,000 fixed = 100,000,000,015,000 > MAX_MINOR (a trillion dollars)
    given([projectOpened])
      .when(establishBaseline(withItem({ role: 'engineer', hours: 1, fixedCost: MAX_MINOR })))
      .thenThrows('invalid', 'more than the largest amount accepted', 'items[0].hours');
  });

  it('is refused for an item with neither hours nor a fixed cost', () => {
    given([projectOpened])
      .when(establishBaseline(withItem({ hours: 0, fixedCost: 0 })))
      .thenThrows('invalid', 'needs hours or a fixed cost', 'items[0].hours');
  });

  it('is refused for a milestone due before the project starts', () => {
    given([projectOpened])
      .when(establishBaseline(ITEMS, [M1, { ref: 'M0', name: 'Survey', due: '2026-02-27' }]))
      .thenThrows('invalid', 'M0 is due before the project starts (2026-03-02)', 'milestones[1].due');
  });

  it('is refused for a due date that is not a calendar date', () => {
    given([projectOpened])
      .when(establishBaseline(ITEMS, [{ ...M1, due: '2026-02-30' }]))
      .thenThrows('invalid', 'calendar date', 'milestones[0].due');
  });

  it('is refused when a milestone ref appears twice', () => {
    given([projectOpened])
      .when(establishBaseline(ITEMS, [M1, { ...M2, ref: 'M1' }]))
      .thenThrows('invalid', 'Milestone ref M1 appears twice', 'milestones[1].ref');
  });

  it('is refused for a project that was never opened', () => {
    given([]).when(establishBaseline()).thenThrows('not_found');
  });
});
