import { BoardColumn, event, ProjectEvent } from './events';
import { given } from '../testing/decider-specification';
import {
  assessed,
  baselined,
  cardCancelled,
  CO_1,
  CR_3,
  onOrder,
  orderDrafted,
  orderIssued,
  orderSigned,
  REMOVE_SI_3,
  withIssuedOrder,
} from '../testing/project.fixture';

const NOW = '2026-03-10T16:00:00.000Z';
const EARLIER = '2026-03-10T09:00:00.000Z';

/** CO-1 removes SI-3 and is signed: its card C-3 is cancelled. */
const removalOfSi3Signed: ProjectEvent[] = [
  orderDrafted(CO_1, 1, [CR_3], [onOrder(REMOVE_SI_3, CR_3, 3)], { amount: -180_000 }),
  orderIssued(CO_1, { originalContract: 749_500, previouslyApproved: 0 }),
  orderSigned(CO_1),
  cardCancelled('C-3', CO_1),
];
const withCancelledCard: ProjectEvent[] = [...assessed, ...removalOfSi3Signed];

const move = (cardId: string, to: BoardColumn) => ({ type: 'MoveCard' as const, now: NOW, cardId, to });
const moved = (cardId: string, from: BoardColumn, to: BoardColumn, movedAt = NOW) =>
  event('BoardCardMoved', { cardId, from, to, movedAt });
const limitsSet = (wip: Partial<Record<BoardColumn, number | null>>, setAt = EARLIER) =>
  event('WipLimitsSet', { limits: wip, setAt });
const limits = (wip: Partial<Record<BoardColumn, number | null>>) => ({
  type: 'SetWipLimits' as const,
  now: NOW,
  limits: wip,
});
const logTime = (cardId: string, hours: number, date = '2026-03-10', note?: string) => ({
  type: 'LogTime' as const,
  now: NOW,
  cardId,
  hours,
  date,
  ...(note ? { note } : {}),
});

describe('adding a card by hand', () => {
  it('is refused for new work: only a signed change order puts work on the board', () => {
    given(withIssuedOrder)
      .when({ type: 'AddBoardCard', now: NOW, ref: 'SI-4' })
      .thenThrows(
        'conflict',
        'No baseline item or signed change order covers SI-4: work enters the board only through a signed change order',
      );
  });

  it('is refused for work already on the board, naming its card', () => {
    given(baselined)
      .when({ type: 'AddBoardCard', now: NOW, ref: 'SI-2' })
      .thenThrows('conflict', 'Scope item SI-2 is already on the board as card C-2');
  });

  it('is refused for work a signed order removed', () => {
    given(withCancelledCard)
      .when({ type: 'AddBoardCard', now: NOW, ref: 'SI-3' })
      .thenThrows('conflict', 'work enters the board only through a signed change order');
  });
});

describe('moving a card', () => {
  it('moves it from its column to another, noting when', () => {
    const after = given(baselined)
      .when(move('C-1', 'ready'))
      .then([moved('C-1', 'backlog', 'ready')]);
    expect(after.cards.get('C-1')?.column).toBe('ready');
  });

  it('respects the WIP limit of the target column, naming the limit', () => {
    const oneInProgress = [
      ...baselined,
      limitsSet({ in_progress: 1 }),
      moved('C-1', 'backlog', 'in_progress', EARLIER),
    ];
    given(oneInProgress)
      .when(move('C-2', 'in_progress'))
      .thenThrows('conflict', 'WIP limit reached: In progress holds at most 1 card');

    const twoInReview = [
      ...baselined,
      limitsSet({ review: 2 }),
      moved('C-1', 'backlog', 'review', EARLIER),
      moved('C-2', 'backlog', 'review', EARLIER),
    ];
    given(twoInReview).when(move('C-3', 'review')).thenThrows('conflict', 'Review holds at most 2 cards');
  });

  it('refuses setting WIP limits without naming a column', () => {
    given(baselined).when(limits({})).thenThrows('invalid', 'at least one column', 'limits');
  });

  it('fills a column up to its WIP limit', () => {
    given([...baselined, limitsSet({ in_progress: 2 }), moved('C-1', 'backlog', 'in_progress', EARLIER)])
      .when(move('C-2', 'in_progress'))
      .then([moved('C-2', 'backlog', 'in_progress')]);
  });

  it('does not count cancelled cards against the WIP limit', () => {
    given([
      ...assessed,
      // before CO-1 is signed and cancels C-3
      moved('C-3', 'backlog', 'in_progress', '2026-03-09T09:00:00.000Z'),
      ...removalOfSi3Signed,
      limitsSet({ in_progress: 1 }),
    ])
      .when(move('C-1', 'in_progress'))
      .then([moved('C-1', 'backlog', 'in_progress')]);
  });

  it('has no limit once the limit is cleared', () => {
    given([
      ...baselined,
      limitsSet({ in_progress: 1 }),
      moved('C-1', 'backlog', 'in_progress', EARLIER),
      limitsSet({ in_progress: null }),
    ])
      .when(move('C-2', 'in_progress'))
      .then([moved('C-2', 'backlog', 'in_progress')]);
  });

  it('is refused into the column it is already in', () => {
    given(baselined).when(move('C-1', 'backlog')).thenThrows('conflict', 'Card C-1 is already in Backlog');
  });

  it('is refused for a column that does not exist', () => {
    given(baselined)
      .when(move('C-1', 'doing' as BoardColumn))
      .thenThrows('invalid', 'Column must be one of backlog, ready, in_progress, review, done', 'to');
  });

  it('is refused for a card a signed order cancelled', () => {
    given(withCancelledCard)
      .when(move('C-3', 'ready'))
      .thenThrows('conflict', 'Card C-3 was cancelled by a signed change order');
  });

  it('is refused for a card that does not exist', () => {
    given(baselined).when(move('C-9', 'ready')).thenThrows('not_found', 'Card C-9 not found');
  });
});

describe('setting WIP limits', () => {
  it('records limits for some columns and clears others', () => {
    const after = given([...baselined, limitsSet({ review: 2 })])
      .when(limits({ in_progress: 3, review: null }))
      .then([event('WipLimitsSet', { limits: { in_progress: 3, review: null }, setAt: NOW })]);
    expect(after.wipLimits).toEqual(new Map([['in_progress', 3]]));
  });

  it('is refused for a column that does not exist', () => {
    given(baselined)
      .when(limits({ doing: 2 } as Partial<Record<BoardColumn, number>>))
      .thenThrows('invalid', 'Unknown column doing', 'limits.doing');
  });

  it.each([0, 2.5, 1001])('is refused for a limit of %p', (limit) => {
    given(baselined)
      .when(limits({ in_progress: limit }))
      .thenThrows('invalid', 'whole number from 1 to 1000', 'limits.in_progress');
  });
});

describe('logging time on a card', () => {
  it('records hours in hundredths, the day, the note and when it was logged', () => {
    const yesterday = event('TimeLogged', {
      cardId: 'C-2',
      centiHours: 100,
      date: '2026-03-09',
      loggedAt: '2026-03-09T17:00:00.000Z',
    });
    const after = given([...baselined, yesterday])
      .when(logTime('C-2', 2.75, '2026-03-10', 'Enrolment profiles'))
      .then([
        event('TimeLogged', {
          cardId: 'C-2',
          centiHours: 275,
          date: '2026-03-10',
          note: 'Enrolment profiles',
          loggedAt: NOW,
        }),
      ]);
    // 1 h + 2.75 h
    expect(after.cards.get('C-2')?.loggedCentiHours).toBe(375);
  });

  it('accepts a whole day of 24 hours', () => {
    given(baselined)
      .when(logTime('C-1', 24, '2026-03-09'))
      .then([event('TimeLogged', { cardId: 'C-1', centiHours: 2400, date: '2026-03-09', loggedAt: NOW })]);
  });

  it('is refused for a future date', () => {
    given(baselined)
      .when(logTime('C-1', 2, '2026-03-11'))
      .thenThrows('invalid', 'future date', 'date');
  });

  it('is refused for a date before the project starts, and accepted on the start date', () => {
    given(baselined)
      .when(logTime('C-1', 2, '2026-03-01'))
      .thenThrows('invalid', 'before the project starts (2026-03-02)', 'date');
    given(baselined)
      .when(logTime('C-1', 2, '2026-03-02'))
      .then([event('TimeLogged', { cardId: 'C-1', centiHours: 200, date: '2026-03-02', loggedAt: NOW })]);
  });

  it("uses the project's own today: in Auckland it is already tomorrow in UTC terms", () => {
    // 16:00 UTC on 10 March is 05:00 on 11 March in Auckland (NZDT, UTC+13).
    const inAuckland = event('ProjectTimeZoneChanged', { timeZone: 'Pacific/Auckland', changedAt: EARLIER });
    given([...baselined, inAuckland])
      .when(logTime('C-1', 2, '2026-03-11'))
      .then([event('TimeLogged', { cardId: 'C-1', centiHours: 200, date: '2026-03-11', loggedAt: NOW })]);
    given([...baselined, inAuckland])
      .when(logTime('C-1', 2, '2026-03-12'))
      .thenThrows('invalid', 'future date (today is 2026-03-11)', 'date');
  });

  it('is refused for a date that is not a calendar date', () => {
    given(baselined)
      .when(logTime('C-1', 2, '2026-02-30'))
      .thenThrows('invalid', 'calendar date', 'date');
  });

  it.each([
    ['more than 24 hours', 24.01],
    ['no hours', 0],
    ['negative hours', -1],
    ['three decimals', 1.005],
  ])('is refused for %s', (_label, hours) => {
    given(baselined).when(logTime('C-1', hours)).thenThrows('invalid', 'more than 0 and at most 24', 'hours');
  });

  it('is refused on a cancelled card', () => {
    given(withCancelledCard)
      .when(logTime('C-3', 1))
      .thenThrows('conflict', 'Card C-3 was cancelled; time cannot be logged against it');
  });

  it('is refused on a card that does not exist', () => {
    given(baselined).when(logTime('C-9', 1)).thenThrows('not_found', 'Card C-9 not found');
  });
});

describe('assigning a card', () => {
  const assign = (cardId: string, personId: string | null) => ({
    type: 'AssignBoardCard' as const,
    now: NOW,
    cardId,
    personId,
  });
  const assigned = (cardId: string, personId: string | null) =>
    event('BoardCardAssigned', { cardId, personId, assignedAt: NOW });

  it('gives the card to a person, who then shows on it', () => {
    const after = given(baselined)
      .when(assign('C-2', 'P-3'))
      .then([assigned('C-2', 'P-3')]);
    expect(after.cards.get('C-2')?.assignee).toBe('P-3');
  });

  it('takes it from them again with null, and appends nothing when nothing changes', () => {
    const withAssignee = [...baselined, assigned('C-2', 'P-3')];
    const after = given(withAssignee)
      .when(assign('C-2', null))
      .then([assigned('C-2', null)]);
    expect(after.cards.get('C-2')?.assignee).toBeUndefined();
    given(withAssignee).when(assign('C-2', 'P-3')).then([]);
    given(baselined).when(assign('C-2', null)).then([]);
  });

  it('is refused on a card a signed order cancelled, and for a person id of another shape', () => {
    given(withCancelledCard).when(assign('C-3', 'P-1')).thenThrows('conflict', 'Card C-3 was cancelled');
    given(baselined)
      .when(assign('C-2', 'Dana'))
      .thenThrows('invalid', 'personId must name a person of the team, such as P-3');
    given(baselined).when(assign('C-99', 'P-1')).thenThrows('not_found', 'Card C-99 not found');
  });
});
