import { ProjectCommand } from './commands';
import { event } from './events';
import { commandTargets, describeTarget, eventTargets } from './targets';
import { stateAfter } from '../testing/decider-specification';
import { co1Drafted, CO_1, CR_1, CR_2, CR_3, withSignedOrder } from '../testing/project.fixture';

const now = '2026-03-10T09:00:00.000Z';

describe('what commands and events are about', () => {
  it('puts an assessment and the assessed event on the same change request', () => {
    const assess: ProjectCommand = {
      type: 'AssessChangeRequest',
      now,
      changeRequestId: CR_3,
      lines: [],
      schedule: [],
      noCharge: false,
    };
    const assessed = event('ChangeRequestAssessed', {
      changeRequestId: CR_3,
      lines: [],
      schedule: [],
      noCharge: false,
      costDelta: 0,
      assessedAt: now,
    });
    expect(commandTargets(assess)).toEqual([`change-request:${CR_3}`]);
    expect(eventTargets(assessed)).toEqual(commandTargets(assess));
  });

  it('has a draft act on its requests, and the drafted order touch the order and those requests', () => {
    const draft: ProjectCommand = {
      type: 'DraftChangeOrder',
      now,
      changeOrderId: CO_1,
      changeRequestIds: [CR_1, CR_2],
      signer: { name: 'P', email: 'p@x.example' },
      expiresInDays: 14,
      terms: 'T',
    };
    expect(commandTargets(draft)).toEqual([`change-request:${CR_1}`, `change-request:${CR_2}`]);
    expect(eventTargets(co1Drafted)).toEqual([
      `change-order:${CO_1}`,
      `change-request:${CR_1}`,
      `change-request:${CR_2}`,
    ]);
  });

  it('gives logging a request, opening and project-wide settings no target: they never collide', () => {
    const log: ProjectCommand = {
      type: 'LogChangeRequest',
      now,
      changeRequestId: CR_1,
      title: 'T',
      description: '',
      source: 'email',
      requestedBy: { name: 'D', email: 'd@x.example' },
    };
    expect(commandTargets(log)).toEqual([]);
    expect(commandTargets({ type: 'SetWipLimits', now, limits: { review: 2 } })).toEqual([]);
  });

  it('does not count a signer opening the page as a change to the order', () => {
    expect(commandTargets({ type: 'RecordChangeOrderView', now, changeOrderId: CO_1 })).toEqual([]);
    expect(eventTargets(event('ChangeOrderViewed', { changeOrderId: CO_1, viewedAt: now }))).toEqual([]);
  });

  it('puts moving a card and logging time on that card', () => {
    expect(commandTargets({ type: 'MoveCard', now, cardId: 'C-2', to: 'ready' })).toEqual(['card:C-2']);
    const logged = event('TimeLogged', { cardId: 'C-2', centiHours: 100, date: '2026-03-09', loggedAt: now });
    expect(eventTargets(logged)).toEqual(['card:C-2']);
  });

  it('names targets the way people do', () => {
    const state = stateAfter(withSignedOrder);
    expect(describeTarget(state, `change-request:${CR_2}`)).toBe('CR-2');
    expect(describeTarget(state, `change-order:${CO_1}`)).toBe('CO-1');
    expect(describeTarget(state, 'card:C-4')).toBe('Card C-4');
  });
});
