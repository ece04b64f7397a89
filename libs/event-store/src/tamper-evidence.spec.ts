import { shareOneHiddenClass } from '../../../test/support/hidden-classes';
import { NewEvent, RecordedEvent } from './event-store.port';
import { chainEvents, GENESIS_HASH, verifyChain } from './tamper-evidence';

const streamId = 'project-1';

function newEvent(n: number): NewEvent {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type: 'ChangeRequestLogged',
    schemaVersion: 1,
    data: { number: n, title: `Request ${n}` },
    metadata: {
      actor: { kind: 'staff', id: 'pm-1' },
      occurredAt: new Date(Date.UTC(2026, 2, 2, 9, n)).toISOString(),
      correlationId: `c-${n}`,
      causationId: `c-${n}`,
    },
  };
}

const recorded = (events: readonly NewEvent[]): RecordedEvent[] =>
  events.map((event, index) => ({
    ...event,
    streamId,
    revision: BigInt(index),
    position: { commit: BigInt(index), prepare: BigInt(index) },
    recordedAt: event.metadata.occurredAt,
  }));

describe('chainEvents', () => {
  it('links each event to the one before it, so that verifyChain accepts the stream and notices a change', () => {
    const first = chainEvents(streamId, GENESIS_HASH, 0n, [newEvent(1)]);
    const rest = chainEvents(streamId, first[0].metadata.hash!, 1n, [newEvent(2), newEvent(3)]);
    const events = [...first, ...rest];
    expect(events.map((e) => e.metadata.previousHash)).toEqual([
      GENESIS_HASH,
      events[0].metadata.hash,
      events[1].metadata.hash,
    ]);
    expect(verifyChain(streamId, recorded(events))).toMatchObject({
      valid: true,
      events: 3,
      headHash: events[2].metadata.hash,
    });

    const altered = recorded(events);
    altered[1] = { ...altered[1], data: { number: 2, title: 'Something else' } };
    expect(verifyChain(streamId, altered)).toMatchObject({
      valid: false,
      firstBreak: { revision: 1n, reason: 'the event content does not match its hash' },
    });
  });

  it('leaves the new events as they were', () => {
    const event = newEvent(1);
    chainEvents(streamId, GENESIS_HASH, 0n, [event]);
    expect(event.metadata).toEqual(newEvent(1).metadata);
  });

  it('gives every chained event metadata of one hidden class', () => {
    const chained = Array.from({ length: 40 }, (_, n) => chainEvents(streamId, GENESIS_HASH, 0n, [newEvent(n)])[0]);
    expect(shareOneHiddenClass(chained.map((e) => e.metadata))).toBe(true);
  });
});
