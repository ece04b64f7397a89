import {
  evolveInPlace,
  initialProjectState,
  ProjectEvent,
  ProjectState,
  RecordSharing,
  StateChanges,
} from '@scope-ledger/domain';
import { comparePositions, EventToFold, Position, SqlQueryable } from '@scope-ledger/event-store';
import { PortfolioTally, tallyOf, updateTally } from './portfolio-tally';
import { portfolioRow } from './project-views';
import { projectIdOf, toProjectEvent } from './project-events';
import { RowUpsert, upsertRows } from './row-upserts';
import { loadProjectStates, saveProjectStates, StateChange, StoredState } from './stored-project-states';

/** A project's state as the active runner last committed it, with its portfolio sums. */
export interface ProjectedState extends StoredState {
  tally: PortfolioTally;
}

/**
 * The active runner's recent project states, as last committed: a busy project's state is then
 * not read back and parsed from `project_states` for every batch. Only committed states go in,
 * and the runner empties it whenever someone else may have written the table, or a batch
 * failed (the next batch folds into these states in place).
 */
export class WarmProjectStates {
  private readonly entries = new Map<string, ProjectedState>();

  constructor(private readonly capacity = 1000) {}

  get(projectId: string): ProjectedState | undefined {
    return this.entries.get(projectId);
  }

  remember(states: readonly ({ id: string } & ProjectedState)[]): void {
    for (const { id, state, position, eventCount, tally } of states) {
      this.entries.delete(id);
      this.entries.set(id, { state, position, eventCount, tally });
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
  }

  /** Keeps only the given projects (a rebuild keeps those its last batch touched). */
  retainOnly(projectIds: ReadonlySet<string>): void {
    for (const id of this.entries.keys()) if (!projectIds.has(id)) this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** A project's state after a batch, with what changed and the fields its rows were made from before. */
export interface FoldedProject extends StateChange, ProjectedState {
  was: Pick<ProjectState, 'name' | 'client' | 'currency'>;
}

/**
 * Applies a batch of project events to the read-model tables inside the caller's transaction:
 * one read of the touched projects' states, one write per table, and of each project only the
 * rows the batch changed. Events at or before a project's stored position are skipped, so
 * redelivery is harmless. The states passed in through `warm` are folded in place: if the
 * transaction fails, the caller must forget them.
 */
export async function applyProjectEvents(
  tx: SqlQueryable,
  events: readonly EventToFold[],
  warm?: WarmProjectStates,
  sharing?: RecordSharing,
): Promise<FoldedProject[]> {
  const touched = await foldProjectEvents(tx, events, warm, Infinity, sharing);
  await writeFoldedProjects(tx, touched);
  return touched;
}

/**
 * The first half of applyProjectEvents: reads the states `warm` does not hold (from `sql`,
 * which must see every write before this batch) and folds the batch into them, in place.
 * `yieldEvery` projects it lets other work of the process run (a rebuild writes the previous
 * batch meanwhile). With `sharing`, the fold takes the records this process's repository built
 * from the same events (see RecordSharing).
 */
export async function foldProjectEvents(
  sql: SqlQueryable,
  events: readonly EventToFold[],
  warm?: WarmProjectStates,
  yieldEvery = Infinity,
  sharing?: RecordSharing,
): Promise<FoldedProject[]> {
  const projectIds = [...new Set(events.map((e) => projectIdOf(e.streamId)))];
  const states = new Map<string, StoredState & { tally?: PortfolioTally }>();
  for (const id of projectIds) {
    const known = warm?.get(id);
    if (known) states.set(id, known);
  }
  const toLoad = projectIds.filter((id) => !states.has(id));
  if (toLoad.length > 0) {
    for (const [id, stored] of await loadProjectStates(sql, toLoad)) states.set(id, stored);
  }
  // Each project's new events are folded in one go, into the state this batch owns.
  const pending = new Map<
    string,
    { position: Position; eventCount: number; events: { event: ProjectEvent; occurredAt: string }[] }
  >();
  for (const recorded of events) {
    const projectId = projectIdOf(recorded.streamId);
    const stored = states.get(projectId);
    const current = pending.get(projectId) ?? {
      position: stored?.position ?? { commit: -1n, prepare: -1n },
      eventCount: stored?.eventCount ?? 0,
      events: [],
    };
    if (comparePositions(recorded.position, current.position) <= 0) continue;
    const event = toProjectEvent(recorded);
    if (event) current.events.push({ event, occurredAt: recorded.metadata.occurredAt });
    pending.set(projectId, { position: recorded.position, eventCount: current.eventCount + 1, events: current.events });
  }
  const touched: FoldedProject[] = [];
  for (const [id, p] of pending) {
    if (touched.length % yieldEvery === yieldEvery - 1) await new Promise((resolve) => setImmediate(resolve));
    const stored = states.get(id);
    const previous = stored?.state ?? initialProjectState;
    const was = { name: previous.name, client: previous.client, currency: previous.currency };
    const { state, changes } = evolveInPlace(previous, p.events, sharing);
    const tally = stored?.tally ? updateTally(stored.tally, state, changes) : tallyOf(state);
    touched.push({ id, state, changes, tally, was, position: p.position, eventCount: p.eventCount });
  }
  return touched;
}

/** The second half of applyProjectEvents: each table's rows for the folded projects. */
export async function writeFoldedProjects(tx: SqlQueryable, touched: readonly FoldedProject[]): Promise<void> {
  if (touched.length === 0) return;
  await saveProjectStates(tx, touched);
  await upsertPortfolio(
    tx,
    touched.filter((t) => t.state.exists),
  );
  await writeFinanceRows(tx, touched);
  await upsertSigningLinks(tx, touched);
}

/** The orders a batch changed in a project, as they are now. */
function changedOrders(state: ProjectState, changes: StateChanges) {
  return [...(changes.records.changeOrders?.keys() ?? [])]
    .map((id) => state.changeOrders[id])
    .filter((o) => o !== undefined);
}

/** Signing links by token hash, so a link finds its order without scanning projects. */
async function upsertSigningLinks(tx: SqlQueryable, touched: readonly FoldedProject[]) {
  const rows = touched.flatMap(({ state, changes }) =>
    changedOrders(state, changes)
      .filter((o) => o.issue)
      .map((o) => ({
        token_sha256: o.issue!.signingTokenSha256,
        project_id: state.projectId,
        change_order_id: o.id,
        status: o.status,
        expires_at: o.issue!.expiresAt,
      })),
  );
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO signing_links (token_sha256, project_id, change_order_id, status, expires_at)
     SELECT x.token_sha256, x.project_id, x.change_order_id, x.status, x.expires_at
     FROM jsonb_to_recordset($1::jsonb) AS x(token_sha256 text, project_id text, change_order_id text, status text, ` +
      `expires_at timestamptz)
     ON CONFLICT (token_sha256) DO UPDATE SET status = EXCLUDED.status, expires_at = EXCLUDED.expires_at`,
    [JSON.stringify(rows)],
  );
}

const PORTFOLIO_UPSERT: RowUpsert = {
  name: 'portfolio_rows_upsert',
  insert:
    `INSERT INTO portfolio_rows (project_id, name, client, currency, baseline_budget, current_budget, variance, ` +
    `pending_exposure,
    absorbed, baseline_end, forecast_end, slip_working_days, open_requests, awaiting_signature, ` +
    `oldest_awaiting_since, unapproved_hours)`,
  values:
    `($1, $2, $3, $4, $5::bigint, $6::bigint, $7::bigint, $8::bigint, $9::bigint, $10::date, $11::date, ` +
    `$12::integer, $13::integer,
    $14::integer, $15::timestamptz, $16::numeric)`,
  onConflict:
    `ON CONFLICT (project_id) DO UPDATE SET name = EXCLUDED.name, client = EXCLUDED.client, ` +
    `currency = EXCLUDED.currency,
    baseline_budget = EXCLUDED.baseline_budget, current_budget = EXCLUDED.current_budget, variance = EXCLUDED.variance,
    pending_exposure = EXCLUDED.pending_exposure, absorbed = EXCLUDED.absorbed, baseline_end = EXCLUDED.baseline_end,
    forecast_end = EXCLUDED.forecast_end, slip_working_days = EXCLUDED.slip_working_days, ` +
    `open_requests = EXCLUDED.open_requests,
    awaiting_signature = EXCLUDED.awaiting_signature, oldest_awaiting_since = EXCLUDED.oldest_awaiting_since,
    unapproved_hours = EXCLUDED.unapproved_hours`,
  parameters: 16,
};

async function upsertPortfolio(tx: SqlQueryable, touched: readonly FoldedProject[]) {
  // The age of waiting orders is computed when read; the row stores when they were issued.
  await upsertRows(tx, PORTFOLIO_UPSERT, touched, ({ state, tally }) => {
    const row = portfolioRow(state, state.lastEventAt, tally);
    return [
      row.projectId,
      row.name,
      row.client,
      row.currency,
      row.baselineBudget,
      row.currentBudget,
      row.variance,
      row.pendingExposure,
      row.absorbed,
      row.baselineEnd,
      row.forecastEnd,
      row.slipWorkingDays,
      row.openRequests,
      row.awaitingSignature,
      row.oldestAwaitingSince,
      row.unapprovedHours,
    ];
  });
}

/**
 * Finance sees every signed order. A batch writes the signed orders it changed; a project whose
 * name, client or currency changed has all its rows rewritten, since each row carries them.
 */
async function writeFinanceRows(tx: SqlQueryable, touched: readonly FoldedProject[]) {
  const renamed = touched.filter(
    ({ state, was }) =>
      state.name !== was.name || state.client.name !== was.client.name || state.currency !== was.currency,
  );
  if (renamed.length > 0) {
    await tx.query(
      `DELETE FROM finance_change_orders WHERE project_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify(renamed.map((t) => t.id))],
    );
  }
  const rows = touched.flatMap((t) => {
    const orders = renamed.includes(t)
      ? t.state.signedOrderIds.map((id) => t.state.changeOrders[id])
      : changedOrders(t.state, t.changes);
    return orders
      .filter((o) => o.signature)
      .map((o) => ({
        change_order_id: o.id,
        project_id: t.state.projectId,
        project_name: t.state.name,
        client_name: t.state.client.name,
        currency: t.state.currency,
        number: o.number,
        signed_at: o.signature!.signedAt,
        signed_by: o.signature!.signer.name,
        amount: o.amount,
        absorbed: o.absorbed,
        invoiced: o.invoiced,
        invoices: o.invoices,
      }));
  });
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO finance_change_orders (change_order_id, project_id, project_name, client_name, currency, number, ` +
      `signed_at,
       signed_by, amount, absorbed, invoiced, invoices)
     SELECT x.change_order_id, x.project_id, x.project_name, x.client_name, x.currency, x.number, x.signed_at, ` +
      `x.signed_by,
       x.amount, x.absorbed, x.invoiced, x.invoices
     FROM jsonb_to_recordset($1::jsonb) AS x(change_order_id text, project_id text, project_name text, client_name text,
       currency text, number integer, signed_at timestamptz, signed_by text, amount bigint, absorbed bigint, ` +
      `invoiced bigint,
       invoices jsonb)
     ON CONFLICT (change_order_id) DO UPDATE SET project_name = EXCLUDED.project_name, ` +
      `client_name = EXCLUDED.client_name,
       currency = EXCLUDED.currency, number = EXCLUDED.number, signed_at = EXCLUDED.signed_at, ` +
      `signed_by = EXCLUDED.signed_by,
       amount = EXCLUDED.amount, absorbed = EXCLUDED.absorbed, invoiced = EXCLUDED.invoiced, ` +
      `invoices = EXCLUDED.invoices`,
    [JSON.stringify(rows)],
  );
}

export const READ_MODEL_TABLES = [
  'project_states',
  'project_state_parts',
  'portfolio_rows',
  'finance_change_orders',
  'signing_links',
  'projection_parked_events',
] as const;
