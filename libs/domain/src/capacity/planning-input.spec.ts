import { event } from '../project/events';
import { foldEvents } from '../project/state';
import {
  BASELINE_TOTAL,
  cardAdded,
  ESTABLISHED_AT,
  GOOD_FRIDAY,
  M1,
  M2,
  M3,
  projectOpened,
  SI_1,
  SI_2,
  withSignedOrder,
} from '../testing/project.fixture';
import { planningInputOf } from './planning-input';

describe('what planning reads of a project', () => {
  it('gives each milestone its current date: after the signed order that moved M2, and so M3, two working days', () => {
    // M2 Fri 27 March + 2 = Tue 31 March; M3 Fri 10 April + 2 = Tue 14 April (Good Friday is before it).
    const { project } = planningInputOf(foldEvents(withSignedOrder));
    expect(project.holidays).toEqual([GOOD_FRIDAY]);
    expect([...project.milestones!]).toEqual([
      ['M1', '2026-03-13'],
      ['M2', '2026-03-31'],
      ['M3', '2026-04-14'],
    ]);
    expect(project.end).toBe('2026-04-14');
  });

  it('passes on the milestone each card is due by, and none for a card that names none', () => {
    const byPilot = { ...SI_1, milestone: 'M1' };
    const { cards } = planningInputOf(
      foldEvents([
        projectOpened,
        event('BaselineEstablished', {
          items: [byPilot, SI_2],
          milestones: [M1, M2, M3],
          total: BASELINE_TOTAL,
          establishedAt: ESTABLISHED_AT,
        }),
        cardAdded(1, byPilot),
        cardAdded(2, SI_2),
      ]),
    );
    expect(cards.map((c) => [c.cardId, c.milestone])).toEqual([
      ['C-1', 'M1'],
      ['C-2', undefined],
    ]);
  });
});
