import { Person } from '@scope-ledger/domain';
import { SqlQueryable } from '@scope-ledger/event-store';
import { EmailContent } from './change-order-emails';

/**
 * pending: waiting for the SMTP server (first attempt or a retry).
 * sent:    the SMTP server accepted it.
 * failed:  given up: the server refused it for good, or every attempt failed.
 * held:    never emailed because no SMTP server is configured; staff read it here and pass it on.
 */
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'held';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sent', 'failed', 'held'];

export type MessageKind =
  | 'sign_link'
  | 'reminder'
  | 'viewed_to_manager'
  | 'consent_withdrawn_to_manager'
  | 'signed_to_manager'
  | 'signed_confirmation'
  | 'signed_to_finance'
  | 'declined_to_manager'
  | 'expired_to_manager'
  | 'voided_to_signer'
  | 'signing_code';

export interface NewOutboxMessage extends EmailContent {
  /** One message per key, ever: `<eventId>:sign-link`, `<changeOrderId>:reminder`, … */
  readonly dedupeKey: string;
  readonly kind: MessageKind;
  readonly projectId: string;
  readonly changeOrderId: string;
}

export interface OutboxMessage extends Omit<NewOutboxMessage, 'replyTo'> {
  id: string;
  replyTo: Person | null;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxFilter {
  changeOrderId?: string;
  projectId?: string;
  status?: OutboxStatus;
  limit?: number;
}

/** Adds messages whose key is new, in the caller's transaction; returns how many were added. */
export async function enqueueMessages(tx: SqlQueryable, messages: readonly NewOutboxMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const { rows: added } = await tx.query(
    `INSERT INTO notification_outbox (dedupe_key, kind, project_id, change_order_id, to_name, to_address,
       reply_to_name, reply_to_address, subject, text_body, html_body)
     SELECT "dedupeKey", kind, "projectId", "changeOrderId", "to"->>'name', "to"->>'email',
       "replyTo"->>'name', "replyTo"->>'email', subject, "text", "html"
     FROM jsonb_to_recordset($1::jsonb) AS x("dedupeKey" text, kind text, "projectId" text, "changeOrderId" text,
       "to" jsonb, "replyTo" jsonb, subject text, "text" text, "html" text)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [JSON.stringify(messages)],
  );
  return added.length;
}

const timestamp = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns of notification_outbox as an OutboxMessage. */
export const OUTBOX_MESSAGE_COLUMNS = `id::text AS id, dedupe_key AS "dedupeKey", kind, project_id AS "projectId",
  change_order_id AS "changeOrderId", json_build_object('name', to_name, 'email', to_address) AS "to",
  CASE WHEN reply_to_address <> ''
    THEN json_build_object('name', coalesce(reply_to_name, ''), 'email', reply_to_address) END AS "replyTo",
  subject, text_body AS "text", html_body AS "html", status, attempts, last_error AS "lastError",
  ${timestamp('next_attempt_at')} AS "nextAttemptAt", ${timestamp('created_at')} AS "createdAt",
  ${timestamp('sent_at')} AS "sentAt"`;

/** The outbox as staff read it, newest first. */
export async function listOutbox(sql: SqlQueryable, filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
  const { rows } = await sql.query<OutboxMessage>(
    `SELECT ${OUTBOX_MESSAGE_COLUMNS}
     FROM notification_outbox
     WHERE ($1::text IS NULL OR change_order_id = $1) AND ($2::text IS NULL OR project_id = $2)
       AND ($3::text IS NULL OR status = $3)
     ORDER BY notification_outbox.id DESC
     LIMIT $4`,
    [filter.changeOrderId ?? null, filter.projectId ?? null, filter.status ?? null, filter.limit ?? 200],
  );
  return rows.map(withheldCode);
}

/** One message as staff read it, or undefined when there is none with this id. */
export async function findOutboxMessage(sql: SqlQueryable, id: string): Promise<OutboxMessage | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const { rows } = await sql.query<OutboxMessage>(
    `SELECT ${OUTBOX_MESSAGE_COLUMNS} FROM notification_outbox WHERE id = $1::bigint`,
    [id],
  );
  return rows.map(withheldCode)[0];
}

/** Whether staff may send a message again now: it failed, was held, or waits for its next attempt after an error. */
export function isRetryable(message: Pick<OutboxMessage, 'status' | 'lastError'>): boolean {
  return (
    message.status === 'failed' || message.status === 'held' || (message.status === 'pending' && !!message.lastError)
  );
}

/**
 * Queues a failed, held or waiting message to be sent at the sender's next round; its attempts so far still count,
 * so a message that had used them all gets one more. Undefined when the message is not (or no longer) retryable.
 */
export async function retryOutboxMessage(sql: SqlQueryable, id: string): Promise<OutboxMessage | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const { rows } = await sql.query<OutboxMessage>(
    `UPDATE notification_outbox SET status = 'pending', next_attempt_at = NULL
     WHERE id = $1::bigint
       AND (status IN ('failed', 'held') OR (status = 'pending' AND last_error IS NOT NULL))
     RETURNING ${OUTBOX_MESSAGE_COLUMNS}`,
    [id],
  );
  return rows.map(withheldCode)[0];
}

/** A signing link's token: 43 base64url characters after /sign/. */
const SIGNING_LINK_TOKEN = /(\/sign\/)[A-Za-z0-9_-]{43}/g;

/** The message with every signing link's token replaced: whoever holds a link can sign as the client. */
export function withSigningLinksMasked(message: OutboxMessage): OutboxMessage {
  const mask = (text: string) => text.replace(SIGNING_LINK_TOKEN, '$1(link withheld)');
  return { ...message, text: mask(message.text), html: mask(message.html) };
}

/** The messages as a staff member of `role` may read them: signing links only for admins. */
export function outboxAsSeenBy(role: string, messages: readonly OutboxMessage[]): OutboxMessage[] {
  return role === 'admin' ? [...messages] : messages.map(withSigningLinksMasked);
}

/** Staff see that a signer was sent a code, never the code: it proves the signer holds their mailbox. */
function withheldCode(message: OutboxMessage): OutboxMessage {
  if (message.kind !== 'signing_code') return message;
  const withheld = '(one-time signing code, withheld)';
  return { ...message, subject: withheld, text: withheld, html: withheld };
}
