import {
  LIST_KEYS,
  ListKey,
  liveCardByRef,
  ProjectState,
  RECORD_KEYS,
  RecordKey,
  StateChanges,
} from '@scope-ledger/domain';
import { Position, SqlQueryable } from '@scope-ledger/event-store';
import { RowUpsert, upsertRows } from './row-upserts';

/**
 * How the read model stores each project's state. The collections that grow with the stream
 * (requests, orders, cards, scope and the lists that order them) are kept in
 * `project_state_parts`, a row per record and per run of list entries, and the rest as a small
 * header in `project_states`, so a batch writes what it changed rather than a state that
 * reaches megabytes on a long project.
 */

export interface StoredState {
  state: ProjectState;
  position: Position;
  eventCount: number;
}

/** A project's state after a batch, with what the batch changed in it (as the fold reports). */
export interface StateChange extends StoredState {
  id: string;
  changes: StateChanges;
}

/**
 * Records stored one row per key: requests, orders, cards and scope. `cardByRef` is not stored:
 * it follows from the cards (`liveCardByRef`) and is worked out when a state is read.
 */
const RECORD_PARTS = RECORD_KEYS.filter((key) => key !== 'cardByRef');
/**
 * Lists stored in runs of LIST_RUN entries, a row per run numbered by `seq`: appending rewrites
 * the last run, and a rebuild writes a fraction of the rows one per entry would take. The
 * migration that split the states wrote runs of this length too; changing it needs a rebuild.
 */
const LIST_PARTS = LIST_KEYS;
const LIST_RUN = 32;
type PartName = RecordKey | ListKey;
const PART_NAMES = new Set<string>([...RECORD_KEYS, ...LIST_PARTS]);

/** A row of a stored state: the header (part null) or one part, aggregated. */
interface StoredRow {
  project_id: string;
  part: PartName | null;
  data: unknown;
  commit_position: string | null;
  prepare_position: string | null;
  event_count: number | null;
}

/**
 * The stored states of several projects, in one query: a row for each project's header and one
 * for each of its parts, the records gathered into an object and a list's runs into an array.
 * Aggregated as json, which is joined as text and costs less than building jsonb; a row per
 * part rather than per record keeps PGlite's cost per row off long projects. Projects without
 * a row are left out.
 */
export async function loadProjectStates(
  sql: SqlQueryable,
  projectIds: readonly string[],
): Promise<Map<string, StoredState>> {
  // ANY of an array, not IN over a set-returning function: the planner then uses the key's index.
  const { rows } = await sql.query<StoredRow>(
    `SELECT s.project_id, NULL AS part, s.header::json AS data, s.commit_position::text AS commit_position,
       s.prepare_position::text AS prepare_position, s.event_count
     FROM project_states s WHERE s.project_id = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
     UNION ALL
     SELECT p.project_id, p.part,
       coalesce(json_object_agg(p.key, p.data) FILTER (WHERE p.seq IS NULL), ` +
      `json_agg(p.data ORDER BY p.seq) FILTER (WHERE p.seq IS NOT NULL)),
       NULL, NULL, NULL
     FROM project_state_parts p WHERE p.project_id = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
     GROUP BY p.project_id, p.part`,
    [JSON.stringify(projectIds)],
  );
  const projects = new Map<string, { header?: StoredRow; parts: Partial<Record<PartName, unknown>> }>();
  for (const row of rows) {
    let project = projects.get(row.project_id);
    if (!project) projects.set(row.project_id, (project = { parts: {} }));
    if (row.part === null) project.header = row;
    else project.parts[row.part] = row.data;
  }
  const states = new Map<string, StoredState>();
  for (const [id, { header, parts }] of projects) {
    if (!header) continue;
    // The header was parsed for this load alone: the parts are added to it rather than to a copy.
    const state = header.data as Record<string, unknown>;
    for (const part of RECORD_PARTS) state[part] = parts[part] ?? {};
    for (const part of LIST_PARTS) state[part] = (parts[part] as string[][] | undefined)?.flat() ?? [];
    state.cardByRef = liveCardByRef(state.cards as ProjectState['cards'], state.cardOrder as string[]);
    states.set(id, {
      state: state as unknown as ProjectState,
      position: { commit: BigInt(header.commit_position!), prepare: BigInt(header.prepare_position!) },
      eventCount: header.event_count!,
    });
  }
  return states;
}

/**
 * Writes each project's header and the parts its batch changed: the entries the fold reports
 * as set or deleted, and the runs of list entries from the first one appended to.
 */
export async function saveProjectStates(tx: SqlQueryable, changes: readonly StateChange[]): Promise<void> {
  await upsertRows(tx, HEADER_UPSERT, changes, (c) => [
    c.id,
    headerJson(c.id, c.state),
    c.position.commit.toString(),
    c.position.prepare.toString(),
    c.eventCount,
  ]);
  const { writes, deletions } = changedParts(changes);
  if (deletions.length > 0) {
    // A deletion without a key removes the whole part: a list that was rewritten rather than appended to.
    await tx.query(
      `DELETE FROM project_state_parts p USING jsonb_to_recordset($1::jsonb) AS x(project_id text, part text, key text)
       WHERE p.project_id = x.project_id AND p.part = x.part AND (x.key IS NULL OR p.key = x.key)`,
      [JSON.stringify(deletions)],
    );
  }
  await upsertRows(tx, PART_UPSERT, writes, (w) => [w.project_id, w.part, w.key, w.seq, JSON.stringify(w.data)]);
}

const HEADER_UPSERT: RowUpsert = {
  name: 'project_states_upsert',
  insert: 'INSERT INTO project_states (project_id, header, commit_position, prepare_position, event_count)',
  values: '($1, $2::json, $3::bigint, $4::bigint, $5::integer)',
  onConflict:
    `ON CONFLICT (project_id) DO UPDATE SET header = EXCLUDED.header, ` +
    `commit_position = EXCLUDED.commit_position,
    prepare_position = EXCLUDED.prepare_position, event_count = EXCLUDED.event_count`,
  parameters: 5,
};

const PART_UPSERT: RowUpsert = {
  name: 'project_state_parts_upsert',
  insert: 'INSERT INTO project_state_parts (project_id, part, key, seq, data)',
  values: '($1, $2, $3, $4::integer, $5::json)',
  onConflict: 'ON CONFLICT (project_id, part, key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data',
  parameters: 5,
};

/**
 * The header's JSON as last written for each project (the most recent 1,000), and the field
 * values it was made from (see headerJson).
 */
const writtenHeaders = new Map<string, { keys: string[]; values: unknown[]; json: string }>();
const WRITTEN_HEADERS_KEPT = 1_000;

/**
 * The header's JSON: every field of the state that is not a part. Most commands change no more
 * of it than `lastEventAt`, and the rest (the baseline above all) is most of its length. A fold
 * gives a field a new value when it changes it and never changes one in place, so when every
 * other field still holds the value the project's last write was made from, that JSON is used
 * again, with the new `lastEventAt` put at its end. (Kept by project id: each batch folds into
 * a fresh copy of the state object.)
 */
function headerJson(projectId: string, state: ProjectState): string {
  const keys: string[] = [];
  const values: unknown[] = [];
  for (const key of Object.keys(state)) {
    if (PART_NAMES.has(key) || key === 'lastEventAt') continue;
    keys.push(key);
    values.push(state[key as keyof ProjectState]);
  }
  let written = writtenHeaders.get(projectId);
  if (!written || !sameList(written.keys, keys) || !sameList(written.values, values)) {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) fields[keys[i]] = values[i];
    written = { keys, values, json: JSON.stringify(fields) };
    writtenHeaders.delete(projectId);
    writtenHeaders.set(projectId, written);
    if (writtenHeaders.size > WRITTEN_HEADERS_KEPT) writtenHeaders.delete(writtenHeaders.keys().next().value!);
  }
  const lastEventAt = `"lastEventAt":${JSON.stringify(state.lastEventAt)}}`;
  return written.json === '{}' ? `{${lastEventAt}` : `${written.json.slice(0, -1)},${lastEventAt}`;
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface PartWrite {
  project_id: string;
  part: string;
  key: string;
  seq: number | null;
  data: unknown;
}

interface PartDeletion {
  project_id: string;
  part: string;
  key: string | null;
}

function changedParts(changes: readonly StateChange[]): { writes: PartWrite[]; deletions: PartDeletion[] } {
  const writes: PartWrite[] = [];
  const deletions: PartDeletion[] = [];
  for (const { id: project_id, state, changes: changed } of changes) {
    for (const part of RECORD_PARTS) {
      const record: Record<string, unknown> = state[part];
      for (const [key, before] of changed.records[part] ?? []) {
        if (Object.hasOwn(record, key)) {
          if (record[key] !== before) writes.push({ project_id, part, key, seq: null, data: record[key] });
        } else if (before !== undefined) {
          deletions.push({ project_id, part, key });
        }
      }
    }
    for (const part of LIST_PARTS) {
      const lengthBefore = changed.lists[part];
      if (lengthBefore === undefined) continue;
      const list = state[part];
      if (lengthBefore === 'replaced') deletions.push({ project_id, part, key: null });
      for (
        let seq = lengthBefore === 'replaced' ? 0 : Math.floor(lengthBefore / LIST_RUN);
        seq * LIST_RUN < list.length;
        seq++
      ) {
        writes.push({
          project_id,
          part,
          key: String(seq),
          seq,
          data: list.slice(seq * LIST_RUN, (seq + 1) * LIST_RUN),
        });
      }
    }
  }
  return { writes, deletions };
}
