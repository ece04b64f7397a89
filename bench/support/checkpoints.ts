import { PgSqlClient } from '@scope-ledger/event-store';
import { postgresUrl } from './databases';
import { elapsedSeconds, progress } from './progress';

/**
 * PostgreSQL's checkpoints during a run. After each checkpoint begins, the first change to
 * every page writes the whole page to the write-ahead log, and the checkpointer writes dirty
 * pages out for minutes after: a checkpoint that falls in a measurement slows it. The run asks
 * for one before each section on PostgreSQL, so that no section starts with another's dirty
 * pages and WAL; this watch notes when every checkpoint began, in which part of the run, and
 * whether the run asked for it, for the report.
 */
export interface CheckpointSeen {
  /** Seconds into the run at which the checkpoint began (the server notes whole seconds). */
  readonly atSecond: number;
  /** The part of the run under way then. */
  readonly during: string;
  /** True for a CHECKPOINT the run issued; false for one the server began (timed, or WAL reached max_wal_size). */
  readonly askedFor: boolean;
}

export interface CheckpointLog {
  readonly seen: CheckpointSeen[];
  /** Why the log is empty, when the server would not say (pg_control_checkpoint needs pg_monitor or superuser). */
  readonly unavailable?: string;
}

const POLL_MS = 1_000;

class CheckpointWatch {
  private admin: PgSqlClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private lastBegan: number | undefined;
  private unavailable: string | undefined;
  private readonly parts: { label: string; fromMs: number }[] = [];
  private readonly asked: { fromMs: number; toMs: number }[] = [];
  private readonly seen: CheckpointSeen[] = [];
  private readonly runStartedMs = Date.now() - elapsedSeconds() * 1000;

  async start(): Promise<void> {
    this.admin = new PgSqlClient({ connectionString: postgresUrl, max: 1 });
    try {
      this.lastBegan = await this.latestBegan();
    } catch (error) {
      // Not allowed to read the control file: the run still asks for its checkpoints.
      this.unavailable = (error as Error).message;
      return;
    }
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  /** Names the part of the run that starts now. */
  during(label: string): void {
    this.parts.push({ label, fromMs: Date.now() });
  }

  /** A CHECKPOINT now, so that what the run wrote before goes out before what it measures next. */
  async checkpoint(): Promise<void> {
    if (!this.admin) return;
    const fromMs = Date.now();
    try {
      await this.admin.query('CHECKPOINT');
    } catch (error) {
      progress(`  (no CHECKPOINT: ${(error as Error).message}; earlier writes may still be going out)`);
      return;
    }
    this.asked.push({ fromMs, toMs: Date.now() });
    await this.poll();
  }

  async stop(): Promise<CheckpointLog> {
    if (this.timer) clearInterval(this.timer);
    if (this.admin) {
      await this.poll();
      await this.admin.close();
      this.admin = undefined;
    }
    return { seen: [...this.seen], unavailable: this.unavailable };
  }

  /**
   * The server's write-ahead log position, for the WAL a stretch of the run wrote (the whole
   * server's: the benchmark is the only writer), on the watch's own connection. Undefined when
   * the server will not say.
   */
  async walPosition(): Promise<bigint | undefined> {
    if (!this.admin) return undefined;
    try {
      const { rows } = await this.admin.query<{ bytes: string }>(
        `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS bytes`,
      );
      return BigInt(rows[0].bytes.split('.')[0]);
    } catch {
      return undefined;
    }
  }

  private poll(): Promise<void> {
    // One query at a time, in order: a slow answer must not let two polls note one checkpoint twice.
    this.polling = this.polling.then(async () => {
      if (!this.admin || this.unavailable) return;
      const began = await this.latestBegan().catch(() => undefined);
      if (began === undefined || began === this.lastBegan) return;
      this.lastBegan = began;
      this.seen.push({
        atSecond: Math.max(0, Math.round((began - this.runStartedMs) / 1000)),
        during: this.partAt(began),
        // The server keeps whole seconds: a checkpoint begun within the second of a CHECKPOINT of ours is ours.
        askedFor: this.asked.some((a) => began >= Math.floor(a.fromMs / 1000) * 1000 && began <= a.toMs),
      });
    });
    return this.polling;
  }

  /** When the last finished checkpoint began, in milliseconds since the epoch (whole seconds). */
  private async latestBegan(): Promise<number> {
    const { rows } = await this.admin!.query<{ began: string }>(
      `SELECT extract(epoch FROM checkpoint_time)::text AS began FROM pg_control_checkpoint()`,
    );
    return Number(rows[0].began) * 1000;
  }

  private partAt(ms: number): string {
    let label = 'before the first section';
    // A checkpoint noted at second s began somewhere within it.
    for (const part of this.parts) if (part.fromMs <= ms + 999) label = part.label;
    return label;
  }
}

/** The run's one watch; sections name their parts through it. */
export const checkpoints = new CheckpointWatch();
