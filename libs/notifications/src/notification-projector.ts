import { ProjectState } from '@scope-ledger/domain';
import {
  comparePositions,
  EventStore,
  formatPosition,
  Leadership,
  migrate,
  Position,
  RecordedEvent,
  SqlClient,
  SqlQueryable,
  START,
  Subscription,
} from '@scope-ledger/event-store';
import { signingToken } from '@scope-ledger/platform';
import { PROJECT_STREAM_PREFIX, projectIdOf, ProjectionLogger, ProjectionRunner } from '@scope-ledger/projections';
import {
  declinedManagerEmail,
  EmailContent,
  MailIdentity,
  signedConfirmationEmail,
  signedDocumentUrl,
  signedManagerEmail,
  signingUrl,
  signLinkEmail,
} from './change-order-emails';
import { notificationMigrations } from './notifications.migrations';
import { enqueueMessages, NewOutboxMessage } from './outbox';
import { ProjectHistory } from './project-history';

/** The projector's row in `projection_checkpoints`. */
export const NOTIFICATIONS_CHECKPOINT = 'notifications';

/** How often a server that does not hold the notifications lock tries to take it. */
const TAKEOVER_INTERVAL_MS = 2_000;

const ORDER_EVENTS = new Set([
  'ChangeOrderIssued',
  'ChangeOrderSigned',
  'ChangeOrderDeclined',
  'ChangeOrderVoided',
  'ChangeOrderExpired',
]);

export interface NotificationProjectorOptions {
  readonly store: EventStore;
  readonly sql: SqlClient;
  readonly signingSecret: Buffer;
  readonly identity: MailIdentity;
  readonly logger?: ProjectionLogger;
  /** Called after a commit that queued new messages (the sender wakes up). */
  readonly onMessagesQueued?: () => void;
  readonly batchSize?: number;
}

interface AwaitingSignature {
  projectId: string;
  issuedAt: string;
  expiresAt: string;
}

interface BatchOutcome {
  messages: NewOutboxMessage[];
  /** Per order: still awaiting signature (with its expiry) or closed (null). The last event of the batch wins. */
  awaiting: Map<string, AwaitingSignature | null>;
}

/**
 * Turns change-order events into outbox messages. A checkpointed subscriber like the
 * projection runner: each batch's messages and the checkpoint commit in one transaction,
 * and every message has a key derived from its event, so redelivering events (after a
 * crash, a restart or a replay from the start) never queues a message twice.
 *
 * With several servers on one PostgreSQL, the one holding an advisory lock projects and the
 * others retry the lock every few seconds, as the projection runner does. Keys would keep
 * two active projectors from queuing duplicates too; the lock only saves the double work.
 */
/** How often a projector that queues nothing saves how far it has read. */
const IDLE_CHECKPOINT_INTERVAL_MS = 1_000;

export class NotificationProjector {
  private subscription?: Subscription;
  private position: Position = START;
  private readonly logger: ProjectionLogger;
  private running = false;
  private leadership?: Leadership;
  private takeoverTimer?: NodeJS.Timeout;
  private interruptPause?: () => void;
  /** Position reached by batches that queued nothing, not yet saved (see apply). */
  private unsaved?: Position;
  private savedAt = 0;

  constructor(private readonly options: NotificationProjectorOptions) {
    this.logger = options.logger ?? { log: () => undefined, error: () => undefined };
  }

  static async prepare(sql: SqlClient): Promise<void> {
    await ProjectionRunner.prepare(sql); // owns projection_checkpoints
    await migrate(sql, notificationMigrations);
  }

  get checkpoint(): Position {
    return this.position;
  }

  /** Whether this server is the one projecting notifications. */
  get isActive(): boolean {
    return this.leadership !== undefined;
  }

  async start(): Promise<void> {
    await NotificationProjector.prepare(this.options.sql);
    this.running = true;
    this.position = (await this.loadCheckpoint()) ?? START;
    await this.tryToLead();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.interruptPause?.();
    clearTimeout(this.takeoverTimer);
    this.takeoverTimer = undefined;
    await this.subscription?.stop();
    this.subscription = undefined;
    if (this.leadership) await this.saveUnsaved().catch(() => undefined);
    await this.leadership?.release();
    this.leadership = undefined;
  }

  private async saveUnsaved(): Promise<void> {
    const position = this.unsaved;
    if (!position) return;
    await saveCheckpoint(this.options.sql, position);
    if (this.unsaved === position) this.unsaved = undefined;
    this.savedAt = Date.now();
  }

  private async tryToLead(): Promise<void> {
    const schema = (await this.options.sql.query<{ schema: string }>(`SELECT current_schema() AS schema`)).rows[0]
      .schema;
    const lockName = `scope-ledger:projections:${schema}:${NOTIFICATIONS_CHECKPOINT}`;
    const leadership = await this.options.sql.tryLeadership(lockName).catch(() => undefined);
    if (!leadership) return this.standBy();
    try {
      const position = this.running ? await this.startingPosition() : undefined;
      if (!position || !this.running) {
        await leadership.release();
        return;
      }
      this.position = position;
      this.leadership = leadership;
      this.subscription = this.options.store.subscribe((batch) => this.handle(batch), {
        after: position,
        streamPrefix: PROJECT_STREAM_PREFIX,
        batchSize: this.options.batchSize ?? 200,
        // Emails need not leave within milliseconds of their command: under a steady stream of
        // commands, read a tenth of a second's events at a time rather than a few per read.
        gatherMs: 100,
      });
    } catch (error) {
      await leadership.release();
      throw error;
    }
    void leadership.lost.then(async () => {
      if (this.leadership !== leadership) return;
      this.logger.error('Lost the notifications lock; standing by to take it again');
      this.leadership = undefined;
      this.interruptPause?.();
      await this.subscription?.stop();
      this.subscription = undefined;
      this.standBy();
    });
  }

  private standBy(): void {
    if (!this.running) return;
    this.takeoverTimer = setTimeout(() => {
      this.tryToLead().catch((error: unknown) => {
        this.logger.error(`Taking the notifications lock failed: ${describe(error)}`);
        this.standBy();
      });
    }, TAKEOVER_INTERVAL_MS);
    this.takeoverTimer.unref();
  }

  /**
   * Never throws: a subscription whose handler fails ends, and its batch would be lost
   * until a restart. While the database itself fails, the batch is retried with backoff
   * (until this server stops or loses the lock; the checkpoint then says where to resume).
   */
  private async handle(batch: readonly RecordedEvent[]): Promise<void> {
    for (let attempt = 1; this.running && this.leadership; attempt++) {
      try {
        await this.applyOrParkEach(batch);
        this.position = batch[batch.length - 1].position;
        return;
      } catch (error) {
        const delay = Math.min(1_000 * 2 ** (attempt - 1), 30_000);
        this.logger.error(`Notifications cannot proceed (${describe(error)}); retrying in ${delay / 1000} s`);
        await this.pause(delay);
      }
    }
  }

  private async applyOrParkEach(batch: readonly RecordedEvent[]): Promise<void> {
    try {
      await this.apply(batch);
    } catch (batchError) {
      this.logger.error(`Notification batch failed (${describe(batchError)}); retrying event by event`);
      for (const event of batch) await this.applyOrPark(event);
    }
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.interruptPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.interruptPause = undefined;
  }

  /**
   * An event that fails on its own is parked, so one bad event cannot stop every email. If
   * parking fails too, the database itself is failing and the caller retries the batch.
   */
  private async applyOrPark(event: RecordedEvent): Promise<void> {
    try {
      await this.apply([event]);
    } catch (error) {
      await this.options.sql.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO notification_parked_events (event_id, stream_id, event_type, commit_position, ` +
            `prepare_position, error)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
          [
            event.id,
            event.streamId,
            event.type,
            event.position.commit.toString(),
            event.position.prepare.toString(),
            describe(error),
          ],
        );
        await saveCheckpoint(tx, event.position);
      });
      this.logger.error(
        `Parked event ${event.id} (${event.type} in ${event.streamId}) for notifications: ${describe(error)}`,
      );
    }
  }

  private async apply(batch: readonly RecordedEvent[]): Promise<void> {
    // Streams are read before the transaction: PGlite has one connection, held by an open transaction.
    const outcome = await this.outcomeOf(batch);
    const last = batch[batch.length - 1].position;
    // Most events send nothing. Their checkpoint is saved at most once a second rather than
    // with a commit per command: after a restart the projector reads those events again, and
    // they queue nothing, so no email depends on it.
    if (outcome.messages.length === 0 && outcome.awaiting.size === 0) {
      this.unsaved = last;
      if (Date.now() - this.savedAt >= IDLE_CHECKPOINT_INTERVAL_MS) await this.saveUnsaved();
      return;
    }
    const queued = await this.options.sql.transaction(async (tx) => {
      const added = await enqueueMessages(tx, outcome.messages);
      await trackAwaitingSignature(tx, outcome.awaiting);
      await saveCheckpoint(tx, last);
      return added;
    });
    this.unsaved = undefined;
    this.savedAt = Date.now();
    if (queued > 0) this.options.onMessagesQueued?.();
  }

  private async outcomeOf(batch: readonly RecordedEvent[]): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { messages: [], awaiting: new Map() };
    const relevant = batch.filter((e) => ORDER_EVENTS.has(e.type));
    const histories = new Map<string, ProjectHistory>();
    for (const event of relevant) {
      const projectId = projectIdOf(event.streamId);
      let history = histories.get(projectId);
      if (!history) {
        history = await ProjectHistory.read(this.options.store, projectId);
        histories.set(projectId, history);
      }
      this.collect(outcome, event, projectId, history.stateAt(event.revision));
    }
    return outcome;
  }

  /** What one event sends, given the project as it was right after that event. */
  private collect(outcome: BatchOutcome, event: RecordedEvent, projectId: string, project: ProjectState): void {
    const { identity } = this.options;
    const changeOrderId = String(event.data.changeOrderId);
    const order = project.changeOrders[changeOrderId];
    if (!order) throw new Error(`${event.type} names change order ${changeOrderId}, which the project does not have`);
    const queue = (suffix: string, kind: NewOutboxMessage['kind'], content: EmailContent) =>
      outcome.messages.push({ dedupeKey: `${event.id}:${suffix}`, kind, projectId, changeOrderId, ...content });

    switch (event.type) {
      case 'ChangeOrderIssued': {
        const url = signingUrl(identity, this.tokenOf(order.id, order.issue?.signingTokenNonce));
        queue('sign-link', 'sign_link', signLinkEmail(identity, project, order, url));
        outcome.awaiting.set(changeOrderId, {
          projectId,
          issuedAt: order.issue!.issuedAt,
          expiresAt: order.issue!.expiresAt,
        });
        return;
      }
      case 'ChangeOrderSigned': {
        const documentUrl = signedDocumentUrl(identity, this.tokenOf(order.id, order.issue?.signingTokenNonce));
        queue('signed:signer', 'signed_confirmation', signedConfirmationEmail(identity, project, order, documentUrl));
        if (project.manager)
          queue('signed:manager', 'signed_to_manager', signedManagerEmail(identity, project, order, project.manager));
        outcome.awaiting.set(changeOrderId, null);
        return;
      }
      case 'ChangeOrderDeclined': {
        if (project.manager)
          queue(
            'declined:manager',
            'declined_to_manager',
            declinedManagerEmail(identity, project, order, project.manager),
          );
        outcome.awaiting.set(changeOrderId, null);
        return;
      }
      default:
        // Voided or expired: nothing to send, but no reminder either.
        outcome.awaiting.set(changeOrderId, null);
    }
  }

  private tokenOf(changeOrderId: string, nonce: string | undefined): string {
    if (!nonce)
      throw new Error(
        `Change order ${changeOrderId} was issued without a signing-token nonce; its link cannot be derived`,
      );
    return signingToken(this.options.signingSecret, changeOrderId, nonce);
  }

  /**
   * Where projecting resumes: the checkpoint; from the start when only the checkpoint was
   * reset (the keys in the outbox keep the replay from queuing anything twice); from the end
   * of the log when events exist but the outbox has never seen any (a first start on an
   * imported or older log), so that clients are not emailed about orders of the past.
   */
  private async startingPosition(): Promise<Position> {
    const saved = await this.loadCheckpoint();
    if (saved) return saved;
    const { rows } = await this.options.sql.query<{ queued: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM notification_outbox) AS queued`,
    );
    if (rows[0].queued) return START;
    const head = await this.options.store.headPosition();
    if (comparePositions(head, START) > 0) {
      this.logger.log(
        `Notifications start at the end of the existing event log (${formatPosition(head)}); ` +
          `earlier events are not emailed`,
      );
    }
    await saveCheckpoint(this.options.sql, head);
    return head;
  }

  private async loadCheckpoint(): Promise<Position | undefined> {
    const { rows } = await this.options.sql.query<{ commit_position: string; prepare_position: string }>(
      `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position
       FROM projection_checkpoints WHERE name = $1`,
      [NOTIFICATIONS_CHECKPOINT],
    );
    return rows[0] ? { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].prepare_position) } : undefined;
  }
}

async function trackAwaitingSignature(
  tx: SqlQueryable,
  awaiting: Map<string, AwaitingSignature | null>,
): Promise<void> {
  const open: object[] = [];
  const closed: string[] = [];
  for (const [id, a] of awaiting) {
    if (a) open.push({ change_order_id: id, project_id: a.projectId, issued_at: a.issuedAt, expires_at: a.expiresAt });
    else closed.push(id);
  }
  if (open.length > 0) {
    await tx.query(
      `INSERT INTO notification_awaiting_signature (change_order_id, project_id, issued_at, expires_at)
       SELECT x.change_order_id, x.project_id, x.issued_at, x.expires_at
       FROM jsonb_to_recordset($1::jsonb) AS x(change_order_id text, project_id text, ` +
        `issued_at timestamptz, expires_at timestamptz)
       ON CONFLICT (change_order_id) DO UPDATE SET issued_at = EXCLUDED.issued_at, expires_at = EXCLUDED.expires_at`,
      [JSON.stringify(open)],
    );
  }
  if (closed.length > 0) {
    await tx.query(
      `DELETE FROM notification_awaiting_signature WHERE change_order_id IN ` +
        `(SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify(closed)],
    );
  }
}

async function saveCheckpoint(tx: SqlQueryable, position: Position): Promise<void> {
  await tx.query(
    `INSERT INTO projection_checkpoints (name, commit_position, prepare_position, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (name) DO UPDATE SET commit_position = EXCLUDED.commit_position,
       prepare_position = EXCLUDED.prepare_position, updated_at = now()`,
    [NOTIFICATIONS_CHECKPOINT, position.commit.toString(), position.prepare.toString()],
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
