/**
 * The log behind the in-process test server: streams, expected-revision checks and a global
 * position per event, the way EventStoreDB's transaction file orders them.
 */

export interface LoggedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** Events EventStoreDB writes today commit themselves: commit and prepare are equal. */
  readonly position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends them. */
  readonly createdTicks: bigint;
}

export type ProposedEvent = Pick<LoggedEvent, 'id' | 'type' | 'contentType' | 'data' | 'metadata'>;

export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type AppendOutcome =
  | { readonly written: true; readonly currentRevision: bigint; readonly position: bigint }
  | { readonly written: false; readonly currentRevision: bigint | 'no_stream' };

export type EventMatcher = (event: LoggedEvent) => boolean;

/** Record headers make positions grow by more than the payload, as on a real server. */
const RECORD_OVERHEAD_BYTES = 120n;

export class InMemoryEventLog {
  private readonly log: LoggedEvent[] = [];
  private readonly streams = new Map<string, LoggedEvent[]>();
  private readonly listeners = new Set<(event: LoggedEvent) => void>();
  private nextPosition: bigint;

  constructor(firstPosition: bigint) {
    this.nextPosition = firstPosition;
  }

  append(streamId: string, expected: ExpectedState, proposed: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamId) ?? [];
    const currentRevision = stream.length === 0 ? ('no_stream' as const) : BigInt(stream.length - 1);
    if (!meets(expected, currentRevision)) return { written: false, currentRevision };

    const createdTicks = BigInt(Date.now()) * 10_000n;
    const written = proposed.map((event, index): LoggedEvent => {
      const position = this.nextPosition;
      this.nextPosition += RECORD_OVERHEAD_BYTES + BigInt(event.data.length + event.metadata.length);
      return { ...event, streamId, revision: BigInt(stream.length + index), position, createdTicks };
    });
    stream.push(...written);
    this.streams.set(streamId, stream);
    this.log.push(...written);
    for (const event of written) for (const listener of this.listeners) listener(event);

    const last = written[written.length - 1];
    return last
      ? { written: true, currentRevision: last.revision, position: last.position }
      : { written: true, currentRevision: currentRevision === 'no_stream' ? -1n : currentRevision, position: -1n };
  }

  /** undefined when the stream does not exist. */
  readStream(streamId: string, fromRevision: bigint, count: bigint): LoggedEvent[] | undefined {
    const stream = this.streams.get(streamId);
    if (!stream) return undefined;
    return stream.filter((event) => event.revision >= fromRevision).slice(0, Number(count));
  }

  /** Forwards from a position, including the event at that position. */
  readForwards(from: bigint | 'start', count: bigint, matches: EventMatcher): LoggedEvent[] {
    return this.log
      .filter((event) => (from === 'start' || event.position >= from) && matches(event))
      .slice(0, Number(count));
  }

  /** Backwards from a position, excluding the event at that position. */
  readBackwards(from: bigint | 'end', count: bigint, matches: EventMatcher): LoggedEvent[] {
    return this.log
      .filter((event) => (from === 'end' || event.position < from) && matches(event))
      .reverse()
      .slice(0, Number(count));
  }

  /** Strictly after a position, as subscriptions start. */
  eventsAfter(position: bigint | 'start' | 'end', matches: EventMatcher): LoggedEvent[] {
    if (position === 'end') return [];
    return this.log.filter((event) => (position === 'start' || event.position > position) && matches(event));
  }

  onAppended(listener: (event: LoggedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function meets(expected: ExpectedState, current: bigint | 'no_stream'): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'no_stream':
      return current === 'no_stream';
    case 'stream_exists':
      return current !== 'no_stream';
    case 'revision':
      return current === expected.revision;
  }
}
