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
    sql:
      `DO $$ BEGIN ALTER TABLE project_states ALTER COLUMN state SET COMPRESSION lz4; ` +
      `EXCEPTION WHEN feature_not_supported THEN NULL; END $$`,
  },
  {
    // Rewriting a long project's whole state after every command cost time in proportion to
    // the project, not the command. The state is now a small header plus a row per request,
    // order, card and scope item and per run of 32 list entries, and a batch writes only the
    // rows it changed. Stored states are split here the same way, so no rebuild is needed.
    id: 'read-models/004-project-state-parts',
    sql:
      `
      ALTER TABLE project_states RENAME COLUMN state TO header;
      CREATE TABLE project_state_parts (
        project_id text NOT NULL,
        part text NOT NULL,
        key text NOT NULL,
        seq integer,
        data jsonb NOT NULL,
        PRIMARY KEY (project_id, part, key)
      );
      DO $$ BEGIN ALTER TABLE project_state_parts ALTER COLUMN data SET COMPRESSION lz4; ` +
      `EXCEPTION WHEN feature_not_supported THEN NULL; END $$;
      INSERT INTO project_state_parts (project_id, part, key, seq, data)
        SELECT s.project_id, p.part, e.key, NULL, e.value
        FROM project_states s
          CROSS JOIN unnest(ARRAY['changeRequests', 'changeOrders', 'cards', 'scope', 'cardByRef']) AS p(part)
          CROSS JOIN LATERAL jsonb_each(s.header -> p.part) AS e;
      INSERT INTO project_state_parts (project_id, part, key, seq, data)
        SELECT s.project_id, p.part, ((e.n - 1) / 32)::text, (e.n - 1) / 32, jsonb_agg(e.value ORDER BY e.n)
        FROM project_states s
          CROSS JOIN unnest(ARRAY['changeRequestOrder', 'changeOrderOrder', 'cardOrder', 'scopeOrder', ` +
      `'signedOrderIds']) AS p(part)
          CROSS JOIN LATERAL jsonb_array_elements(s.header -> p.part) WITH ORDINALITY AS e(value, n)
        GROUP BY s.project_id, p.part, (e.n - 1) / 32;
      UPDATE project_states SET header = header - ARRAY['changeRequests', 'changeOrders', 'cards', 'scope', 'cardByRef',
        'changeRequestOrder', 'changeOrderOrder', 'cardOrder', 'scopeOrder', 'signedOrderIds']
    `,
  },
  {
    // Parts are written whole and read back whole, never queried inside. As json (kept as the
    // text written) rather than jsonb (parsed into a binary form), writing a batch of parts costs
    // about a quarter less, and reading them back needs no conversion to text.
    id: 'read-models/005-project-state-parts-json',
    sql:
      `
      ALTER TABLE project_state_parts ALTER COLUMN data TYPE json USING data::json;
      DO $$ BEGIN ALTER TABLE project_state_parts ALTER COLUMN data SET COMPRESSION lz4; ` +
      `EXCEPTION WHEN feature_not_supported THEN NULL; END $$
    `,
  },
  {
    // Which card is live for each scope item ref follows from the cards; a fifth of the part
    // rows only repeated it. It is now worked out when a state is read.
    id: 'read-models/006-card-by-ref-derived',
    sql: `DELETE FROM project_state_parts WHERE part = 'cardByRef'`,
  },
  {
    // Nearly every command rewrites its project's header and a part or two. The header is now
    // json like the parts (written whole, read back whole, never queried inside), and both
    // tables leave room in each page, so that a rewritten row mostly fits beside the old one
    // and the primary key need not point to a new place (a heap-only update).
    id: 'read-models/007-project-state-header-json',
    sql:
      `
      ALTER TABLE project_states SET (fillfactor = 70);
      ALTER TABLE project_state_parts SET (fillfactor = 80);
      ALTER TABLE project_states ALTER COLUMN header TYPE json USING header::json;
      DO $$ BEGIN ALTER TABLE project_states ALTER COLUMN header SET COMPRESSION lz4; ` +
      `EXCEPTION WHEN feature_not_supported THEN NULL; END $$
    `,
  },
];
