import { Migration } from './migrations';

// transaction_id is the writer's xid8 as a plain bigint: a position is two integers that compare as usual.
export const eventStoreMigrations: readonly Migration[] = [
  {
    id: 'event-store/001-events',
    sql: `
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
        stream_id text NOT NULL,
        stream_revision bigint NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        schema_version integer NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, stream_revision),
        CONSTRAINT events_event_id_unique UNIQUE (event_id)
      );
      CREATE INDEX events_commit_order ON events (transaction_id, global_position);
    `,
  },
];
