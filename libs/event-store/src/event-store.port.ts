// The one event-store port: every adapter implements it and passes the contract suite in test/event-store.

/**
 * A position in the global log, compared by commit, then prepare. On PostgreSQL these are the writing
 * transaction's id and the global sequence number; on EventStoreDB the server's commit and prepare positions.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: Position = { commit: 0n, prepare: 0n };

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Text form used in HTTP responses and checkpoints: "<commit>/<prepare>". */
export function formatPosition(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}

export function parsePosition(text: string): Position | undefined {
  const match = /^(\d{1,20})\/(\d{1,20})$/.exec(text.trim());
  return match ? { commit: BigInt(match[1]), prepare: BigInt(match[2]) } : undefined;
}

/** Metadata every event carries. Signer events add ip and userAgent. */
export interface EventMetadata {
  readonly actor: { readonly kind: 'staff' | 'signer' | 'system'; readonly id: string; readonly name?: string };
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly ip?: string;
  readonly userAgent?: string;
  /** SHA-256 chaining this event to the previous event of its stream (tamper evidence). */
  readonly hash?: string;
  readonly previousHash?: string;
  readonly [key: string]: unknown;
}

export interface NewEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  readonly streamId: string;
  /** 0-based revision of the event within its stream. */
  readonly revision: bigint;
  readonly position: Position;
  readonly recordedAt: string;
}

export type ExpectedRevision = 'no_stream' | 'any' | bigint;

/** The revision and position of the last event written. */
export interface AppendResult {
  readonly nextExpectedRevision: bigint;
  readonly position: Position;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream' | 'unknown',
  ) {
    super(`Stream ${streamId} was changed concurrently: expected revision ${expected}, found ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export interface SubscribeOptions {
  /** Exclusive: events strictly after this position. */
  readonly after?: Position;
  /** Only streams whose id starts with this prefix, e.g. "project-". */
  readonly streamPrefix?: string;
}

export interface ReadAllOptions extends SubscribeOptions {
  readonly limit?: number;
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface EventStore {
  /** Appends all events in one atomic write, or none. Throws WrongExpectedRevisionError. */
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order, optionally from a revision (inclusive). */
  readStream(streamId: string, options?: { fromRevision?: bigint }): Promise<RecordedEvent[]>;
  /** Events of all streams after a position in commit order, never skipping one a slower transaction commits later. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up subscription: delivers batches in order, then follows new events. */
  subscribe(handler: (batch: readonly RecordedEvent[]) => Promise<void>, options?: SubscribeOptions): Subscription;
  /** The position of the last event in the log (START when empty). */
  headPosition(): Promise<Position>;
  close(): Promise<void>;
}
