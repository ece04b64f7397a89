import { Migration } from '@scope-ledger/event-store';

export const notificationMigrations: readonly Migration[] = [
  {
    id: 'notifications/001-outbox',
    sql: `
      CREATE TABLE notification_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        project_id text NOT NULL,
        change_order_id text NOT NULL,
        to_name text NOT NULL,
        to_address text NOT NULL,
        reply_to_name text,
        reply_to_address text,
        subject text NOT NULL,
        text_body text NOT NULL,
        html_body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'held')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX notification_outbox_pending ON notification_outbox (id) WHERE status = 'pending';
      CREATE INDEX notification_outbox_change_order ON notification_outbox (change_order_id)
    `,
  },
  {
    // Reminders read the change_orders read table, and the event processor parks what fails.
    id: 'notifications/002-read-tables',
    sql: `DROP TABLE IF EXISTS notification_awaiting_signature, notification_parked_events`,
  },
];
