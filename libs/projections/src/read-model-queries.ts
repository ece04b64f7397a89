import { extended, ProjectState } from '@scope-ledger/domain';
import { SqlQueryable } from '@scope-ledger/event-store';
import { loadProjectStates } from './stored-project-states';

/** Reads from the projected tables. */
export class ReadModelQueries {
  constructor(private readonly sql: SqlQueryable) {}

  /** The projected state, with the stream revision it reflects (the project's ETag). */
  async projectState(projectId: string): Promise<(ProjectState & { revision: number }) | undefined> {
    const stored = (await loadProjectStates(this.sql, [projectId])).get(projectId);
    return stored?.state.exists ? extended(stored.state, { revision: stored.eventCount - 1 }) : undefined;
  }

  async signingLink(
    tokenSha256: string,
  ): Promise<{ projectId: string; changeOrderId: string; status: string } | undefined> {
    const { rows } = await this.sql.query<{ projectId: string; changeOrderId: string; status: string }>(
      `SELECT project_id AS "projectId", change_order_id AS "changeOrderId", status ` +
        `FROM signing_links WHERE token_sha256 = $1`,
      [tokenSha256],
    );
    return rows[0];
  }

  /** Issued orders whose expiry has passed: the sweeper expires them. */
  async overdueSigningLinks(now: string): Promise<{ projectId: string; changeOrderId: string }[]> {
    const { rows } = await this.sql.query<{ projectId: string; changeOrderId: string }>(
      `SELECT project_id AS "projectId", change_order_id AS "changeOrderId" FROM signing_links
       WHERE status = 'issued' AND expires_at <= $1::timestamptz ORDER BY expires_at LIMIT 500`,
      [now],
    );
    return rows;
  }

  async projectIdOfChangeOrder(changeOrderId: string): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ project_id: string }>(
      `SELECT project_id FROM finance_change_orders WHERE change_order_id = $1
       UNION ALL SELECT project_id FROM signing_links WHERE change_order_id = $1 LIMIT 1`,
      [changeOrderId],
    );
    return rows[0]?.project_id;
  }

  async portfolio(): Promise<PortfolioRowRecord[]> {
    const { rows } = await this.sql.query<PortfolioRowRecord>(
      `SELECT project_id AS "projectId", name, client, currency, baseline_budget::float8 AS "baselineBudget",
         current_budget::float8 AS "currentBudget", variance::float8 AS variance, ` +
        `pending_exposure::float8 AS "pendingExposure",
         absorbed::float8 AS absorbed, to_char(baseline_end, 'YYYY-MM-DD') AS "baselineEnd",
         to_char(forecast_end, 'YYYY-MM-DD') AS "forecastEnd", slip_working_days AS "slipWorkingDays",
         open_requests AS "openRequests", awaiting_signature AS "awaitingSignature",
         to_char(oldest_awaiting_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "oldestAwaitingSince",
         unapproved_hours::float8 AS "unapprovedHours"
       FROM portfolio_rows ORDER BY name, project_id`,
    );
    return rows;
  }

  async signedChangeOrders(filter: { from?: string; to?: string; client?: string }): Promise<FinanceRowRecord[]> {
    const { rows } = await this.sql.query<FinanceRowRecord>(
      `SELECT change_order_id AS "changeOrderId", project_id AS "projectId", project_name AS "projectName",
         client_name AS client, currency, number,
         to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "signedAt", signed_by AS "signedBy",
         amount::float8 AS amount, absorbed::float8 AS absorbed, invoiced::float8 AS invoiced, invoices
       FROM finance_change_orders
       WHERE ($1::timestamptz IS NULL OR signed_at >= $1::timestamptz)
         AND ($2::timestamptz IS NULL OR signed_at < $2::timestamptz)
         AND ($3::text IS NULL OR lower(client_name) = lower($3::text))
       ORDER BY signed_at, project_name, number`,
      [filter.from ?? null, filter.to ?? null, filter.client ?? null],
    );
    return rows;
  }
}

export interface PortfolioRowRecord {
  projectId: string;
  name: string;
  client: string;
  currency: string;
  baselineBudget: number;
  currentBudget: number;
  variance: number;
  pendingExposure: number;
  absorbed: number;
  baselineEnd: string | null;
  forecastEnd: string | null;
  slipWorkingDays: number;
  openRequests: number;
  awaitingSignature: number;
  oldestAwaitingSince: string | null;
  unapprovedHours: number;
}

export interface FinanceRowRecord {
  changeOrderId: string;
  projectId: string;
  projectName: string;
  client: string;
  currency: string;
  number: number;
  signedAt: string;
  signedBy: string;
  amount: number;
  absorbed: number;
  invoiced: number;
  invoices: { invoiceNumber: string; amount: number; invoicedAt: string }[];
}
