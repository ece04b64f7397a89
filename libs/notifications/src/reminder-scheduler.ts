import { ChangeOrderState } from '@scope-ledger/domain';
import { SqlClient } from '@scope-ledger/event-store';
import { signingToken } from '@scope-ledger/platform';
import { projectHeaderFromDoc } from '@scope-ledger/projections';
import { currentMailIdentity, MailIdentitySource, reminderEmail, signingUrl } from './change-order-emails';
import { enqueueMessages, NewOutboxMessage } from './outbox';

export interface ReminderSchedulerOptions {
  readonly sql: SqlClient;
  readonly signingSecret: Buffer;
  readonly identity: MailIdentitySource;
  /** Remind this many hours before an order expires. */
  readonly hoursBeforeExpiry: number;
  readonly onMessagesQueued?: () => void;
}

/** Queues one reminder per order that still awaits signature and expires soon, from the read tables. */
export class ReminderScheduler {
  constructor(private readonly options: ReminderSchedulerOptions) {}

  /** Queues the reminders due at `now`; returns how many it queued. */
  async runOnce(now: Date = new Date()): Promise<number> {
    const { sql, signingSecret, hoursBeforeExpiry } = this.options;
    const identity = currentMailIdentity(this.options.identity);
    // Due from `hoursBeforeExpiry` before expiry, but never before half the signing period has passed:
    // an order issued for one day should not get its reminder right behind the link.
    const { rows } = await sql.query<{ project_id: string; order: ChangeOrderState; project: unknown }>(
      `SELECT o.project_id, o.doc AS order, p.doc AS project
       FROM change_orders o JOIN projects p ON p.project_id = o.project_id
       WHERE o.status = 'issued' AND o.expires_at > $1
         AND $1::timestamptz >= greatest(o.expires_at::timestamptz - make_interval(hours => $2::int),
           (o.doc #>> '{issue,issuedAt}')::timestamptz
             + (o.expires_at::timestamptz - (o.doc #>> '{issue,issuedAt}')::timestamptz) / 2)
         AND NOT EXISTS (SELECT 1 FROM notification_outbox m WHERE m.dedupe_key = o.key || ':reminder')
       ORDER BY o.expires_at`,
      [now.toISOString(), hoursBeforeExpiry],
    );
    const messages = rows
      .filter(({ order }) => order.issue?.signingTokenNonce)
      .map(({ project_id, order, project }): NewOutboxMessage => {
        const url = signingUrl(identity, signingToken(signingSecret, order.id, order.issue!.signingTokenNonce));
        return {
          dedupeKey: `${order.id}:reminder`,
          kind: 'reminder',
          projectId: project_id,
          changeOrderId: order.id,
          ...reminderEmail(identity, projectHeaderFromDoc(project), order, url),
        };
      });
    if (messages.length === 0) return 0;
    const queued = await sql.transaction((tx) => enqueueMessages(tx, messages));
    if (queued > 0) this.options.onMessagesQueued?.();
    return queued;
  }
}
