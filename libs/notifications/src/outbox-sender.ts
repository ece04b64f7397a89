import { createHash } from 'node:crypto';
import { createTransport, NodemailerError, Transporter } from 'nodemailer';
import { SqlClient } from '@scope-ledger/event-store';
import { ProcessorLogger } from '@scope-ledger/projections';
import { OutboxRow } from './outbox';

export interface OutboxSenderOptions {
  readonly sql: SqlClient;
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`; without it messages are held. */
  readonly smtpUrl?: string;
  /** The From header, e.g. `Scope Ledger <no-reply@msp.example>`. */
  readonly from: string;
  readonly logger?: ProcessorLogger;
  /** How often due retries are looked for when nothing wakes the sender. */
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  /** Attempts before a message that keeps failing is marked failed. */
  readonly maxAttempts?: number;
}

export interface DeliveryReport {
  sent: number;
  /** Failed this time, to be tried again later. */
  retrying: number;
  /** Given up for good. */
  failed: number;
  /** Marked held because no SMTP server is configured. */
  held: number;
}

const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 60 * 60_000;
/** A claimed message is not claimed again for this long, so a sender that died mid-send is retried. */
const CLAIM_LEASE_MS = 5 * 60_000;

/**
 * Delivers pending outbox messages over SMTP with nodemailer. A message is claimed before
 * it is sent (attempts + 1, next attempt pushed past a lease), so two servers never send it
 * at once; a failure is recorded and retried with exponential backoff; a permanent refusal
 * (5xx) or the last attempt marks it failed. The SMTP server accepting a message that the
 * process then dies before marking sent is the one case that sends it twice; both copies
 * carry the same Message-ID.
 */
export class OutboxSender {
  private readonly transport?: Transporter;
  private readonly logger: ProcessorLogger;
  private readonly messageIdDomain: string;
  private loop?: Promise<void>;
  private stopped = false;
  private woken = false;
  private interruptSleep?: () => void;

  constructor(private readonly options: OutboxSenderOptions) {
    this.logger = options.logger ?? { log: () => undefined, error: () => undefined };
    this.messageIdDomain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(options.from)?.[1] ?? 'scope-ledger.local';
    if (options.smtpUrl) {
      // nodemailer waits minutes by default; a stuck server should not hold the queue that long.
      this.transport = createTransport({
        url: options.smtpUrl,
        connectionTimeout: 30_000,
        greetingTimeout: 30_000,
        socketTimeout: 60_000,
      });
    }
  }

  get smtpConfigured(): boolean {
    return this.transport !== undefined;
  }

  start(): void {
    if (this.loop) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** New messages are waiting: deliver now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.interruptSleep?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.interruptSleep?.();
    await this.loop;
    this.loop = undefined;
    this.transport?.close();
  }

  /** Delivers (or, without SMTP, holds) every message due at `now`. */
  async runOnce(now: Date = new Date()): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, held: 0 };
    if (!this.transport) {
      const { rows } = await this.options.sql.query(
        `UPDATE notification_outbox SET status = 'held' WHERE status = 'pending' RETURNING id`,
      );
      report.held = rows.length;
      return report;
    }
    for (;;) {
      const claimed = await this.claim(now);
      for (const message of claimed) await this.deliver(this.transport, message, now, report);
      if (claimed.length < this.batchSize) return report;
    }
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 20;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      try {
        await this.runOnce(new Date());
      } catch (error) {
        this.logger.error(`Outbox delivery failed: ${describe(error)}`);
      }
      if (this.woken || this.stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollIntervalMs ?? 5_000);
        this.interruptSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.interruptSleep = undefined;
    }
  }

  private async claim(now: Date): Promise<OutboxRow[]> {
    const { rows } = await this.options.sql.query<OutboxRow>(
      `UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = $2::timestamptz
       WHERE id IN (
         SELECT id FROM notification_outbox
         WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1::timestamptz)
         ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id::text AS id, dedupe_key, to_name, to_address, reply_to_name, reply_to_address, ` +
        `subject, text_body, html_body, attempts`,
      [now.toISOString(), new Date(now.getTime() + CLAIM_LEASE_MS).toISOString(), this.batchSize],
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  private async deliver(transport: Transporter, message: OutboxRow, now: Date, report: DeliveryReport): Promise<void> {
    try {
      await transport.sendMail({
        from: this.options.from,
        to: { name: message.to_name, address: message.to_address },
        ...(message.reply_to_address
          ? { replyTo: { name: message.reply_to_name ?? '', address: message.reply_to_address } }
          : {}),
        subject: message.subject,
        text: message.text_body,
        html: message.html_body,
        messageId:
          `<${createHash('sha256').update(message.dedupe_key).digest('hex').slice(0, 32)}` +
          `@${this.messageIdDomain}>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      await this.options.sql.query(
        `UPDATE notification_outbox SET status = 'sent', sent_at = $2::timestamptz, ` +
          `next_attempt_at = NULL, last_error = NULL WHERE id = $1`,
        [message.id, now.toISOString()],
      );
      report.sent++;
    } catch (error) {
      const reason = describe(error).slice(0, 2000);
      const giveUp =
        (error as NodemailerError).permanent === true || message.attempts >= (this.options.maxAttempts ?? 10);
      if (giveUp) {
        await this.options.sql.query(
          `UPDATE notification_outbox SET status = 'failed', next_attempt_at = NULL, last_error = $2 WHERE id = $1`,
          [message.id, reason],
        );
        this.logger.error(
          `Email ${message.dedupe_key} to ${message.to_address} ` +
            `failed for good after ${message.attempts} attempt(s): ${reason}`,
        );
        report.failed++;
      } else {
        const retryAt = new Date(
          now.getTime() + Math.min(FIRST_RETRY_MS * 2 ** (message.attempts - 1), LONGEST_RETRY_MS),
        );
        await this.options.sql.query(
          `UPDATE notification_outbox SET next_attempt_at = $2::timestamptz, last_error = $3 WHERE id = $1`,
          [message.id, retryAt.toISOString(), reason],
        );
        report.retrying++;
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
