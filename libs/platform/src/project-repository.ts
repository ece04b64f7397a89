import { randomUUID } from 'node:crypto';
import {
  commandTargets,
  conflict,
  decide,
  describeTarget,
  eventTargets,
  evolveAll,
  evolveOwning,
  initialProjectState,
  OwnedParts,
  ProjectCommand,
  ProjectEvent,
  projectStreamId,
  ProjectState,
  SCHEMA_VERSION,
  Target,
} from '@scope-ledger/domain';
import {
  chainEvents,
  EventMetadata,
  EventStore,
  GENESIS_HASH,
  NewEvent,
  newEventId,
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

/** What a command wrote. */
export interface CommandReceipt {
  events: ProjectEvent[];
  revision: bigint;
  position?: Position;
}

/** What a command wrote, and the project's state after it. */
export interface CommandOutcome extends CommandReceipt {
  state: ProjectState;
}

export class RevisionMismatchError extends Error {
  constructor(
    readonly expected: bigint,
    readonly actual: bigint,
  ) {
    super(`The project is at revision ${actual}, not ${expected}; reload and try again`);
  }
}

const MAX_CACHED_PROJECTS = 2000;
/**
 * At most this many changes are remembered per project for spotting two people acting on one
 * thing at once; fewer once the commands that arrived before them are done (see forgetChanges).
 */
const RECENT_CHANGES_KEPT = 200;

/** When a command arrived: the revision the project had then (known once loaded) and the clock. */
interface Arrival {
  revision?: bigint;
  at: number;
}

interface RecentChange {
  revision: bigint;
  at: number;
  targets: Target[];
}

/**
 * Loads a project, decides a command and appends the outcome with the expected revision.
 * Decision state is kept warm in memory (a long stream is never re-read per command) and
 * commands on one project run one at a time in this process; a concurrent writer in another
 * process shows up as a revision conflict, upon which the state is re-read and the command
 * decided again.
 *
 * Running one at a time is not enough when two people act on the same change request, order
 * or card at once: the second would silently overwrite the first. So each command remembers
 * the revision the project had when it arrived, and is refused if, while it waited, another
 * command changed the same target. Commands on different targets (logging new requests) never
 * conflict.
 */
export class ProjectRepository {
  private readonly cache = new Map<string, LoadedProject>();
  /**
   * The parts of cached states that nothing outside this repository can see: the next command
   * changes them in place instead of copying a record of thousands of requests. Handing a
   * state out (a load, a command's outcome) or folding another state from it ends that.
   */
  private readonly ownedParts = new WeakMap<ProjectState, OwnedParts>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly recentChanges = new Map<string, RecentChange[]>();
  /** The commands waiting or running on each project, as they arrived. */
  private readonly waiting = new Map<string, Set<Arrival>>();
  /** Arrivals on projects not in memory yet: the next load tells the revision they saw. */
  private readonly unresolvedArrivals = new Map<string, Set<Arrival>>();
  private latestPosition?: Position;

  constructor(private readonly store: EventStore) {}

  /** The last position this process wrote: reads wait for projections to reach it. */
  get lastWrittenPosition(): Position | undefined {
    return this.latestPosition;
  }

  async load(projectId: string): Promise<LoadedProject> {
    return this.handOut(await this.loadOwn(projectId));
  }

  /** Reads only what is new since the cached revision. */
  async refresh(projectId: string): Promise<LoadedProject> {
    return this.handOut(await this.refreshOwn(projectId));
  }

  private async loadOwn(projectId: string): Promise<LoadedProject> {
    return this.cache.get(projectId) ?? this.refreshOwn(projectId);
  }

  private async refreshOwn(projectId: string): Promise<LoadedProject> {
    const cached = this.cache.get(projectId);
    // The new events are folded onto this state: a command meanwhile must not change it in place.
    if (cached) this.ownedParts.delete(cached.state);
    const from = cached ? cached.revision + 1n : 0n;
    const events = await this.store.readStream(projectStreamId(projectId), { fromRevision: from });
    const loaded = this.fold(
      cached ?? { state: initialProjectState, revision: -1n, headHash: GENESIS_HASH },
      events,
      projectId,
    );
    this.remember(projectId, loaded);
    return this.cache.get(projectId) ?? loaded;
  }

  /** What leaves the repository may be kept and read by anyone: it is never changed in place again. */
  private handOut(loaded: LoadedProject): LoadedProject {
    this.ownedParts.delete(loaded.state);
    return loaded;
  }

  execute(projectId: string, command: ProjectCommand, context: CommandContext): Promise<CommandOutcome> {
    return this.run(projectId, () => command, context, true);
  }

  /**
   * Like execute, for a caller that needs only what was written: the state stays this
   * repository's own, so the project's next command changes it in place.
   */
  async record(projectId: string, command: ProjectCommand, context: CommandContext): Promise<CommandReceipt> {
    const { events, revision, position } = await this.run(projectId, () => command, context, false);
    return { events, revision, position };
  }

  /** `handOut`: the caller gets the state, so it is never changed in place again. */
  private run(
    projectId: string,
    build: (loaded: LoadedProject) => Promise<ProjectCommand> | ProjectCommand,
    context: CommandContext,
    handOut: boolean,
  ): Promise<CommandOutcome> {
    const arrival = this.arrive(projectId);
    return this.serialised(projectId, async () => {
      try {
        const outcome = await this.decideAndAppend(projectId, build, context, arrival);
        if (handOut) this.ownedParts.delete(outcome.state);
        return outcome;
      } finally {
        this.depart(projectId, arrival);
      }
    });
  }

  /** Like execute, for commands that need the loaded state to be built (documents, hashes). */
  executeWith(
    projectId: string,
    build: (loaded: LoadedProject) => Promise<ProjectCommand> | ProjectCommand,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    return this.run(projectId, (loaded) => build(this.handOut(loaded)), context, true);
  }

  private async decideAndAppend(
    projectId: string,
    build: (loaded: LoadedProject) => Promise<ProjectCommand> | ProjectCommand,
    context: CommandContext,
    arrival: Arrival,
  ): Promise<CommandOutcome> {
    for (let attempt = 0; ; attempt++) {
      const loaded = attempt === 0 ? await this.loadOwn(projectId) : await this.refreshOwn(projectId);
      if (attempt === 0) this.resolveArrivals(projectId, loaded.revision);
      if (context.expectedRevision !== undefined && context.expectedRevision !== loaded.revision) {
        throw new RevisionMismatchError(context.expectedRevision, loaded.revision);
      }
      const command = await build(loaded);
      const events = decide(command, loaded.state);
      if (events.length === 0) return { events, state: loaded.state, revision: loaded.revision };
      // With If-Match the caller named the exact revision it saw, which is stricter than this.
      if (context.expectedRevision === undefined)
        this.refuseIfChangedMeanwhile(projectId, command, loaded.state, arrival);
      const streamId = projectStreamId(projectId);
      const metadata = this.metadataFor(command, context);
      const toAppend = chainEvents(
        streamId,
        loaded.headHash,
        loaded.revision + 1n,
        events.map((e): NewEvent => ({
          id: newEventId(),
          type: e.type,
          schemaVersion: SCHEMA_VERSION,
          data: e.data as unknown as Record<string, unknown>,
          metadata,
        })),
      );
      try {
        const result = await this.store.append(
          streamId,
          toAppend,
          loaded.revision < 0n ? 'no_stream' : loaded.revision,
        );
        const state = this.evolveOwn(projectId, loaded.state, events, metadata.occurredAt);
        const next: LoadedProject = {
          state,
          revision: result.nextExpectedRevision,
          headHash: toAppend[toAppend.length - 1].metadata.hash!,
        };
        this.remember(projectId, next);
        this.noteChanges(
          projectId,
          events.map((e, i) => ({
            revision: loaded.revision + 1n + BigInt(i),
            at: Date.now(),
            targets: eventTargets(e),
          })),
        );
        this.latestPosition = result.position;
        return { events, state, revision: next.revision, position: result.position };
      } catch (error) {
        // Another process wrote first: decide again on the fresh state (its rules still apply).
        if (error instanceof WrongExpectedRevisionError && attempt < 3 && context.expectedRevision === undefined)
          continue;
        // The caller named the revision it saw (If-Match) and another process moved past it.
        if (error instanceof WrongExpectedRevisionError && context.expectedRevision !== undefined) {
          throw new RevisionMismatchError(
            context.expectedRevision,
            typeof error.actual === 'bigint' ? error.actual : -1n,
          );
        }
        throw error;
      }
    }
  }

  /**
   * The state after a command's events: in place where this repository owns the parts they
   * change (nobody was handed the state since), copying the rest. The records it builds are
   * kept for the live projection, which folds the same events and then shares them.
   */
  private evolveOwn(projectId: string, state: ProjectState, events: ProjectEvent[], occurredAt: string): ProjectState {
    const owned = this.ownedParts.get(state) ?? new Set();
    this.ownedParts.delete(state);
    try {
      const next = evolveOwning(
        state,
        events.map((event) => ({ event, occurredAt })),
        owned,
        'keep',
      );
      this.ownedParts.set(next, owned);
      return next;
    } catch (error) {
      // Half changed in place: read the project again on its next command.
      if (owned.size > 0) this.cache.delete(projectId);
      throw error;
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

  private arrive(projectId: string): Arrival {
    const arrival: Arrival = { revision: this.cache.get(projectId)?.revision, at: Date.now() };
    const waiting = this.waiting.get(projectId);
    if (waiting) waiting.add(arrival);
    else this.waiting.set(projectId, new Set([arrival]));
    if (arrival.revision === undefined) {
      const unresolved = this.unresolvedArrivals.get(projectId) ?? new Set<Arrival>();
      unresolved.add(arrival);
      this.unresolvedArrivals.set(projectId, unresolved);
    }
    return arrival;
  }

  private depart(projectId: string, arrival: Arrival): void {
    const waiting = this.waiting.get(projectId);
    waiting?.delete(arrival);
    if (waiting?.size === 0) this.waiting.delete(projectId);
    this.forgetChanges(projectId);
  }

  /** The first load after a command arrived, before anything is appended, is the revision it saw. */
  private resolveArrivals(projectId: string, revision: bigint): void {
    for (const arrival of this.unresolvedArrivals.get(projectId) ?? []) arrival.revision = revision;
    this.unresolvedArrivals.delete(projectId);
  }

  private refuseIfChangedMeanwhile(
    projectId: string,
    command: ProjectCommand,
    state: ProjectState,
    arrival: Arrival,
  ): void {
    const targets = new Set(commandTargets(command));
    if (targets.size === 0 || arrival.revision === undefined) return;
    for (const change of this.recentChanges.get(projectId) ?? []) {
      // Changes read back from another process count only when recorded after the arrival.
      if (change.revision <= arrival.revision || change.at < arrival.at) continue;
      const clash = change.targets.find((t) => targets.has(t));
      if (clash)
        throw conflict(
          `${describeTarget(state, clash)} was changed by someone else a moment ago; reload and try again`,
        );
    }
  }

  private noteChanges(projectId: string, changes: RecentChange[]): void {
    const recent = this.recentChanges.get(projectId) ?? [];
    for (const change of changes) recent.push(change);
    // Trimmed now and then rather than copied on every command.
    if (recent.length > 2 * RECENT_CHANGES_KEPT) recent.splice(0, recent.length - RECENT_CHANGES_KEPT);
    this.recentChanges.set(projectId, recent);
    this.forgetChanges(projectId);
  }

  /**
   * Drops the changes no command can clash with any more: those at or before the revision
   * every waiting command arrived at. A command arriving later sees at least the revision
   * cached now, which is never older than a change already noted. With no command waiting,
   * a busy project holds no changes at all between commands.
   */
  private forgetChanges(projectId: string): void {
    const recent = this.recentChanges.get(projectId);
    if (!recent) return;
    let floor: bigint | undefined;
    for (const arrival of this.waiting.get(projectId) ?? []) {
      // Not loaded yet: it will see the revision its first load reads, so keep everything till then.
      if (arrival.revision === undefined) return;
      if (floor === undefined || arrival.revision < floor) floor = arrival.revision;
    }
    let stale = 0;
    while (stale < recent.length && (floor === undefined || recent[stale].revision <= floor)) stale++;
    if (stale === recent.length) this.recentChanges.delete(projectId);
    else if (stale > 0) recent.splice(0, stale);
  }

  private fold(start: LoadedProject, events: readonly RecordedEvent[], projectId?: string): LoadedProject {
    let { revision, headHash } = start;
    const changes: RecentChange[] = [];
    // Folded in one go: a long stream read from the start costs time in proportion to it.
    const folded: { event: ProjectEvent; occurredAt: string }[] = [];
    for (const recorded of events) {
      const event = toProjectEvent(recorded);
      if (event) folded.push({ event, occurredAt: recorded.metadata.occurredAt });
      if (event && projectId)
        changes.push({
          revision: recorded.revision,
          at: Date.parse(recorded.recordedAt),
          targets: eventTargets(event),
        });
      revision = recorded.revision;
      headHash = (recorded.metadata.hash as string | undefined) ?? headHash;
    }
    if (projectId) this.noteChanges(projectId, changes.slice(-RECENT_CHANGES_KEPT));
    // Copied where the events change it (so the start stays as it was); the copies are its own.
    const owned: OwnedParts = new Set();
    const state = evolveOwning(start.state, folded, owned);
    if (state !== start.state) this.ownedParts.set(state, owned);
    return { state, revision, headHash };
  }

  private remember(projectId: string, loaded: LoadedProject): void {
    // A read that started before a later append must not put the older state back.
    const current = this.cache.get(projectId);
    if (current && current.revision > loaded.revision) return;
    this.cache.delete(projectId);
    this.cache.set(projectId, loaded);
    if (this.cache.size > MAX_CACHED_PROJECTS) {
      const oldest = this.cache.keys().next().value!;
      this.cache.delete(oldest);
      this.recentChanges.delete(oldest);
    }
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
  const folded: { event: ProjectEvent; occurredAt: string }[] = [];
  for (const recorded of events) {
    if (Date.parse(recorded.metadata.occurredAt) > limit) break;
    const event = toProjectEvent(recorded);
    if (event) folded.push({ event, occurredAt: recorded.metadata.occurredAt });
  }
  return evolveAll(initialProjectState, folded);
}

export function newId(): string {
  return randomUUID();
}
