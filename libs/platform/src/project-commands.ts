import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { v5 as uuidV5 } from 'uuid';
import {
  commandTargets,
  conflict,
  decide,
  describeTarget,
  eventTargets,
  foldEvents,
  initialProjectState,
  ProjectCommand,
  ProjectEvent,
  projectStreamId,
  ProjectState,
  SCHEMA_VERSIONS,
  Target,
  upcastProjectEvent,
} from '@scope-ledger/domain';
import {
  chainEvents,
  EventMetadata,
  EventStore,
  GENESIS_HASH,
  newEventId,
  NewEvent,
  Position,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@scope-ledger/event-store';

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
  /**
   * The request's Idempotency-Key, made unique to its owner. It goes into the events' metadata, new
   * ids derive from it, and when `retried`, what the first attempt appended is answered again.
   */
  idempotency?: { key: string; retried: boolean };
}

export interface LoadedProject {
  readonly state: ProjectState;
  /** Revision of the last event, -1n when the stream does not exist. */
  readonly revision: bigint;
  readonly headHash: string;
}

/** What a command wrote, and the project after it. */
export interface CommandOutcome extends LoadedProject {
  readonly events: readonly ProjectEvent[];
  readonly position?: Position;
}

/** A command, or how to build it from the project as loaded (documents, hashes). */
export type CommandInput = ProjectCommand | ((project: LoadedProject) => ProjectCommand | Promise<ProjectCommand>);

export class RevisionMismatchError extends Error {
  constructor(
    readonly expected: bigint,
    readonly actual: bigint,
    what = 'The project',
  ) {
    super(`${what} is at revision ${actual}, not ${expected}; reload and try again`);
  }
}

interface RecentChange {
  readonly revision: bigint;
  readonly at: number;
  readonly targets: readonly Target[];
}

interface CachedProject extends LoadedProject {
  /** What the latest events changed, to spot two people acting on one thing at once. */
  readonly recent: readonly RecentChange[];
}

/** When a command arrived, and the revision the project had then (known once it is loaded). */
interface Arrival {
  readonly at: number;
  revision?: bigint;
}

const NEW_PROJECT: CachedProject = { state: initialProjectState, revision: -1n, headHash: GENESIS_HASH, recent: [] };
const RECENT_CHANGES_KEPT = 100;
const ATTEMPTS = 30;
const ID_NAMESPACE = '5b0a0c52-5f63-4a53-9d4e-2f4f3b1f6c10';

/**
 * The one command path: load the project (cached, read again when another process wrote first),
 * decide, append with the expected revision. Commands on one project run one at a time in this
 * process, and one is refused when, after it arrived, another command changed the same target:
 * two people acting on one request, order or card at once must not overwrite each other.
 */
export class ProjectCommands {
  private readonly cache = new LRUCache<string, CachedProject>({ max: 2_000 });
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Arrivals on projects not in memory yet: the first load tells the revision they saw. */
  private readonly unresolved = new Map<string, Arrival[]>();
  private latest?: Position;

  constructor(private readonly store: EventStore) {}

  /** The last position this process wrote: reads wait for the read models to reach it. */
  get lastWrittenPosition(): Position | undefined {
    return this.latest;
  }

  /** The project as its stream stands now. */
  load(projectId: string): Promise<LoadedProject> {
    return this.read(projectId);
  }

  execute(projectId: string, input: CommandInput, context: CommandContext): Promise<CommandOutcome> {
    const arrival: Arrival = { at: Date.now(), revision: this.cache.get(projectId)?.revision };
    if (arrival.revision === undefined)
      this.unresolved.set(projectId, [...(this.unresolved.get(projectId) ?? []), arrival]);
    return this.oneAtATime(projectId, async () => {
      for (let attempt = 1; ; attempt++) {
        const project =
          attempt === 1 ? (this.cache.get(projectId) ?? (await this.read(projectId))) : await this.read(projectId);
        if (context.expectedRevision !== undefined && context.expectedRevision !== project.revision) {
          throw new RevisionMismatchError(context.expectedRevision, project.revision);
        }
        if (context.idempotency?.retried) {
          const earlier = await this.appendedBefore(projectId, context.idempotency.key);
          if (earlier) return earlier;
        }
        const command = typeof input === 'function' ? await input(project) : input;
        const events = decide(command, project.state);
        if (events.length === 0) return { ...project, events };
        if (context.expectedRevision === undefined) refuseIfChangedMeanwhile(project, command, arrival);
        try {
          return await this.append(projectId, project, events, commandMetadata(command.now, context));
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          if (context.expectedRevision !== undefined) {
            const actual = typeof error.actual === 'bigint' ? error.actual : -1n;
            throw new RevisionMismatchError(context.expectedRevision, actual);
          }
          // Another process wrote first: decide again on the fresh state, whose rules still apply. A
          // moment's random wait keeps two servers busy with one project from colliding in step.
          if (attempt >= ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * Math.min(attempt, 4)));
        }
      }
    });
  }

  private async append(
    projectId: string,
    project: CachedProject,
    events: readonly ProjectEvent[],
    metadata: EventMetadata,
  ): Promise<CommandOutcome> {
    const streamId = projectStreamId(projectId);
    const chained = chainedEvents(streamId, project, events, (type) => SCHEMA_VERSIONS[type], metadata);
    const expected = project.revision < 0n ? 'no_stream' : project.revision;
    const { nextExpectedRevision, position } = await this.store.append(streamId, chained, expected);
    const at = Date.now();
    const changes = events.map((e, i) => ({
      revision: project.revision + 1n + BigInt(i),
      at,
      targets: eventTargets(e),
    }));
    const after: CachedProject = {
      state: foldEvents(events, project.state),
      revision: nextExpectedRevision,
      headHash: String(chained.at(-1)!.metadata.hash),
      recent: [...project.recent, ...changes].slice(-RECENT_CHANGES_KEPT),
    };
    this.remember(projectId, after);
    this.latest = position;
    return { ...after, events, position };
  }

  /** The cached project with the events appended since it was cached. */
  private async read(projectId: string): Promise<CachedProject> {
    const cached = this.cache.get(projectId) ?? NEW_PROJECT;
    const recorded = await this.store.readStream(projectStreamId(projectId), { fromRevision: cached.revision + 1n });
    const last = recorded.at(-1);
    for (const arrival of this.unresolved.get(projectId) ?? []) arrival.revision ??= last?.revision ?? cached.revision;
    this.unresolved.delete(projectId);
    if (!last) return cached;
    const changes = recorded.map((r) => ({
      revision: r.revision,
      at: Date.parse(r.recordedAt),
      targets: projectEvent(r).flatMap(eventTargets),
    }));
    this.remember(projectId, {
      state: foldEvents(recorded.flatMap(projectEvent), cached.state),
      revision: last.revision,
      headHash: String(last.metadata.hash ?? cached.headHash),
      recent: [...cached.recent, ...changes].slice(-RECENT_CHANGES_KEPT),
    });
    return this.cache.get(projectId)!;
  }

  /** What a request appended before its answer was lost, found by its Idempotency-Key. */
  private async appendedBefore(projectId: string, key: string): Promise<CommandOutcome | undefined> {
    const recorded = await this.store.readStream(projectStreamId(projectId));
    const first = recorded.findIndex((r) => r.metadata.idempotencyKey === key);
    if (first < 0) return undefined;
    const mine = recorded.filter((r) => r.metadata.idempotencyKey === key);
    const last = mine[mine.length - 1];
    const events = mine.flatMap(projectEvent);
    return {
      state: foldEvents(events, foldEvents(recorded.slice(0, first).flatMap(projectEvent))),
      revision: last.revision,
      headHash: String(last.metadata.hash),
      events,
      position: last.position,
    };
  }

  private remember(projectId: string, project: CachedProject): void {
    // A read that started before a later append must not put the older state back.
    const current = this.cache.get(projectId);
    if (!current || current.revision < project.revision) this.cache.set(projectId, project);
  }

  private oneAtATime<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(projectId) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    this.queues.set(projectId, tail);
    void tail.then(() => {
      if (this.queues.get(projectId) === tail) this.queues.delete(projectId);
    });
    return run;
  }
}

function refuseIfChangedMeanwhile(project: CachedProject, command: ProjectCommand, arrival: Arrival): void {
  const targets = new Set(commandTargets(command));
  if (targets.size === 0 || arrival.revision === undefined) return;
  for (const change of project.recent) {
    // A change read back from another process counts only when it was recorded after the arrival.
    if (change.revision <= arrival.revision || change.at < arrival.at) continue;
    const clash = change.targets.find((t) => targets.has(t));
    if (clash) {
      const what = describeTarget(project.state, clash);
      throw conflict(`${what} was changed by someone else a moment ago; reload and try again`);
    }
  }
}

function projectEvent(recorded: RecordedEvent): ProjectEvent[] {
  const event = upcastProjectEvent(recorded.type, recorded.schemaVersion, recorded.data, recorded.metadata.occurredAt);
  return event ? [event] : [];
}

/** What every event of one command carries: who, when, its correlation, and where the request came from. */
export function commandMetadata(now: string, context: CommandContext): EventMetadata {
  const correlationId = context.correlationId ?? randomUUID();
  return {
    actor: context.actor,
    occurredAt: now,
    correlationId,
    causationId: correlationId,
    ...(context.ip ? { ip: context.ip } : {}),
    ...(context.userAgent ? { userAgent: context.userAgent } : {}),
    ...(context.idempotency ? { idempotencyKey: context.idempotency.key } : {}),
  };
}

/**
 * A command's events as the store takes them: each with its id, schema version and the command's metadata,
 * hash-chained on from the stream's head. Project streams and the catalogue's are written alike.
 */
export function chainedEvents<E extends { type: string; data: object }>(
  streamId: string,
  head: { readonly headHash: string; readonly revision: bigint },
  events: readonly E[],
  schemaVersionOf: (type: E['type']) => number,
  metadata: EventMetadata,
): NewEvent[] {
  const toAppend = events.map((e) => ({
    id: newEventId(),
    type: e.type,
    schemaVersion: schemaVersionOf(e.type),
    data: e.data as Record<string, unknown>,
    metadata,
  }));
  return chainEvents(streamId, head.headHash, head.revision + 1n, toAppend);
}

/** The id of the project, request or order a command creates: the same again when its request is retried. */
export function newIdFor(context: Pick<CommandContext, 'idempotency'>): string {
  return context.idempotency ? uuidV5(context.idempotency.key, ID_NAMESPACE) : randomUUID();
}

/** Events of a stream up to a moment, folded: the project as it was then. */
export function stateAsOf(events: readonly RecordedEvent[], asOf: string): ProjectState {
  const limit = Date.parse(asOf);
  return foldEvents(events.filter((r) => Date.parse(r.metadata.occurredAt) <= limit).flatMap(projectEvent));
}

/** Events of a stream up to a revision, folded: the project as a form rendered from that revision showed it. */
export function stateUpTo(events: readonly RecordedEvent[], revision: bigint): ProjectState {
  return foldEvents(events.filter((r) => r.revision <= revision).flatMap(projectEvent));
}
