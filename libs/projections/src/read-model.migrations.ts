import { Migration } from '@scope-ledger/event-store';

/** A table of one kind of record: a row per record, `seq` keeping the order the rows were first written. */
const recordTable = (name: string, ...generatedColumns: string[]) => `
  CREATE TABLE ${name} (
    project_id text NOT NULL,
    key text NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    doc jsonb NOT NULL,
    ${[...generatedColumns, 'PRIMARY KEY (project_id, key)'].join(',\n    ')}
  )`;

/** The read tables replace the states earlier versions stored: filled again from the first event, reactors going on. */
export const readModelMigrations: readonly Migration[] = [
  {
    id: 'read-models/008-record-tables',
    sql: `
      CREATE TABLE IF NOT EXISTS projection_checkpoints (
        name text PRIMARY KEY,
        commit_position bigint NOT NULL,
        prepare_position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      DROP TABLE IF EXISTS project_states, project_state_parts, portfolio_rows, finance_change_orders, signing_links,
        projection_parked_events;
      INSERT INTO projection_checkpoints (name, commit_position, prepare_position)
        SELECT 'reactors', commit_position, prepare_position FROM projection_checkpoints WHERE name = 'notifications'
        ON CONFLICT (name) DO NOTHING;
      DELETE FROM projection_checkpoints WHERE name IN ('projects', 'notifications');
      CREATE TABLE projects (
        project_id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        doc jsonb NOT NULL,
        revision bigint NOT NULL
      );
      ${recordTable('milestones')};
      ${recordTable('scope_items')};
      ${recordTable('change_requests', `change_order_id text GENERATED ALWAYS AS (doc ->> 'changeOrderId') STORED`)};
      CREATE INDEX change_requests_change_order ON change_requests (project_id, change_order_id);
      ${recordTable(
        'change_orders',
        `status text GENERATED ALWAYS AS (doc ->> 'status') STORED`,
        `signing_token_sha256 text GENERATED ALWAYS AS (doc #>> '{issue,signingTokenSha256}') STORED`,
        `expires_at text GENERATED ALWAYS AS (doc #>> '{issue,expiresAt}') STORED`,
        `signed_at text GENERATED ALWAYS AS (doc #>> '{signature,signedAt}') STORED`,
      )};
      CREATE INDEX change_orders_id ON change_orders (key);
      CREATE INDEX change_orders_signing_token ON change_orders (signing_token_sha256);
      CREATE INDEX change_orders_awaiting ON change_orders (expires_at) WHERE status = 'issued';
      CREATE INDEX change_orders_signed ON change_orders (signed_at) WHERE signed_at IS NOT NULL;
      ${recordTable('board_cards')};
      CREATE TABLE portfolio_rows (
        project_id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        doc jsonb NOT NULL
      );
      CREATE TABLE projection_parked_events (
        event_id text PRIMARY KEY,
        stream_id text NOT NULL,
        stream_revision bigint NOT NULL,
        event_type text NOT NULL,
        commit_position bigint NOT NULL,
        prepare_position bigint NOT NULL,
        error text NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now()
      )
    `,
  },
  {
    // Filled from the orders already projected (each issue and revision, and the seal), as the projector records them.
    id: 'read-models/009-change-order-documents',
    sql: `
      CREATE TABLE change_order_documents (
        sha256 text PRIMARY KEY,
        project_id text NOT NULL,
        change_order_id text NOT NULL,
        revision bigint NOT NULL,
        kind text NOT NULL CHECK (kind IN ('issued', 'sealed'))
      );
      INSERT INTO change_order_documents (sha256, project_id, change_order_id, revision, kind)
        SELECT issue ->> 'documentSha256', o.project_id, o.key, COALESCE((issue ->> 'revision')::bigint, 0), 'issued'
        FROM change_orders o,
          jsonb_array_elements(COALESCE(o.doc -> 'issues', jsonb_build_array(o.doc -> 'issue'))) issue
        WHERE issue ->> 'documentSha256' IS NOT NULL
        ON CONFLICT (sha256) DO NOTHING;
      INSERT INTO change_order_documents (sha256, project_id, change_order_id, revision, kind)
        SELECT doc #>> '{signature,signedDocumentSha256}', project_id, key, COALESCE((doc ->> 'revision')::bigint, 0),
          'sealed'
        FROM change_orders WHERE doc #>> '{signature,signedDocumentSha256}' IS NOT NULL
        ON CONFLICT (sha256) DO NOTHING
    `,
  },
  {
    // The links of earlier issues of a revised order: opening one says a newer revision was sent.
    id: 'read-models/010-earlier-signing-links',
    sql: `CREATE INDEX change_orders_issue_tokens ON change_orders USING gin ((doc -> 'issues') jsonb_path_ops)`,
  },
  {
    // Portfolio rows keep each order awaiting signature with its amount and expiry (read as expired once past it,
    // its pending amount split into exposure and credits at read time) and what draft orders hold.
    id: 'read-models/011-portfolio-awaiting-and-drafts',
    sql: `
      UPDATE portfolio_rows p SET doc = (p.doc - 'pendingExposure') || jsonb_build_object(
        'awaiting', COALESCE((
          SELECT jsonb_agg(jsonb_build_array(o.key, jsonb_build_object(
            'amount', (o.doc ->> 'amount')::bigint,
            'issuedAt', o.doc #>> '{issue,issuedAt}',
            'expiresAt', o.expires_at)) ORDER BY o.seq)
          FROM change_orders o WHERE o.project_id = p.project_id AND o.status = 'issued'), '[]'::jsonb),
        'onDraftOrders', COALESCE((
          SELECT sum((o.doc ->> 'amount')::bigint) FROM change_orders o
          WHERE o.project_id = p.project_id AND o.status = 'draft'), 0),
        'requestsOnDraftOrders', COALESCE((
          SELECT sum(jsonb_array_length(o.doc -> 'changeRequestIds')) FROM change_orders o
          WHERE o.project_id = p.project_id AND o.status = 'draft'), 0))
    `,
  },
  {
    // What capacity planning reads of a card, as plain columns PostgreSQL keeps from its document (on every write,
    // the processor's and a rebuild's alike), and the cards that may still need hours.
    id: 'read-models/012-board-card-planning-columns',
    sql: `
      ALTER TABLE board_cards
        ADD COLUMN title text GENERATED ALWAYS AS (doc ->> 'title') STORED,
        ADD COLUMN role text GENERATED ALWAYS AS (doc ->> 'role') STORED,
        ADD COLUMN estimate_centi_hours integer GENERATED ALWAYS AS ((doc ->> 'estimateCentiHours')::integer) STORED,
        ADD COLUMN logged_centi_hours integer GENERATED ALWAYS AS ((doc ->> 'loggedCentiHours')::integer) STORED,
        ADD COLUMN board_column text GENERATED ALWAYS AS (doc ->> 'column') STORED,
        ADD COLUMN cancelled boolean GENERATED ALWAYS AS ((doc ->> 'cancelled')::boolean) STORED,
        ADD COLUMN assignee text GENERATED ALWAYS AS (doc ->> 'assignee') STORED,
        ADD COLUMN milestone text GENERATED ALWAYS AS (doc ->> 'milestone') STORED;
      CREATE INDEX board_cards_open ON board_cards (project_id, seq)
        WHERE board_column <> 'done' AND NOT cancelled AND estimate_centi_hours > logged_centi_hours
    `,
  },
];
