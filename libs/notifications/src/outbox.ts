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
  'sign_link' | 'reminder' | 'signed_to_manager' | 'signed_confirmation' | 'declined_to_manager';

export interface NewOutboxMessage extends EmailContent {
  /** One message per key, ever: `<eventId>:sign-link`, `<changeOrderId>:reminder`, … */
  readonly dedupeKey: string;
  readonly kind: MessageKind;
  readonly projectId: string;
  readonly changeOrderId: string;
}

export interface OutboxMessage {
  id: string;
  dedupeKey: string;
  kind: MessageKind;
  projectId: string;
  changeOrderId: string;
  to: Person;
  replyTo: Person | null;
  subject: string;
  text: string;
  html: string;
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
  const rows = messages.map((m) => ({
    dedupe_key: m.dedupeKey,
    kind: m.kind,
    project_id: m.projectId,
    change_order_id: m.changeOrderId,
    to_name: m.to.name,
    to_address: m.to.email,
    reply_to_name: m.replyTo?.name ?? null,
    reply_to_address: m.replyTo?.email ?? null,
    subject: m.subject,
    text_body: m.text,
    html_body: m.html,
  }));
  const { rows: added } = await tx.query(
    `INSERT INTO notification_outbox (dedupe_key, kind, project_id, change_order_id, to_name, to_address, reply_to_name,
       reply_to_address, subject, text_body, html_body)
     SELECT x.dedupe_key, x.kind, x.project_id, x.change_order_id, x.to_name, x.to_address, x.reply_to_name,
       x.reply_to_address, x.subject, x.text_body, x.html_body
     FROM jsonb_to_recordset($1::jsonb) AS x(dedupe_key text, kind text, project_id text, ` +
      `change_order_id text, to_name text,
       to_address text, reply_to_name text, reply_to_address text, subject text, text_body text, html_body text)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [JSON.stringify(rows)],
  );
  return added.length;
}

const TIMESTAMP = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The outbox as staff read it, newest first. */
export async function listOutbox(sql: SqlQueryable, filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
  const { rows } = await sql.query<OutboxRow>(
    `SELECT id::text AS id, dedupe_key, kind, project_id, change_order_id, to_name, to_address, ` +
      `reply_to_name, reply_to_address,
       subject, text_body, html_body, status, attempts, last_error,
       ${TIMESTAMP('next_attempt_at')} AS next_attempt_at, ${TIMESTAMP('created_at')} AS created_at, ` +
      `${TIMESTAMP('sent_at')} AS sent_at
     FROM notification_outbox
     WHERE ($1::text IS NULL OR change_order_id = $1) AND ($2::text IS NULL OR project_id = $2) ` +
      `AND ($3::text IS NULL OR status = $3)
     ORDER BY notification_outbox.id DESC
     LIMIT $4`,
    [filter.changeOrderId ?? null, filter.projectId ?? null, filter.status ?? null, filter.limit ?? 200],
  );
  return rows.map(toOutboxMessage);
}

export interface OutboxRow {
  id: string;
  dedupe_key: string;
  kind: MessageKind;
  project_id: string;
  change_order_id: string;
  to_name: string;
  to_address: string;
  reply_to_name: string | null;
  reply_to_address: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  sent_at: string | null;
}

function toOutboxMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    dedupeKey: row.dedupe_key,
    kind: row.kind,
    projectId: row.project_id,
    changeOrderId: row.change_order_id,
    to: { name: row.to_name, email: row.to_address },
    replyTo: row.reply_to_address ? { name: row.reply_to_name ?? '', email: row.reply_to_address } : null,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}
