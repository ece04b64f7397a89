import { EventStore, SqlClient } from '@scope-ledger/event-store';
import { ProjectionLogger } from '@scope-ledger/projections';
import { MailIdentity } from './change-order-emails';
import { NotificationProjector } from './notification-projector';
import { OutboxSender } from './outbox-sender';
import { ReminderScheduler } from './reminder-scheduler';

export interface NotificationSettings extends MailIdentity {
  readonly smtpUrl?: string;
  readonly mailFrom: string;
  readonly reminderHoursBeforeExpiry?: number;
  /** How often reminders are looked for. */
  readonly reminderIntervalMs?: number;
}

export interface NotificationDependencies {
  readonly sql: SqlClient;
  readonly store: EventStore;
  readonly signingSecret: Buffer;
  readonly logger?: ProjectionLogger;
}

const REMINDER_INTERVAL_MS = 5 * 60_000;

/** The projector, the reminder timer and the sender, started and stopped together. */
export class Notifications {
  private reminderTimer?: NodeJS.Timeout;
  private reminderRun?: Promise<unknown>;

  private constructor(
    readonly projector: NotificationProjector,
    readonly reminders: ReminderScheduler,
    readonly sender: OutboxSender,
    private readonly logger: ProjectionLogger,
  ) {}

  static async start(deps: NotificationDependencies, settings: NotificationSettings): Promise<Notifications> {
    const logger = deps.logger ?? { log: () => undefined, error: () => undefined };
    const identity: MailIdentity = { mspName: settings.mspName, publicUrl: settings.publicUrl };
    const sender = new OutboxSender({ sql: deps.sql, smtpUrl: settings.smtpUrl, from: settings.mailFrom, logger });
    const wakeSender = () => sender.wake();
    const projector = new NotificationProjector({ ...deps, identity, logger, onMessagesQueued: wakeSender });
    const reminders = new ReminderScheduler({
      ...deps,
      identity,
      hoursBeforeExpiry: settings.reminderHoursBeforeExpiry,
      onMessagesQueued: wakeSender,
    });
    const notifications = new Notifications(projector, reminders, sender, logger);
    await projector.start();
    sender.start();
    notifications.reminderTimer = setInterval(
      () => notifications.remind(),
      settings.reminderIntervalMs ?? REMINDER_INTERVAL_MS,
    );
    notifications.reminderTimer.unref();
    logger.log(
      settings.smtpUrl ? 'Emails go out over SMTP' : 'No SMTP_URL: emails are held in the outbox (GET /api/outbox)',
    );
    return notifications;
  }

  async stop(): Promise<void> {
    clearInterval(this.reminderTimer);
    await this.reminderRun;
    await this.projector.stop();
    await this.sender.stop();
  }

  private remind(): void {
    if (this.reminderRun) return;
    this.reminderRun = this.reminders
      .runOnce(new Date())
      .catch((error: Error) => this.logger.error(`Reminders failed: ${error.message}`))
      .finally(() => (this.reminderRun = undefined));
  }
}
