import {
  BoardColumn,
  headerOf,
  initialProjectState,
  Minor,
  ProjectEvent,
  ProjectHeader,
  ProjectState,
  RecordChange,
  recordKey,
} from '@scope-ledger/domain';
import { SqlQueryable } from '@scope-ledger/event-store';

/**
 * A project's records in the read tables: one row per record, `(project_id, key, seq, doc)`,
 * where `seq` keeps the order the rows were first written (the order of the state's Maps), and
 * the header in `projects` with the stream revision of the last event applied.
 */

export type RecordKind = Exclude<RecordChange['kind'], 'project'>;
type Collection = 'milestones' | 'scope' | 'changeRequests' | 'changeOrders' | 'cards';

export const RECORD_TABLES = {
  milestone: { table: 'milestones', collection: 'milestones' },
  scopeItem: { table: 'scope_items', collection: 'scope' },
  changeRequest: { table: 'change_requests', collection: 'changeRequests' },
  changeOrder: { table: 'change_orders', collection: 'changeOrders' },
  card: { table: 'board_cards', collection: 'cards' },
} as const satisfies Record<RecordKind, { table: string; collection: Collection }>;

export const RECORD_KINDS = Object.keys(RECORD_TABLES) as RecordKind[];

/** The tables a project's records are kept in, `projects` first. */
export const PROJECT_TABLES: readonly string[] = ['projects', ...RECORD_KINDS.map((kind) => RECORD_TABLES[kind].table)];

/** A ProjectState whose header and Maps a batch fills in from the read tables and its events. */
export type WorkingState = { -readonly [K in keyof ProjectState]: ProjectState[K] } & {
  [C in Collection]: Map<string, ProjectState[C] extends ReadonlyMap<string, infer R> ? R : never>;
};

/** A change as applied to a state: a record change says which record it replaced, if any. */
export type AppliedChange = RecordChange extends infer C
  ? C extends { record: infer R }
    ? C & { readonly before?: R }
    : C
  : never;

/** How the header is stored: as JSON, with its Maps as `[key, value]` arrays. */
interface HeaderDoc extends Omit<ProjectHeader, 'rates' | 'wipLimits'> {
  readonly rates: [string, Minor][];
  readonly wipLimits: [BoardColumn, number][];
}

export function headerDoc(header: ProjectHeader): HeaderDoc {
  return { ...header, rates: [...header.rates], wipLimits: [...header.wipLimits] };
}

/** The header as stored in `projects.doc`. */
export function projectHeaderFromDoc(doc: unknown): ProjectHeader {
  const stored = doc as HeaderDoc;
  return { ...stored, rates: new Map(stored.rates), wipLimits: new Map(stored.wipLimits) };
}

export function emptyState(): WorkingState {
  return {
    ...initialProjectState,
    rates: new Map(),
    wipLimits: new Map(),
    milestones: new Map(),
    scope: new Map(),
    changeRequests: new Map(),
    changeOrders: new Map(),
    cards: new Map(),
  };
}

export function stateFromHeader(doc: unknown): WorkingState {
  return { ...emptyState(), ...projectHeaderFromDoc(doc), exists: true };
}

export function addRecord(state: WorkingState, kind: RecordKind, key: string, record: unknown): void {
  (state[RECORD_TABLES[kind].collection] as Map<string, unknown>).set(key, record);
}

/** Applies one change to the state, as foldEvents does, and says what it replaced. */
export function applyChange(state: WorkingState, change: RecordChange): AppliedChange {
  if (change.kind === 'project') {
    Object.assign(state, change.header);
    state.exists = true;
    return change;
  }
  const records = state[RECORD_TABLES[change.kind].collection] as Map<string, unknown>;
  const key = recordKey(change);
  const before = records.get(key);
  records.set(key, change.record);
  return { ...change, before } as AppliedChange;
}

/** The stored records recordChanges reads for an event, besides its project's header. */
export interface RecordsRead {
  readonly changeRequests?: readonly string[];
  readonly changeOrder?: string;
  /** The requests sitting on this order. */
  readonly requestsOfOrder?: string;
  readonly card?: string;
  /** Every scope item and milestone: a signature applies its lines and shifts to them. */
  readonly scopeAndMilestones?: boolean;
}

export function recordsRead(event: ProjectEvent): RecordsRead {
  switch (event.type) {
    case 'ProjectOpened':
    case 'BaselineEstablished':
    case 'ChangeRequestLogged':
    case 'BoardCardAdded':
    case 'WipLimitsSet':
    case 'ProjectRenamed':
    case 'ProjectManagerChanged':
    case 'ClientContactsChanged':
    case 'ProjectHolidaysChanged':
    case 'ProjectRatesChanged':
    case 'DefaultExpiryChanged':
    case 'ProjectTimeZoneChanged':
    case 'ProjectClosed':
    case 'ProjectReopened':
    case 'ProjectArchived':
    case 'BaselineInvoiceRecorded':
    case 'BaselineInvoiceVoided':
    case 'ClientDependencyLogged':
    case 'ClientDependencyResolved':
      return {};
    case 'ChangeRequestAssessed':
    case 'ChangeRequestDeclined':
    case 'ChangeRequestAmended':
      return { changeRequests: [event.data.changeRequestId] };
    case 'ChangeOrderDrafted':
      return { changeRequests: event.data.changeRequestIds };
    case 'ChangeOrderIssued':
    case 'ChangeOrderRevised':
    case 'ChangeOrderViewed':
    case 'ChangeOrderDocumentDownloaded':
    case 'SignerConsented':
    case 'SignerConsentWithdrawn':
    case 'SigningCodeSent':
    case 'SigningCodeRejected':
    case 'SigningCodeVerified':
    case 'InvoiceRecorded':
    case 'InvoiceVoided':
      return { changeOrder: event.data.changeOrderId };
    case 'ChangeOrderSigned':
      return {
        changeOrder: event.data.changeOrderId,
        requestsOfOrder: event.data.changeOrderId,
        scopeAndMilestones: true,
      };
    case 'ChangeOrderDeclined':
    case 'ChangeOrderVoided':
    case 'ChangeOrderExpired':
      return { changeOrder: event.data.changeOrderId, requestsOfOrder: event.data.changeOrderId };
    case 'BoardCardEstimateRevised':
    case 'BoardCardCancelled':
    case 'BoardCardMoved':
    case 'BoardCardAssigned':
    case 'TimeLogged':
      return { card: event.data.cardId };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** A project as a batch works on it: its stored header and the records its events read, and its revision. */
export interface LoadedProject {
  readonly state: WorkingState;
  revision: number;
}

/** Pairs of (project id, key), each once. */
class KeyPairs {
  private readonly seen = new Set<string>();
  readonly projectIds: string[] = [];
  readonly keys: string[] = [];

  add(projectId: string, key: string): void {
    const pair = `${projectId}\u0000${key}`;
    if (this.seen.has(pair)) return;
    this.seen.add(pair);
    this.projectIds.push(projectId);
    this.keys.push(key);
  }
}

interface RecordRow {
  project_id: string;
  key: string;
  doc: unknown;
}

/**
 * Loads a batch's projects: their headers, locked so nothing else writes their rows meanwhile, then
 * per table the records read by the events after each project's revision (by all, for a parked event).
 */
export async function loadProjects(
  tx: SqlQueryable,
  events: readonly { readonly projectId: string; readonly revision: number; readonly event?: ProjectEvent }[],
  { includeApplied = false } = {},
): Promise<Map<string, LoadedProject>> {
  const projectIds = [...new Set(events.map((e) => e.projectId))];
  const projects = new Map<string, LoadedProject>(projectIds.map((id) => [id, { state: emptyState(), revision: -1 }]));
  const { rows } = await tx.query<{ project_id: string; doc: unknown; revision: string }>(
    `SELECT project_id, doc, revision::text AS revision FROM projects
     WHERE project_id = ANY($1::text[]) ORDER BY project_id FOR UPDATE`,
    [projectIds],
  );
  for (const row of rows)
    projects.set(row.project_id, { state: stateFromHeader(row.doc), revision: Number(row.revision) });

  const requests = new KeyPairs();
  const requestsOfOrders = new KeyPairs();
  const orders = new KeyPairs();
  const cards = new KeyPairs();
  const wholeScope = new Set<string>();
  for (const { projectId, revision, event } of events) {
    if (!event || (!includeApplied && revision <= projects.get(projectId)!.revision)) continue;
    const read = recordsRead(event);
    for (const id of read.changeRequests ?? []) requests.add(projectId, id);
    if (read.requestsOfOrder !== undefined) requestsOfOrders.add(projectId, read.requestsOfOrder);
    if (read.changeOrder !== undefined) orders.add(projectId, read.changeOrder);
    if (read.card !== undefined) cards.add(projectId, read.card);
    if (read.scopeAndMilestones) wholeScope.add(projectId);
  }

  const add = (kind: RecordKind, found: RecordRow[]) => {
    for (const row of found) addRecord(projects.get(row.project_id)!.state, kind, row.key, row.doc);
  };
  const byKey = async (kind: RecordKind, pairs: KeyPairs, column = 'key') => {
    if (pairs.keys.length === 0) return;
    const found = await tx.query<RecordRow>(
      `SELECT project_id, key, doc FROM ${RECORD_TABLES[kind].table}
       WHERE (project_id, ${column}) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY seq`,
      [pairs.projectIds, pairs.keys],
    );
    add(kind, found.rows);
  };
  const all = async (kind: RecordKind) => {
    if (wholeScope.size === 0) return;
    const found = await tx.query<RecordRow>(
      `SELECT project_id, key, doc FROM ${RECORD_TABLES[kind].table} WHERE project_id = ANY($1::text[]) ORDER BY seq`,
      [[...wholeScope]],
    );
    add(kind, found.rows);
  };
  await byKey('changeRequest', requests);
  await byKey('changeRequest', requestsOfOrders, 'change_order_id');
  await byKey('changeOrder', orders);
  await byKey('card', cards);
  await all('scopeItem');
  await all('milestone');
  return projects;
}

/** The rows a batch changed, each written once, in the order they were first changed. */
export class ChangedRows {
  private readonly projects = new Map<string, LoadedProject>();
  private readonly records = new Map<RecordKind, Map<string, { projectId: string; key: string; record: unknown }>>(
    RECORD_KINDS.map((kind) => [kind, new Map()]),
  );

  add(projectId: string, project: LoadedProject, changes: readonly RecordChange[]): void {
    this.projects.set(projectId, project);
    for (const change of changes) {
      if (change.kind === 'project') continue;
      const key = recordKey(change);
      this.records.get(change.kind)!.set(`${projectId}\u0000${key}`, { projectId, key, record: change.record });
    }
  }

  async write(tx: SqlQueryable): Promise<void> {
    const projects = [...this.projects].filter(([, p]) => p.state.exists);
    const headers: UpsertColumn[] = [
      ['project_id', 'text', projects.map(([id]) => id)],
      ['doc', 'jsonb', projects.map(([, p]) => headerDoc(headerOf(p.state)))],
      ['revision', 'bigint', projects.map(([, p]) => p.revision)],
    ];
    await upsertRows(tx, 'projects', ['project_id'], headers);
    for (const [kind, changed] of this.records) {
      const rows = [...changed.values()];
      const records: UpsertColumn[] = [
        ['project_id', 'text', rows.map((r) => r.projectId)],
        ['key', 'text', rows.map((r) => r.key)],
        ['doc', 'jsonb', rows.map((r) => r.record)],
      ];
      await upsertRows(tx, RECORD_TABLES[kind].table, ['project_id', 'key'], records);
    }
  }
}

export type UpsertColumn = readonly [name: string, type: 'text' | 'bigint' | 'jsonb', values: readonly unknown[]];

/** One upsert, in the order given; documents go in as one JSON array, several times faster than jsonb[]. */
export async function upsertRows(
  tx: SqlQueryable,
  table: string,
  key: readonly string[],
  columns: readonly UpsertColumn[],
): Promise<void> {
  if (columns[0][2].length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  const sources = columns.map(([, type], i) =>
    type === 'jsonb' ? `jsonb_array_elements($${i + 1}::jsonb)` : `unnest($${i + 1}::${type}[])`,
  );
  const updates = columns.filter(([name]) => !key.includes(name)).map(([name]) => `${name} = EXCLUDED.${name}`);
  await tx.query(
    `INSERT INTO ${table} (${names}) SELECT ${names}
     FROM ROWS FROM (${sources.join(', ')}) WITH ORDINALITY AS row(${names}, n)
     ORDER BY n
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates.join(', ')}`,
    columns.map(([, type, values]) => (type === 'jsonb' ? JSON.stringify(values) : values)),
  );
}

/** A whole project from its rows: the header and every record in the order first written. */
export function stateFromRows(
  header: unknown,
  records: readonly { readonly kind: RecordKind; readonly key: string; readonly doc: unknown }[],
): WorkingState {
  const state = stateFromHeader(header);
  for (const { kind, key, doc } of records) addRecord(state, kind, key, doc);
  return state;
}
