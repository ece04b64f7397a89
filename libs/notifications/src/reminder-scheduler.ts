import { EventStore, SqlClient } from '@scope-ledger/event-store';
import { signingToken } from '@scope-ledger/platform';
import { MailIdentity, reminderEmail, signingUrl } from './change-order-emails';
import { enqueueMessages, NewOutboxMessage } from './outbox';
import { ProjectHistory } from './project-history';

export const DEFAULT_REMINDER_HOURS = 48;

export interface ReminderSchedulerOptions {
  readonly store: EventStore;
  readonly sql: SqlClient;
  readonly signingSecret: Buffer;
  readonly identity: MailIdentity;
  /** Remind this many hours before an order expires. */
  readonly hoursBeforeExpiry?: number;
  readonly onMessagesQueued?: () => void;
}

/**
 * Queues one reminder per order that still awaits signature and expires soon. Runs on a
 * timer; `now` comes in so that a run can be reasoned about (and tested) at any moment.
 */
export class ReminderScheduler {
  constructor(private readonly options: ReminderSchedulerOptions) {}

  /** Queues the reminders due at `now`; returns how many it queued. */
  async runOnce(now: Date = new Date()): Promise<number> {
    const hours = this.options.hoursBeforeExpiry ?? DEFAULT_REMINDER_HOURS;
    // Due from `hours` before expiry, but never before half the signing period has passed:
    // an order issued for one day should not get its reminder right behind the link.
    const { rows } = await this.options.sql.query<{ change_order_id: string; project_id: string }>(
      `SELECT a.change_order_id, a.project_id FROM notification_awaiting_signature a
       WHERE a.expires_at > $1::timestamptz
         AND $1::timestamptz >= greatest(a.expires_at - make_interval(hours => $2::int), ` +
        `a.issued_at + (a.expires_at - a.issued_at) / 2)
         AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.dedupe_key = a.change_order_id || ':reminder')
       ORDER BY a.expires_at`,
      [now.toISOString(), hours],
    );
    const messages: NewOutboxMessage[] = [];
    const histories = new Map<string, ProjectHistory>();
    for (const row of rows) {
      let history = histories.get(row.project_id);
      if (!history) {
        history = await ProjectHistory.read(this.options.store, row.project_id);
        histories.set(row.project_id, history);
      }
      const project = history.latest();
      const order = project.changeOrders[row.change_order_id];
      // The projector may not have seen a signature yet; the stream has the last word.
      if (
        !order?.issue?.signingTokenNonce ||
        order.status !== 'issued' ||
        Date.parse(order.issue.expiresAt) <= now.getTime()
      )
        continue;
      const url = signingUrl(
        this.options.identity,
        signingToken(this.options.signingSecret, order.id, order.issue.signingTokenNonce),
      );
      messages.push({
        dedupeKey: `${order.id}:reminder`,
        kind: 'reminder',
        projectId: row.project_id,
        changeOrderId: order.id,
        ...reminderEmail(this.options.identity, project, order, url),
      });
    }
    if (messages.length === 0) return 0;
    const queued = await this.options.sql.transaction((tx) => enqueueMessages(tx, messages));
    if (queued > 0) this.options.onMessagesQueued?.();
    return queued;
  }
}
