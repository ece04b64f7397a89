import {
  addCalendarDays,
  baselineInvoiced,
  baselineInvoicesOf,
  ChangeOrderState,
  ChangeOrderStatus,
  invoiceDateOf,
  PlanningCard,
  milestoneDates,
  PlanningProject,
  projectEnd,
  ProjectState,
  startOfDayIn,
} from '@scope-ledger/domain';
import { SqlQueryable } from '@scope-ledger/event-store';
import { PortfolioRow, portfolioRowOf, tallyFromDoc } from './portfolio-projector';
import { projectHeaderFromDoc, RECORD_KINDS, RECORD_TABLES, RecordKind, stateFromRows } from './record-tables';

/** A project's header row, then its records table by table in the order they were first written. */
const PROJECT_ROWS_SQL = [
  `SELECT 0 AS part, 'project' AS kind, project_id AS key, seq, doc, revision::text AS revision
   FROM projects WHERE project_id = $1`,
  ...RECORD_KINDS.map(
    (kind, i) =>
      `SELECT ${i + 1}, '${kind}', key, seq, doc, NULL FROM ${RECORD_TABLES[kind].table} WHERE project_id = $1`,
  ),
]
  .join('\nUNION ALL ')
  .concat('\nORDER BY part, seq');

/** Reads from the read tables ("now"; `?asOf=` folds the stream instead). */
export class ProjectReadModel {
  constructor(private readonly sql: SqlQueryable) {}

  /** The project as the read tables hold it, with the stream revision it reflects (its ETag). */
  async projectState(projectId: string): Promise<(ProjectState & { revision: number }) | undefined> {
    const { rows } = await this.sql.query<{ kind: string; key: string; doc: unknown; revision: string | null }>(
      PROJECT_ROWS_SQL,
      [projectId],
    );
    if (rows[0]?.kind !== 'project') return undefined;
    const records = rows.slice(1).map((row) => ({ ...row, kind: row.kind as RecordKind }));
    return { ...stateFromRows(rows[0].doc, records), revision: Number(rows[0].revision) };
  }

  /**
   * What capacity planning needs of every project that is not archived, one query per table: each project's
   * calendar, end (its last milestone's current date) and each milestone's current date, and its cards that may
   * still need hours with the milestone each is due by. Each query answers one JSON array of rows, in order.
   */
  async capacityInput(): Promise<{ projects: PlanningProject[]; cards: PlanningCard[] }> {
    type ProjectRow = [projectId: string, name: string, timeZone: string | null, startDate: string, holidays: string[]];
    const projects = await this.jsonRows<ProjectRow>(
      `SELECT json_agg(json_build_array(project_id, doc -> 'name', doc -> 'timeZone', doc -> 'startDate',
         doc -> 'holidays') ORDER BY doc ->> 'name', project_id) AS rows
       FROM projects WHERE doc ->> 'status' IS DISTINCT FROM 'archived'`,
    );
    // In schedule order (the order rows were first written): the last one ends the project.
    type MilestoneRow = [projectId: string, ref: string, due: string, shift: number];
    const milestones = await this.jsonRows<MilestoneRow>(
      `SELECT json_agg(json_build_array(project_id, key, doc -> 'due', doc -> 'shift') ORDER BY project_id, seq) AS rows
       FROM milestones`,
    );
    type CardRow = [
      projectId: string,
      cardId: string,
      title: string,
      role: string,
      estimate: number,
      logged: number,
      column: PlanningCard['column'],
      assignee: string | null,
      milestone: string | null,
    ];
    const cards = await this.jsonRows<CardRow>(
      `SELECT json_agg(json_build_array(project_id, key, title, role, estimate_centi_hours, logged_centi_hours,
         board_column, assignee, milestone) ORDER BY project_id, seq) AS rows
       FROM board_cards
       WHERE board_column <> 'done' AND NOT cancelled AND estimate_centi_hours > logged_centi_hours`,
    );
    const milestonesOf = new Map<string, { ref: string; due: string; shift: number }[]>();
    for (const [projectId, ref, due, shift] of milestones) {
      const list = milestonesOf.get(projectId);
      if (list) list.push({ ref, due, shift });
      else milestonesOf.set(projectId, [{ ref, due, shift }]);
    }
    return {
      projects: projects.map(([projectId, name, timeZone, startDate, stored]): PlanningProject => {
        const holidays = stored ?? [];
        const own = milestonesOf.get(projectId) ?? [];
        return {
          projectId,
          name,
          ...(timeZone ? { timeZone } : {}),
          startDate,
          holidays,
          end: projectEnd(own, holidays),
          milestones: milestoneDates(own, holidays),
        };
      }),
      cards: cards.map(
        ([projectId, cardId, title, role, estimate, logged, column, assignee, milestone]): PlanningCard => ({
          projectId,
          cardId,
          title,
          role,
          estimateCentiHours: estimate,
          loggedCentiHours: logged,
          column,
          cancelled: false,
          ...(assignee ? { assignee } : {}),
          ...(milestone ? { milestone } : {}),
        }),
      ),
    };
  }

  /** The rows of a query answering them as one JSON array named `rows` (no rows: null). */
  private async jsonRows<Row>(text: string): Promise<Row[]> {
    const { rows } = await this.sql.query<{ rows: Row[] | null }>(text);
    return rows[0]?.rows ?? [];
  }

  /** Every project's portfolio row, by name; the age of waiting orders as at `now`. */
  async portfolio(now: string = new Date().toISOString()): Promise<PortfolioRow[]> {
    const { rows } = await this.sql.query<{ doc: unknown }>(
      `SELECT doc FROM portfolio_rows ORDER BY doc ->> 'name', project_id`,
    );
    return rows.map((row) => portfolioRowOf(tallyFromDoc(row.doc), now));
  }

  /** Signed orders for finance, signed in [from, to), of one client (any case) or all. */
  async signedChangeOrders(filter: { from?: string; to?: string; client?: string }) {
    const { rows } = await this.sql.query<{
      project_id: string;
      order: ChangeOrderState;
      name: string;
      client: string;
      currency: string;
      time_zone: string | null;
    }>(
      `SELECT o.project_id, o.doc AS order, p.doc ->> 'name' AS name, p.doc #>> '{client,name}' AS client,
         p.doc ->> 'currency' AS currency, p.doc ->> 'timeZone' AS time_zone
       FROM change_orders o JOIN projects p ON p.project_id = o.project_id
       WHERE o.signed_at IS NOT NULL
         AND ($1::text IS NULL OR o.signed_at >= $1) AND ($2::text IS NULL OR o.signed_at < $2)
         AND ($3::text IS NULL OR lower(p.doc #>> '{client,name}') = lower($3))
       ORDER BY o.signed_at, name, (o.doc ->> 'number')::int`,
      [isoTime(filter.from), isoTime(filter.to), filter.client ?? null],
    );
    return rows.map(({ project_id, order, name, client, currency, time_zone }) => ({
      changeOrderId: order.id,
      projectId: project_id,
      projectName: name,
      client,
      currency,
      /** The project's IANA time zone, null when it has none: its today dates the order's invoices. */
      timeZone: time_zone,
      number: order.number,
      revision: order.revision ?? 0,
      signedAt: order.signature!.signedAt,
      signedBy: order.signature!.signer.name,
      amount: order.amount,
      monthly: order.monthly ?? 0,
      absorbed: order.absorbed,
      invoiced: order.invoiced,
      invoices: order.invoices,
      lines: order.lines,
      products: order.products ?? [],
    }));
  }

  /**
   * Projects with invoices against their baseline contract, of one client (any case) or all, by name: what was
   * invoiced in all, and the invoices whose date (a day, in UTC) overlaps [from, to), voided ones included.
   */
  async baselineInvoices(filter: { from?: string; to?: string; client?: string }) {
    const { rows } = await this.sql.query<{ project_id: string; doc: unknown }>(
      `SELECT project_id, doc FROM projects
       WHERE jsonb_array_length(COALESCE(doc -> 'baselineInvoices', '[]'::jsonb)) > 0
         AND ($1::text IS NULL OR lower(doc #>> '{client,name}') = lower($1))
       ORDER BY doc ->> 'name', project_id`,
      [filter.client ?? null],
    );
    const from = isoTime(filter.from);
    const to = isoTime(filter.to);
    // An invoice's date is a whole day (in UTC, as the period is given): in the period when the two overlap,
    // so `to=…-07T23:59:59Z` keeps an invoice dated the 7th and `to=…-08T00:00:00Z` leaves out one dated the 8th.
    const inPeriod = (i: { invoiceDate?: string; invoicedAt: string }) => {
      const date = invoiceDateOf(i);
      const dayStarts = startOfDayIn(date, undefined);
      const dayEnds = startOfDayIn(addCalendarDays(date, 1), undefined);
      return (!from || dayEnds > from) && (!to || dayStarts < to);
    };
    return rows
      .map(({ project_id, doc }) => {
        const header = projectHeaderFromDoc(doc);
        return {
          projectId: project_id,
          projectName: header.name,
          client: header.client.name,
          currency: header.currency,
          baseline: header.baseline.total,
          invoiced: baselineInvoiced(header),
          invoices: baselineInvoicesOf(header).filter(inPeriod),
        };
      })
      .filter((project) => project.invoices.length > 0);
  }

  /** The order a signing link's token hash belongs to: the link of its newest issue, or of an earlier one. */
  async signingLink(tokenSha256: string) {
    type Link = { projectId: string; changeOrderId: string; status: ChangeOrderStatus };
    const current = await this.sql.query<Link>(
      `SELECT project_id AS "projectId", key AS "changeOrderId", status FROM change_orders
       WHERE signing_token_sha256 = $1`,
      [tokenSha256],
    );
    if (current.rows.length > 0) return current.rows[0];
    const earlier = await this.sql.query<Link>(
      `SELECT project_id AS "projectId", key AS "changeOrderId", status FROM change_orders
       WHERE doc -> 'issues' @> jsonb_build_array(jsonb_build_object('signingTokenSha256', $1::text))`,
      [tokenSha256],
    );
    return earlier.rows.at(0);
  }

  /** Issued orders whose time to sign has run out at `now`: the sweeper expires them. */
  async overdueOrders(now: string): Promise<{ projectId: string; changeOrderId: string }[]> {
    const { rows } = await this.sql.query<{ projectId: string; changeOrderId: string }>(
      `SELECT project_id AS "projectId", key AS "changeOrderId" FROM change_orders
       WHERE status = 'issued' AND expires_at <= $1 ORDER BY expires_at LIMIT 500`,
      [isoTime(now)],
    );
    return rows;
  }

  async projectIdOfChangeOrder(changeOrderId: string): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ project_id: string }>(
      `SELECT project_id FROM change_orders WHERE key = $1 LIMIT 1`,
      [changeOrderId],
    );
    return rows[0]?.project_id;
  }
}

/** Times are stored as ISO text (`2026-03-09T14:00:00.000Z`), which sorts as time does. */
function isoTime(time: string | undefined): string | null {
  return time === undefined ? null : new Date(time).toISOString();
}
