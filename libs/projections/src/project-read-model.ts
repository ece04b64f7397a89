import { evolveAll, initialProjectState, ProjectEvent, ProjectState } from '@scope-ledger/domain';
import { comparePositions, Position, RecordedEvent, SqlQueryable } from '@scope-ledger/event-store';
import { portfolioRow } from './project-views';
import { projectIdOf, toProjectEvent } from './project-events';
import { loadProjectStates, saveProjectStates, StateChange, StoredState } from './stored-project-states';

/**
 * The active runner's recent project states, as last committed: a busy project's state is then
 * not read back and parsed from `project_states` for every batch. Only committed states go in,
 * and the runner empties it whenever someone else may have written the table.
 */
export class WarmProjectStates {
  private readonly entries = new Map<string, StoredState>();

  constructor(private readonly capacity = 1000) {}

  get(projectId: string): StoredState | undefined {
    return this.entries.get(projectId);
  }

  remember(states: readonly ({ id: string } & StoredState)[]): void {
    for (const { id, state, position, eventCount } of states) {
      this.entries.delete(id);
      this.entries.set(id, { state, position, eventCount });
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Applies a batch of project events to the read-model tables inside the caller's transaction:
 * one read of the touched projects' states, one write per table, and of each state only what
 * the batch changed. Events at or before a project's stored position are skipped, so
 * redelivery is harmless.
 */
export async function applyProjectEvents(
  tx: SqlQueryable,
  events: readonly RecordedEvent[],
  warm?: WarmProjectStates,
): Promise<({ id: string } & StoredState)[]> {
  const projectIds = [...new Set(events.map((e) => projectIdOf(e.streamId)))];
  const states = new Map<string, StoredState>();
  for (const id of projectIds) {
    const known = warm?.get(id);
    if (known) states.set(id, known);
  }
  const toLoad = projectIds.filter((id) => !states.has(id));
  if (toLoad.length > 0) {
    for (const [id, stored] of await loadProjectStates(tx, toLoad)) states.set(id, stored);
  }
  // Each project's new events are folded in one evolveAll: a long project's records are then
  // copied once per batch rather than once per event.
  const pending = new Map<string, { position: Position; eventCount: number; events: { event: ProjectEvent; occurredAt: string }[] }>();
  for (const recorded of events) {
    const projectId = projectIdOf(recorded.streamId);
    const stored = states.get(projectId);
    const current = pending.get(projectId) ?? { position: stored?.position ?? { commit: -1n, prepare: -1n }, eventCount: stored?.eventCount ?? 0, events: [] };
    if (comparePositions(recorded.position, current.position) <= 0) continue;
    const event = toProjectEvent(recorded);
    if (event) current.events.push({ event, occurredAt: recorded.metadata.occurredAt });
    pending.set(projectId, { position: recorded.position, eventCount: current.eventCount + 1, events: current.events });
  }
  if (pending.size === 0) return [];
  const touched = [...pending].map(([id, p]): StateChange => {
    const previous = states.get(id)?.state ?? initialProjectState;
    return { id, previous, state: evolveAll(previous, p.events), position: p.position, eventCount: p.eventCount };
  });
  await saveProjectStates(tx, touched);
  await upsertPortfolio(tx, touched.filter((t) => t.state.exists).map((t) => t.state));
  await replaceFinanceRows(tx, touched.map((t) => t.state), [...pending.keys()]);
  await upsertSigningLinks(tx, touched.map((t) => t.state));
  return touched;
}

/** Signing links by token hash, so a link finds its order without scanning projects. */
async function upsertSigningLinks(tx: SqlQueryable, states: ProjectState[]) {
  const rows = states.flatMap((s) =>
    s.changeOrderOrder
      .map((id) => s.changeOrders[id])
      .filter((o) => o.issue)
      .map((o) => ({
        token_sha256: o.issue!.signingTokenSha256,
        project_id: s.projectId,
        change_order_id: o.id,
        status: o.status,
        expires_at: o.issue!.expiresAt,
      })),
  );
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO signing_links (token_sha256, project_id, change_order_id, status, expires_at)
     SELECT x.token_sha256, x.project_id, x.change_order_id, x.status, x.expires_at
     FROM jsonb_to_recordset($1::jsonb) AS x(token_sha256 text, project_id text, change_order_id text, status text, expires_at timestamptz)
     ON CONFLICT (token_sha256) DO UPDATE SET status = EXCLUDED.status, expires_at = EXCLUDED.expires_at`,
    [JSON.stringify(rows)],
  );
}

async function upsertPortfolio(tx: SqlQueryable, states: ProjectState[]) {
  if (states.length === 0) return;
  // The age of waiting orders is computed when read; the row stores when they were issued.
  const rows = states.map((s) => portfolioRow(s, s.lastEventAt));
  await tx.query(
    `INSERT INTO portfolio_rows (project_id, name, client, currency, baseline_budget, current_budget, variance, pending_exposure,
       absorbed, baseline_end, forecast_end, slip_working_days, open_requests, awaiting_signature, oldest_awaiting_since, unapproved_hours)
     SELECT x."projectId", x.name, x.client, x.currency, x."baselineBudget", x."currentBudget", x.variance, x."pendingExposure",
       x.absorbed, x."baselineEnd", x."forecastEnd", x."slipWorkingDays", x."openRequests", x."awaitingSignature",
       x."oldestAwaitingSince", x."unapprovedHours"
     FROM jsonb_to_recordset($1::jsonb) AS x("projectId" text, name text, client text, currency text, "baselineBudget" bigint,
       "currentBudget" bigint, variance bigint, "pendingExposure" bigint, absorbed bigint, "baselineEnd" date, "forecastEnd" date,
       "slipWorkingDays" integer, "openRequests" integer, "awaitingSignature" integer, "oldestAwaitingSince" timestamptz,
       "unapprovedHours" numeric)
     ON CONFLICT (project_id) DO UPDATE SET name = EXCLUDED.name, client = EXCLUDED.client, currency = EXCLUDED.currency,
       baseline_budget = EXCLUDED.baseline_budget, current_budget = EXCLUDED.current_budget, variance = EXCLUDED.variance,
       pending_exposure = EXCLUDED.pending_exposure, absorbed = EXCLUDED.absorbed, baseline_end = EXCLUDED.baseline_end,
       forecast_end = EXCLUDED.forecast_end, slip_working_days = EXCLUDED.slip_working_days, open_requests = EXCLUDED.open_requests,
       awaiting_signature = EXCLUDED.awaiting_signature, oldest_awaiting_since = EXCLUDED.oldest_awaiting_since,
       unapproved_hours = EXCLUDED.unapproved_hours`,
    [JSON.stringify(rows)],
  );
}

async function replaceFinanceRows(tx: SqlQueryable, states: ProjectState[], projectIds: string[]) {
  await tx.query(`DELETE FROM finance_change_orders WHERE project_id IN (SELECT jsonb_array_elements_text($1::jsonb))`, [
    JSON.stringify(projectIds),
  ]);
  const rows = states.flatMap((s) =>
    s.signedOrderIds.map((id) => {
      const o = s.changeOrders[id];
      return {
        change_order_id: o.id,
        project_id: s.projectId,
        project_name: s.name,
        client_name: s.client.name,
        currency: s.currency,
        number: o.number,
        signed_at: o.signature!.signedAt,
        signed_by: o.signature!.signer.name,
        amount: o.amount,
        absorbed: o.absorbed,
        invoiced: o.invoiced,
        invoices: o.invoices,
      };
    }),
  );
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO finance_change_orders (change_order_id, project_id, project_name, client_name, currency, number, signed_at,
       signed_by, amount, absorbed, invoiced, invoices)
     SELECT x.change_order_id, x.project_id, x.project_name, x.client_name, x.currency, x.number, x.signed_at, x.signed_by,
       x.amount, x.absorbed, x.invoiced, x.invoices
     FROM jsonb_to_recordset($1::jsonb) AS x(change_order_id text, project_id text, project_name text, client_name text,
       currency text, number integer, signed_at timestamptz, signed_by text, amount bigint, absorbed bigint, invoiced bigint,
       invoices jsonb)`,
    [JSON.stringify(rows)],
  );
}

export const READ_MODEL_TABLES = ['project_states', 'project_state_parts', 'portfolio_rows', 'finance_change_orders', 'signing_links', 'projection_parked_events'] as const;
