import { randomUUID } from 'node:crypto';
import {
  decide,
  evolve,
  initialProjectState,
  ProjectCommand,
  ProjectEvent,
  projectStreamId,
  ProjectState,
  SCHEMA_VERSION,
} from '@scope-ledger/domain';
import {
  chainEvents,
  EventMetadata,
  EventStore,
  GENESIS_HASH,
  NewEvent,
  Position,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@scope-ledger/event-store';
import { toProjectEvent } from '@scope-ledger/projections';

export interface Actor {
  kind: 'staff' | 'signer' | 'system';
  id: string;
  name?: string;
}

export interface CommandContext {
  actor: Actor;
  correlationId?: string;
  ip?: string;
  userAgent?: string;
  /** The project revision the caller last saw (If-Match); a mismatch refuses the command. */
  expectedRevision?: bigint;
}

export interface LoadedProject {
  state: ProjectState;
  /** Revision of the last event, -1n when the stream does not exist. */
  revision: bigint;
  headHash: string;
}

export interface CommandOutcome {
  events: ProjectEvent[];
  state: ProjectState;
  revision: bigint;
  position?: Position;
}

export class RevisionMismatchError extends Error {
  constructor(readonly expected: bigint, readonly actual: bigint) {
    super(`The project is at revision ${actual}, not ${expected}; reload and try again`);
  }
}

const MAX_CACHED_PROJECTS = 2000;

/**
 * Loads a project, decides a command and appends the outcome with the expected revision.
 * Decision state is kept warm in memory (a long stream is never re-read per command) and
 * commands on one project run one at a time in this process; a concurrent writer in another
 * process shows up as a revision conflict, upon which the state is re-read and the command
 * decided again.
 */
export class ProjectRepository {
  private readonly cache = new Map<string, LoadedProject>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private latestPosition?: Position;

  constructor(private readonly store: EventStore) {}

  /** The last position this process wrote: reads wait for projections to reach it. */
  get lastWrittenPosition(): Position | undefined {
    return this.latestPosition;
  }

  async load(projectId: string): Promise<LoadedProject> {
    const cached = this.cache.get(projectId);
    if (cached) return cached;
    return this.refresh(projectId);
  }

  /** Reads only what is new since the cached revision. */
  async refresh(projectId: string): Promise<LoadedProject> {
    const cached = this.cache.get(projectId);
    const from = cached ? cached.revision + 1n : 0n;
    const events = await this.store.readStream(projectStreamId(projectId), { fromRevision: from });
    const loaded = this.fold(cached ?? { state: initialProjectState, revision: -1n, headHash: GENESIS_HASH }, events);
    this.remember(projectId, loaded);
    return loaded;
  }

  execute(projectId: string, command: ProjectCommand, context: CommandContext): Promise<CommandOutcome> {
    return this.serialised(projectId, () => this.decideAndAppend(projectId, () => command, context));
  }

  /** Like execute, for commands that need the loaded state to be built (documents, hashes). */
  executeWith(projectId: string, build: (loaded: LoadedProject) => Promise<ProjectCommand> | ProjectCommand, context: CommandContext): Promise<CommandOutcome> {
    return this.serialised(projectId, () => this.decideAndAppend(projectId, build, context));
  }

  private async decideAndAppend(
    projectId: string,
    build: (loaded: LoadedProject) => Promise<ProjectCommand> | ProjectCommand,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    for (let attempt = 0; ; attempt++) {
      const loaded = attempt === 0 ? await this.load(projectId) : await this.refresh(projectId);
      if (context.expectedRevision !== undefined && context.expectedRevision !== loaded.revision) {
        throw new RevisionMismatchError(context.expectedRevision, loaded.revision);
      }
      const command = await build(loaded);
      const events = decide(command, loaded.state);
      if (events.length === 0) return { events, state: loaded.state, revision: loaded.revision };
      const streamId = projectStreamId(projectId);
      const metadata = this.metadataFor(command, context);
      const toAppend = chainEvents(
        streamId,
        loaded.headHash,
        loaded.revision + 1n,
        events.map((e): NewEvent => ({ id: randomUUID(), type: e.type, schemaVersion: SCHEMA_VERSION, data: e.data as unknown as Record<string, unknown>, metadata })),
      );
      try {
        const result = await this.store.append(streamId, toAppend, loaded.revision < 0n ? 'no_stream' : loaded.revision);
        let state = loaded.state;
        for (const e of events) state = evolve(state, e, metadata.occurredAt);
        const next: LoadedProject = { state, revision: result.nextExpectedRevision, headHash: toAppend[toAppend.length - 1].metadata.hash! };
        this.remember(projectId, next);
        this.latestPosition = result.position;
        return { events, state, revision: next.revision, position: result.position };
      } catch (error) {
        // Another process wrote first: decide again on the fresh state (its rules still apply).
        if (error instanceof WrongExpectedRevisionError && attempt < 3 && context.expectedRevision === undefined) continue;
        throw error;
      }
    }
  }

  private metadataFor(command: ProjectCommand, context: CommandContext): EventMetadata {
    const correlationId = context.correlationId ?? randomUUID();
    return {
      actor: context.actor,
      occurredAt: command.now,
      correlationId,
      causationId: correlationId,
      ...(context.ip ? { ip: context.ip } : {}),
      ...(context.userAgent ? { userAgent: context.userAgent } : {}),
    };
  }

  private fold(start: LoadedProject, events: readonly RecordedEvent[]): LoadedProject {
    let { state, revision, headHash } = start;
    for (const recorded of events) {
      const event = toProjectEvent(recorded);
      if (event) state = evolve(state, event, recorded.metadata.occurredAt);
      revision = recorded.revision;
      headHash = (recorded.metadata.hash as string | undefined) ?? headHash;
    }
    return { state, revision, headHash };
  }

  private remember(projectId: string, loaded: LoadedProject): void {
    this.cache.delete(projectId);
    this.cache.set(projectId, loaded);
    if (this.cache.size > MAX_CACHED_PROJECTS) this.cache.delete(this.cache.keys().next().value!);
  }

  private serialised<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(projectId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.queues.set(projectId, tail);
    void tail.then(() => {
      if (this.queues.get(projectId) === tail) this.queues.delete(projectId);
    });
    return run;
  }
}

/** Events of a stream up to a moment, folded: the state as it was then. */
export function stateAsOf(events: readonly RecordedEvent[], asOf: string): ProjectState {
  const limit = Date.parse(asOf);
  let state = initialProjectState;
  for (const recorded of events) {
    if (Date.parse(recorded.metadata.occurredAt) > limit) break;
    const event = toProjectEvent(recorded);
    if (event) state = evolve(state, event, recorded.metadata.occurredAt);
  }
  return state;
}

export function newId(): string {
  return randomUUID();
}

