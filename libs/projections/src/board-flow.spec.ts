import { ProjectEvent } from '@scope-ledger/domain';
import { RecordedEvent } from '@scope-ledger/event-store';
import { BoardFlow } from './board-flow';

/** Card events as the stream holds them, each recorded when its payload says it happened. */
function recorded(events: ProjectEvent[]): RecordedEvent[] {
  return events.map((event, index) => {
    const data = event.data as unknown as Record<string, unknown>;
    const occurredAt = Object.values(data).find((v) => typeof v === 'string' && v.startsWith('2026-03-0')) as string;
    return {
      id: `event-${index}`,
      type: event.type,
      schemaVersion: 2,
      data,
      metadata: {
        actor: { kind: 'staff', id: 'pm-1', name: 'Priya (PM)' },
        occurredAt,
        correlationId: 'c',
        causationId: 'c',
      },
      streamId: 'project-1',
      revision: BigInt(index),
      position: { commit: BigInt(index), prepare: BigInt(index) },
      recordedAt: occurredAt,
    } as RecordedEvent;
  });
}

const added = (n: number, addedAt: string): ProjectEvent => ({
  type: 'BoardCardAdded',
  data: {
    cardId: `C-${n}`,
    number: n,
    ref: `NET-${n}`,
    title: `Item ${n}`,
    role: 'engineer',
    estimateCentiHours: 800,
    admittedBy: { kind: 'baseline' },
    addedAt,
  },
});
const moved = (n: number, from: string, to: string, movedAt: string) =>
  ({ type: 'BoardCardMoved', data: { cardId: `C-${n}`, from, to, movedAt } }) as ProjectEvent;

// C-1: backlog 4 h, ready 20 h, in progress 30 h, then in review since 4 Mar 15:00.
// C-2: backlog 2 h, ready 10 h, then in progress. C-3: backlog 1.5 h, then cancelled while in ready.
const history = recorded([
  added(1, '2026-03-02T09:00:00Z'),
  added(2, '2026-03-02T09:00:00Z'),
  added(3, '2026-03-02T09:00:00Z'),
  moved(3, 'backlog', 'ready', '2026-03-02T10:30:00Z'),
  moved(2, 'backlog', 'ready', '2026-03-02T11:00:00Z'),
  { type: 'BoardCardCancelled', data: { cardId: 'C-3', changeOrderId: 'co-1', cancelledAt: '2026-03-02T12:00:00Z' } },
  moved(1, 'backlog', 'ready', '2026-03-02T13:00:00Z'),
  moved(2, 'ready', 'in_progress', '2026-03-02T21:00:00Z'),
  moved(1, 'ready', 'in_progress', '2026-03-03T09:00:00Z'),
  {
    type: 'TimeLogged',
    data: {
      cardId: 'C-1',
      centiHours: 250,
      date: '2026-03-03',
      note: 'Rack and cable',
      loggedAt: '2026-03-03T17:00:00Z',
    },
  },
  moved(1, 'in_progress', 'review', '2026-03-04T15:00:00Z'),
]);

describe('the board flow', () => {
  it('averages and takes the median of the time cards stayed in each column before a move took them on', () => {
    const flow = BoardFlow.of(history, '2026-03-05T09:00:00Z');
    expect(flow.cycleTimes()).toEqual([
      // (4 + 2 + 1.5) / 3 = 2.5 h; sorted 1.5, 2, 4: the median is 2 h.
      { column: 'backlog', moves: 3, averageHours: 2.5, medianHours: 2 },
      // 20 and 10 h; C-3 left Ready by cancellation, not by a move, so it does not count.
      { column: 'ready', moves: 2, averageHours: 15, medianHours: 15 },
      { column: 'in_progress', moves: 1, averageHours: 30, medianHours: 30 },
      { column: 'review', moves: 0, averageHours: null, medianHours: null },
      { column: 'done', moves: 0, averageHours: null, medianHours: null },
    ]);
  });

  it("gives a card's columns with the time spent in each, the open one up to the moment shown", () => {
    const card = BoardFlow.of(history, '2026-03-05T09:00:00Z').card('C-1')!;
    expect(card.columns).toEqual([
      { column: 'backlog', enteredAt: '2026-03-02T09:00:00Z', leftAt: '2026-03-02T13:00:00Z', hours: 4 },
      { column: 'ready', enteredAt: '2026-03-02T13:00:00Z', leftAt: '2026-03-03T09:00:00Z', hours: 20 },
      { column: 'in_progress', enteredAt: '2026-03-03T09:00:00Z', leftAt: '2026-03-04T15:00:00Z', hours: 30 },
      { column: 'review', enteredAt: '2026-03-04T15:00:00Z', leftAt: null, hours: 18 },
    ]);
    expect(card.timeEntries).toEqual([
      {
        date: '2026-03-03',
        hours: 2.5,
        note: 'Rack and cable',
        loggedAt: '2026-03-03T17:00:00Z',
        loggedBy: 'Priya (PM)',
      },
    ]);
    const cancelled = BoardFlow.of(history, '2026-03-05T09:00:00Z').card('C-3')!;
    expect(cancelled.cancelledAt).toBe('2026-03-02T12:00:00Z');
    expect(cancelled.columns.at(-1)).toEqual({
      column: 'ready',
      enteredAt: '2026-03-02T10:30:00Z',
      leftAt: '2026-03-02T12:00:00Z',
      hours: 1.5,
    });
  });

  it('knows no card the stream does not hold', () => {
    expect(BoardFlow.of(history, '2026-03-05T09:00:00Z').card('C-9')).toBeUndefined();
  });
});
