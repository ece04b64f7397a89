import { BOARD_COLUMNS, BoardColumn, ProjectState } from '@scope-ledger/domain';
import { RecordedEvent } from '@scope-ledger/event-store';
import { toProjectEvent } from './project-events';
import { boardCardView } from './project-views';

/**
 * How work flowed across the board, read from the card events of a project's stream: the columns each card
 * sat in and for how long, the time logged against it and by whom, and the time cards spend in each column.
 */

/** A card's time in one column: from its admission or the move into the column until the move out. */
export interface ColumnStay {
  column: BoardColumn;
  enteredAt: string;
  /** The move out of the column, or the card's cancellation; null while the card is still there. */
  leftAt: string | null;
  /** Until it left, or until the moment the board is shown. */
  hours: number;
}

/** One time entry as it was recorded. */
export interface RecordedTimeEntry {
  date: string;
  hours: number;
  note: string | null;
  loggedAt: string;
  loggedBy: string;
}

export interface CardFlow {
  addedAt: string;
  cancelledAt: string | null;
  columns: ColumnStay[];
  timeEntries: RecordedTimeEntry[];
}

/** The average and median time of the stays that ended with a move out of the column. */
export interface ColumnCycleTime {
  column: BoardColumn;
  /** How many times a card moved out of the column. */
  moves: number;
  averageHours: number | null;
  medianHours: number | null;
}

interface Stay {
  column: BoardColumn;
  enteredAt: string;
  leftAt: string | null;
  movedOut: boolean;
}

interface Flow {
  addedAt: string;
  cancelledAt: string | null;
  stays: Stay[];
  timeEntries: RecordedTimeEntry[];
}

/** Milliseconds as hours with two decimals. */
const hoursOf = (ms: number) => Math.round(ms / 36_000) / 100;
const between = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

/** Every card's flow, keyed by card id, from the stream up to the moment `at` the board is shown. */
export class BoardFlow {
  private constructor(
    private readonly flows: ReadonlyMap<string, Flow>,
    private readonly at: string,
  ) {}

  static of(events: readonly RecordedEvent[], at: string): BoardFlow {
    const flows = new Map<string, Flow>();
    const leave = (flow: Flow | undefined, leftAt: string, movedOut: boolean) => {
      const open = flow?.stays.at(-1);
      if (open && open.leftAt === null) Object.assign(open, { leftAt, movedOut });
    };
    for (const recorded of events) {
      const event = toProjectEvent(recorded);
      if (!event) continue;
      switch (event.type) {
        case 'BoardCardAdded': {
          const { cardId, addedAt } = event.data;
          const stays = [{ column: 'backlog' as const, enteredAt: addedAt, leftAt: null, movedOut: false }];
          flows.set(cardId, { addedAt, cancelledAt: null, stays, timeEntries: [] });
          break;
        }
        case 'BoardCardMoved': {
          const flow = flows.get(event.data.cardId);
          leave(flow, event.data.movedAt, true);
          flow?.stays.push({ column: event.data.to, enteredAt: event.data.movedAt, leftAt: null, movedOut: false });
          break;
        }
        case 'BoardCardCancelled': {
          const flow = flows.get(event.data.cardId);
          leave(flow, event.data.cancelledAt, false);
          if (flow) flow.cancelledAt = event.data.cancelledAt;
          break;
        }
        case 'TimeLogged': {
          const { cardId, centiHours, date, note, loggedAt } = event.data;
          const { actor } = recorded.metadata;
          const entry = {
            date,
            hours: centiHours / 100,
            note: note ?? null,
            loggedAt,
            loggedBy: actor.name ?? actor.id,
          };
          flows.get(cardId)?.timeEntries.push(entry);
          break;
        }
        default:
          break;
      }
    }
    return new BoardFlow(flows, at);
  }

  /** One card's columns and time entries; undefined for a card the stream does not hold. */
  card(cardId: string): CardFlow | undefined {
    const flow = this.flows.get(cardId);
    if (!flow) return undefined;
    const columns = flow.stays.map(({ column, enteredAt, leftAt }) => ({
      column,
      enteredAt,
      leftAt,
      hours: hoursOf(between(enteredAt, leftAt ?? this.at)),
    }));
    return { addedAt: flow.addedAt, cancelledAt: flow.cancelledAt, columns, timeEntries: [...flow.timeEntries] };
  }

  /** Per column, how long cards stayed before they moved on; a column no card has left yet has no figure. */
  cycleTimes(): ColumnCycleTime[] {
    const durations = new Map<BoardColumn, number[]>(BOARD_COLUMNS.map((column) => [column, []]));
    for (const flow of this.flows.values())
      for (const stay of flow.stays)
        if (stay.movedOut && stay.leftAt) durations.get(stay.column)!.push(between(stay.enteredAt, stay.leftAt));
    return BOARD_COLUMNS.map((column) => {
      const times = durations.get(column)!.sort((a, b) => a - b);
      if (times.length === 0) return { column, moves: 0, averageHours: null, medianHours: null };
      const middle = Math.floor(times.length / 2);
      const median = times.length % 2 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
      const average = times.reduce((sum, ms) => sum + ms, 0) / times.length;
      return { column, moves: times.length, averageHours: hoursOf(average), medianHours: hoursOf(median) };
    });
  }
}

/** A card's own page: the board's figures, what is left of its estimate, its time entries and its columns. */
export function boardCardDetail(state: ProjectState, flow: BoardFlow, cardId: string) {
  const card = state.cards.get(cardId);
  const history = flow.card(cardId);
  if (!card || !history) return undefined;
  return {
    ...boardCardView(state, card),
    remainingHours: Math.max(0, card.estimateCentiHours - card.loggedCentiHours) / 100,
    cancelled: card.cancelled,
    ...history,
  };
}
