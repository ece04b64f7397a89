import { migrate, SqlClient } from '@scope-ledger/event-store';
import { EventProcessor, ProcessorLogger } from '@scope-ledger/projections';
import { MailIdentity, MailIdentitySource } from './change-order-emails';
import { notificationMigrations } from './notifications.migrations';
import { OutboxReactor } from './outbox-reactor';
import { MailTransportSettings, OutboxSender } from './outbox-sender';
import { ReminderScheduler } from './reminder-scheduler';

export interface NotificationSettings extends MailIdentity {
  readonly smtpUrl?: string;
  readonly mailFrom: string;
  readonly reminderHoursBeforeExpiry: number;
  /** Read for each batch of emails instead of the fixed name above (the company settings, which may change). */
  readonly identitySource?: () => MailIdentity;
  /** The SMTP server and From address to start with, instead of smtpUrl and mailFrom. */
  readonly transport?: MailTransportSettings;
}

export interface NotificationDependencies {
  readonly sql: SqlClient;
  /** Not started yet: the outbox reactor is added to it. */
  readonly processor: EventProcessor;
  readonly signingSecret: Buffer;
  readonly logger?: ProcessorLogger;
}

const REMINDER_INTERVAL_MS = 5 * 60_000;

/** The outbox reactor on the event processor, the reminder timer and the sender. */
export class Notifications {
  private readonly reminderTimer = setInterval(() => this.remind(), REMINDER_INTERVAL_MS).unref();
  private reminderRun?: Promise<unknown>;

  private constructor(
    readonly reminders: ReminderScheduler,
    readonly sender: OutboxSender,
    private readonly logger: ProcessorLogger,
  ) {}

  static async start(deps: NotificationDependencies, settings: NotificationSettings): Promise<Notifications> {
    const { sql, processor, signingSecret } = deps;
    const logger = deps.logger ?? { log: () => undefined, error: () => undefined };
    await EventProcessor.prepare(sql);
    await migrate(sql, notificationMigrations);
    const identity: MailIdentitySource = settings.identitySource ?? {
      mspName: settings.mspName,
      publicUrl: settings.publicUrl,
    };
    const sender = new OutboxSender({ sql, smtpUrl: settings.smtpUrl, from: settings.mailFrom, logger });
    if (settings.transport) sender.configure(settings.transport);
    const sendsEmail = settings.transport ? settings.transport.smtp !== undefined : settings.smtpUrl !== undefined;
    const onMessagesQueued = () => sender.wake();
    processor.addReactor(new OutboxReactor({ signingSecret, identity, onMessagesQueued }));
    const hoursBeforeExpiry = settings.reminderHoursBeforeExpiry;
    const reminders = new ReminderScheduler({ sql, signingSecret, identity, hoursBeforeExpiry, onMessagesQueued });
    sender.start();
    logger.log(
      sendsEmail ? 'Emails go out over SMTP' : 'No SMTP server set: emails are held in the outbox (GET /api/outbox)',
    );
    return new Notifications(reminders, sender, logger);
  }

  async stop(): Promise<void> {
    clearInterval(this.reminderTimer);
    await this.reminderRun;
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
