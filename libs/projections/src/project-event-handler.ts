import { ProjectEvent } from '@scope-ledger/domain';
import { RecordedEvent, SqlQueryable } from '@scope-ledger/event-store';
import { AppliedChange } from './record-tables';

/** One event as the processor applied it to its project's records. */
export interface AppliedEvent {
  readonly recorded: RecordedEvent;
  readonly event: ProjectEvent;
  readonly projectId: string;
  /** The header and the records the event created or replaced, each record with the one it replaced. */
  readonly changes: readonly AppliedChange[];
}

/** A projector or reactor: for each batch, a HandlerBatch sees the events in order and writes in its transaction. */
export interface ProjectEventHandler {
  /** Tables it fills from the events alone: a rebuild empties them. */
  readonly tables?: readonly string[];
  /** Starts a batch of events of these projects, reading what it needs in the batch's transaction. */
  begin(tx: SqlQueryable, projectIds: readonly string[]): Promise<HandlerBatch>;
}

export interface HandlerBatch {
  handle(applied: AppliedEvent): void;
  write(tx: SqlQueryable): Promise<void>;
  /** Runs once the batch is committed. */
  afterCommit?(): void;
}
