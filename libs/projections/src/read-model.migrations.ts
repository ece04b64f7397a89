import { Migration } from '@scope-ledger/event-store';

export const readModelMigrations: readonly Migration[] = [
  {
    id: 'read-models/001-projects',
    sql: `
      CREATE TABLE projection_checkpoints (
        name text PRIMARY KEY,
        commit_position bigint NOT NULL,
        prepare_position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE project_states (
        project_id text PRIMARY KEY,
        state jsonb NOT NULL,
        commit_position bigint NOT NULL,
        prepare_position bigint NOT NULL,
        event_count integer NOT NULL
      );
      CREATE TABLE portfolio_rows (
        project_id text PRIMARY KEY,
        name text NOT NULL,
        client text NOT NULL,
        currency text NOT NULL,
        baseline_budget bigint NOT NULL,
        current_budget bigint NOT NULL,
        variance bigint NOT NULL,
        pending_exposure bigint NOT NULL,
        absorbed bigint NOT NULL,
        baseline_end date,
        forecast_end date,
        slip_working_days integer NOT NULL,
        open_requests integer NOT NULL,
        awaiting_signature integer NOT NULL,
        oldest_awaiting_since timestamptz,
        unapproved_hours numeric(12, 2) NOT NULL
      );
      CREATE TABLE finance_change_orders (
        change_order_id text PRIMARY KEY,
        project_id text NOT NULL,
        project_name text NOT NULL,
        client_name text NOT NULL,
        currency text NOT NULL,
        number integer NOT NULL,
        signed_at timestamptz NOT NULL,
        signed_by text NOT NULL,
        amount bigint NOT NULL,
        absorbed bigint NOT NULL,
        invoiced bigint NOT NULL,
        invoices jsonb NOT NULL
      );
      CREATE INDEX finance_change_orders_signed_at ON finance_change_orders (signed_at);
      CREATE INDEX finance_change_orders_project ON finance_change_orders (project_id);
      CREATE TABLE projection_parked_events (
        event_id text PRIMARY KEY,
        stream_id text NOT NULL,
        event_type text NOT NULL,
        commit_position bigint NOT NULL,
        prepare_position bigint NOT NULL,
        error text NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now()
      )
    `,
  },
  {
    id: 'read-models/002-signing-links',
    sql: `
      CREATE TABLE signing_links (
        token_sha256 text PRIMARY KEY,
        project_id text NOT NULL,
        change_order_id text NOT NULL,
        status text NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX signing_links_awaiting ON signing_links (expires_at) WHERE status = 'issued'
    `,
  },
  {
    // A project's state is rewritten whenever a batch touches it; compressing it with pglz took
    // most of that time. lz4 is several times faster. PGlite is built without lz4 and keeps pglz.
    id: 'read-models/003-project-state-lz4',
    sql: `DO $$ BEGIN ALTER TABLE project_states ALTER COLUMN state SET COMPRESSION lz4; EXCEPTION WHEN feature_not_supported THEN NULL; END $$`,
  },
];
