import { createHash } from 'node:crypto';
import { createTransport, NodemailerError, Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { SqlClient } from '@scope-ledger/event-store';
import { ProcessorLogger } from '@scope-ledger/projections';
import { OUTBOX_MESSAGE_COLUMNS, OutboxMessage } from './outbox';

/** `smtp://user:pass@host:587` (STARTTLS when offered), `smtps://…:465`, or host, port, secure and auth apart. */
export type SmtpServer = string | SMTPTransport.Options;

/** The From header: `Scope Ledger <no-reply@msp.example>`, or a name and an address apart. */
export type MailFrom = string | { readonly name: string; readonly address: string };

/** Where emails go out and whom they come from; without an SMTP server messages are held. */
export interface MailTransportSettings {
  readonly smtp?: SmtpServer;
  readonly from: MailFrom;
}

export interface OutboxSenderOptions {
  readonly sql: SqlClient;
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`; without it messages are held. */
  readonly smtpUrl?: string;
  /** The From header, e.g. `Scope Ledger <no-reply@msp.example>`. */
  readonly from: string;
  readonly logger?: ProcessorLogger;
}

function smtpTransport(smtp: SmtpServer): Transporter {
  // nodemailer waits minutes by default; a stuck server should not hold the queue that long.
  const timeouts = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };
  return createTransport(typeof smtp === 'string' ? { url: smtp, ...timeouts } : { ...timeouts, ...smtp });
}

function fromDomain(from: MailFrom): string {
  const address = typeof from === 'string' ? from : from.address;
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(address)?.[1] ?? 'scope-ledger.local';
}

/**
 * Sends one message straight away on its own connection and answers what the SMTP server said: for an admin
 * checking the settings, never through the outbox.
 */
export async function sendTestEmail(
  settings: MailTransportSettings & { readonly smtp: SmtpServer },
  message: { readonly to: string; readonly subject: string; readonly text: string },
): Promise<{ messageId: string; response: string }> {
  const transport = smtpTransport(settings.smtp);
  try {
    const info = await transport.sendMail({ from: settings.from, ...message });
    return { messageId: String(info.messageId ?? ''), response: String(info.response ?? '') };
  } finally {
    transport.close();
  }
}

export interface DeliveryReport {
  sent: number;
  /** Failed this time, to be tried again later. */
  retrying: number;
  failed: number;
  /** Marked held because no SMTP server is configured. */
  held: number;
}

/** How often due retries are looked for when nothing wakes the sender. */
const POLL_INTERVAL_MS = 5_000;
const BATCH_SIZE = 20;
/** Attempts before a message that keeps failing is marked failed. */
const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 60 * 60_000;
/** A claimed message is not claimed again for this long, so a sender that died mid-send is retried. */
const CLAIM_LEASE_MS = 5 * 60_000;

/**
 * Delivers pending outbox messages over SMTP. A message is claimed before it is sent, so two
 * servers never send it at once; a failure is retried with exponential backoff until a permanent
 * refusal (5xx) or the last attempt. A process dying between the SMTP server's acceptance and
 * marking the message sent sends it twice, both copies with the same Message-ID.
 */
export class OutboxSender {
  private transport?: Transporter;
  private from: MailFrom;
  private readonly logger: ProcessorLogger;
  private messageIdDomain: string;
  private loop?: Promise<void>;
  private stopped = false;
  private woken = false;
  private interruptSleep?: () => void;

  constructor(private readonly options: OutboxSenderOptions) {
    this.logger = options.logger ?? { log: () => undefined, error: () => undefined };
    this.from = options.from;
    this.messageIdDomain = fromDomain(options.from);
    if (options.smtpUrl) this.transport = smtpTransport(options.smtpUrl);
  }

  /**
   * Sends through another SMTP server or From address from now on (the company settings changed). Messages held
   * before stay held: staff may have passed them on by hand already.
   */
  configure(settings: MailTransportSettings): void {
    this.transport?.close();
    this.transport = settings.smtp === undefined ? undefined : smtpTransport(settings.smtp);
    this.from = settings.from;
    this.messageIdDomain = fromDomain(settings.from);
    this.wake();
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
      if (claimed.length < BATCH_SIZE) return report;
    }
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
        const timer = setTimeout(resolve, POLL_INTERVAL_MS);
        this.interruptSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.interruptSleep = undefined;
    }
  }

  private async claim(now: Date): Promise<OutboxMessage[]> {
    const { rows } = await this.options.sql.query<OutboxMessage>(
      `UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = $2::timestamptz
       WHERE id IN (
         SELECT id FROM notification_outbox
         WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1::timestamptz)
         ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING ${OUTBOX_MESSAGE_COLUMNS}`,
      [now.toISOString(), new Date(now.getTime() + CLAIM_LEASE_MS).toISOString(), BATCH_SIZE],
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  private async deliver(transport: Transporter, message: OutboxMessage, now: Date, report: DeliveryReport) {
    const { to, replyTo, subject, text, html, dedupeKey } = message;
    try {
      await transport.sendMail({
        from: this.from,
        to: { name: to.name, address: to.email },
        ...(replyTo ? { replyTo: { name: replyTo.name, address: replyTo.email } } : {}),
        subject,
        text,
        html,
        messageId: `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32)}@${this.messageIdDomain}>`,
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
      const { id, attempts } = message;
      if ((error as NodemailerError).permanent === true || attempts >= MAX_ATTEMPTS) {
        await this.options.sql.query(
          `UPDATE notification_outbox SET status = 'failed', next_attempt_at = NULL, last_error = $2 WHERE id = $1`,
          [id, reason],
        );
        this.logger.error(`Email ${dedupeKey} to ${to.email} failed for good after ${attempts} attempt(s): ${reason}`);
        report.failed++;
      } else {
        const backoff = Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), LONGEST_RETRY_MS);
        await this.options.sql.query(
          `UPDATE notification_outbox SET next_attempt_at = $2::timestamptz, last_error = $3 WHERE id = $1`,
          [id, new Date(now.getTime() + backoff).toISOString(), reason],
        );
        report.retrying++;
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
