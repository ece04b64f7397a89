import {
  CHANGE_SOURCES,
  isLiveOrder,
  orderNumber,
  Person,
  ProjectState,
  requestNumber,
  requestRefusal,
  signedOrders,
  signingRefusal,
} from '@scope-ledger/domain';
import { budgetView, changeOrderView, changeRequestView, scopeView, timelineView } from '@scope-ledger/projections';
import { html, Html } from '../../signing/html';
import { asOfForm, asOfNotice } from './as-of';
import { budgetChart, timelineChart } from './charts';
import { clientDependenciesSection } from './client-dependencies.section';
import {
  badge,
  calendarDate,
  hours,
  money,
  moneyDelta,
  plural,
  scheduleShifts,
  sentenceCase,
  signed,
  timeTag,
} from './format';
import {
  Column,
  DECIMAL_CELL,
  FormFailure,
  formRows,
  FormView,
  inputField,
  postForm,
  rowCells,
  rowError,
  selectField,
  textareaField,
} from './forms';
import { CapacityImpact, capacityIfSigned } from './capacity-impact.section';
import { ACTIONS_COLUMN, can, dataTable, headActions, numColumn, pageHead, shell, tile, Viewer } from './layout';

export interface ProjectPageArgs {
  state: ProjectState;
  /** Set when the page shows a past moment: everything is read-only. */
  asOf?: string;
  /** A refused form: one of the page's own, or the as-of field. */
  failure?: FormFailure;
  notice?: string;
  /** The moment the page is shown: signing links show while an order can still be signed. */
  now: string;
  /** The order's signing link, or undefined when the viewer may not hold it (neither its sender nor an admin). */
  signingUrl: (changeOrderId: string, nonce: string) => string | undefined;
  /** What signing each draft or issued order would do to capacity, by order id (the present only). */
  capacity?: ReadonlyMap<string, CapacityImpact>;
}

export function projectPage(viewer: Viewer, args: ProjectPageArgs): string {
  const { state } = args;
  const editable = !args.asOf && can(viewer, 'pm');
  const established = state.baseline.established;
  const body = html`${head(state, args, can(viewer, 'pm'))}${established ? figures(state) : ''}
${established ? scopeSection(state) : baselineSection(viewer, state, editable, args.failure)}
${requestsSection(viewer, state, editable, args.failure)}${ordersSection(viewer, state, editable, args)}
${
  established
    ? clientDependenciesSection(viewer, state, { editable, moment: args.asOf ?? args.now, failure: args.failure })
    : ''
}`;
  return shell(viewer, state.name, body, { crumbs: [{ label: state.name }], notice: args.notice });
}

function head(state: ProjectState, { asOf, failure }: ProjectPageArgs, managing: boolean): Html {
  const base = `/app/projects/${state.projectId}`;
  const then = asOf ? `?${new URLSearchParams({ asOf }).toString()}` : '';
  const links = headActions([
    [`${base}/board${then}`, 'Delivery board'],
    [`${base}/audit`, 'Audit trail'],
    ...(managing ? [[`${base}/settings`, 'Settings'] as [string, string]] : []),
  ]);
  const lead = html`${state.client.email} · ${state.currency} · starts ${calendarDate(state.startDate)} ·
    ${plural(state.changeRequests.size, 'request')} · ${plural(state.changeOrders.size, 'change order')}${
      state.status === 'open' ? '' : html` · <strong>${state.status}</strong>: no new requests or orders until reopened`
    }`;
  const side = html`<div class="head-side">${links}${asOfForm(base, asOf, failure)}</div>`;
  return html`${pageHead({ eyebrow: state.client.name, title: state.name, lead, side })}
${asOf ? asOfNotice(asOf, 'the project', base) : ''}`;
}

/** The tiles, the budget and the timeline, once there is a baseline to compare with. */
function figures(state: ProjectState): Html {
  const budget = budgetView(state);
  const { approvedChanges, pendingExposure, pendingCredits, awaitingOrder, onDraftOrders } = budget;
  const timeline = timelineView(state);
  const m = (n: number) => money(n, state.currency);
  const delta = (n: number) => moneyDelta(n, state.currency);
  const signedCount = signedOrders(state).length;
  const pending = budget.pendingOrders.length;
  const ordersSigned = plural(signedCount, 'signed order');
  const awaitingSignature =
    `${plural(pending, 'order')} awaiting signature` + (pendingCredits !== 0 ? `; credits ${m(pendingCredits)}` : '');
  const onDrafts = `${plural(onDraftOrders.count, 'request')} on draft orders`;
  const slip = timeline.slipWorkingDays;
  const slipText =
    slip === 0 ? 'on the baseline date' : `${slip > 0 ? '+' : ''}${plural(slip, 'working day')} against baseline`;
  return html`<section class="tiles" aria-label="Figures">
  ${tile('Contract value', m(budget.current), `baseline ${m(budget.baseline)}`)}
  ${tile('Approved changes', delta(approvedChanges), ordersSigned, approvedChanges !== 0 && 'info')}
  ${tile('Pending exposure', delta(pendingExposure), awaitingSignature, pendingExposure !== 0 && 'warn')}
  ${tile('Assessed, not on an order', delta(awaitingOrder), 'priced but not yet sent', awaitingOrder !== 0 && 'warn')}
  ${tile('On draft orders', delta(onDraftOrders.amount), onDrafts, onDraftOrders.count !== 0 && 'info')}
  ${tile('Absorbed (no charge)', m(budget.absorbed), 'goodwill on signed orders')}
  ${monthlyTile(budget.monthly, state.currency)}
  ${tile('Forecast end', calendarDate(timeline.forecastEnd), slipText, slip > 0 && 'bad')}
</section>
<div class="grid two charts">
  <section class="panel"><h2>Budget</h2>${budgetChart({ ...budget, currency: state.currency })}
    <dl class="chart-notes">
      <div><dt>Current contract</dt>
        <dd>the baseline plus ${plural(signedCount, 'signed change order')} (${delta(approvedChanges)})</dd>
      </div>
      <div><dt>Pending</dt><dd>${
        pending === 0
          ? 'no order is waiting for the client'
          : `${plural(pending, 'issued order')} not yet signed (${delta(pendingExposure)}` +
            (pendingCredits !== 0 ? `; ${m(pendingCredits)} in credits` : '') +
            ')'
      }</dd></div>
      <div><dt>On draft orders</dt><dd>${
        onDraftOrders.count === 0
          ? 'no request sits on a draft'
          : `${plural(onDraftOrders.count, 'request')} on draft orders (${delta(onDraftOrders.amount)}), not yet sent`
      }</dd></div>
      <div><dt>Not yet on an order</dt><dd>${
        awaitingOrder === 0 ? 'nothing assessed is waiting' : `${delta(awaitingOrder)} assessed, to put on an order`
      }</dd></div>
    </dl>
  </section>
  <section class="panel"><h2>Timeline</h2>${timelineChart(state.startDate, timeline.milestones)}
    <table class="data compact"><thead><tr>
      <th scope="col">Milestone</th><th scope="col">Baseline</th><th scope="col">Current</th>${numColumn('Slip')}
    </tr></thead>
    <tbody>${timeline.milestones.map(
      (ms) =>
        html`<tr>
          <td>${ms.ref} · ${ms.name}</td><td class="nowrap">${calendarDate(ms.baselineDue)}</td>
          <td class="nowrap">${calendarDate(ms.currentDue)}${
            ms.pendingDue
              ? html`<div class="small warn-text">${calendarDate(ms.pendingDue)} if pending orders are signed</div>`
              : ''
          }</td>
          <td class="num${ms.slipWorkingDays > 0 ? ' bad-text' : ''}">${
            ms.slipWorkingDays === 0 ? '—' : `${signed(ms.slipWorkingDays)} wd`
          }</td>
        </tr>`,
    )}</tbody></table>
  </section>
</div>`;
}

/** Recurring monthly charges from products, apart from the contract; shown once a project has any. */
function monthlyTile(monthly: ReturnType<typeof budgetView>['monthly'], currency: string): Html | string {
  if (monthly.current === 0 && monthly.pending === 0) return '';
  const delta = (n: number) => moneyDelta(n, currency);
  const sub = `pending ${delta(monthly.pending)}; product margin ${delta(monthly.margin.monthly)} a month`;
  return tile('Recurring monthly', `${money(monthly.current, currency)} a month`, sub, 'info');
}

function scopeSection(state: ProjectState): Html {
  const scope = scopeView(state);
  const { totals } = scope;
  const m = (n: number) => money(n, state.currency);
  const changed = scope.items.filter((i) => i.state !== 'baseline' || i.pending).length;
  const arrow = (before: string | undefined, after: string) =>
    before === after
      ? html`${after}`
      : html`<span class="was">${before ?? '—'}</span> <span aria-hidden="true">→</span><span
          class="visually-hidden">now</span> ${after}`;
  const rows = scope.items.map((item) => {
    const b = item.baseline;
    const change = (before: string | undefined, after: string) =>
      item.state === 'pending' ? '—' : arrow(before, after);
    return html`<tr class="state-${item.state}">
<td class="mono">${item.ref}</td>
<td>${item.title}${b && b.title !== item.title ? html`<div class="small muted">was: ${b.title}</div>` : ''}</td>
<td>${item.role}</td>
<td class="num">${change(b && hours(b.hours), hours(item.hours))}</td>
<td class="num">${change(b && m(b.cost), m(item.cost))}</td>
<td>${badge(item.state)}${item.pending && item.state !== 'pending' ? html` ${badge('pending')}` : ''}</td>
<td>${item.changedBy.join(', ')}${
      item.pending
        ? html`<div class="small warn-text">
            ${item.pending.changeOrder} (unsigned): ${item.pending.op} → ${hours(item.pending.hours)} h,
            ${moneyDelta(item.pending.costDelta, state.currency)}
          </div>`
        : ''
    }</td>
</tr>`;
  });
  const foot = html`<tfoot><tr><th scope="row" colspan="3">Total</th>
  <td class="num">${arrow(hours(totals.baselineHours), hours(totals.currentHours))}</td>
  <td class="num">${arrow(m(totals.baselineCost), m(totals.currentCost))}</td><td colspan="2">${
    totals.pendingCostDelta !== 0
      ? html`<span class="warn-text">${moneyDelta(totals.pendingCostDelta, state.currency)} pending</span>`
      : ''
  }</td></tr></tfoot>`;
  const columns = ['Ref', 'Item', 'Role', numColumn('Hours'), numColumn('Cost'), 'State', 'Changed by'];
  return html`<section class="panel flush" id="scope">
  <div class="panel-head"><h2>Scope: baseline against current</h2>
  <p class="muted">${plural(scope.items.length, 'item')}, ${
    changed === 0 ? 'no differences from the baseline' : plural(changed, 'difference')
  }. Current scope is the baseline plus signed change orders; pending lines are on issued, unsigned orders.</p></div>
  ${dataTable('data scope', columns, rows, foot)}
</section>`;
}

function baselineSection(viewer: Viewer, state: ProjectState, editable: boolean, failure?: FormFailure): Html {
  if (!editable)
    return html`<section class="panel" id="scope"><h2>Scope</h2>
      <p class="muted">The baseline has not been set yet.</p></section>`;
  const form = FormView.of('baseline', failure);
  const roles = [...state.rates].map(([r, rate]) => ({ value: r, label: `${r} (${money(rate, state.currency)}/h)` }));
  const itemColumns: Column[] = [
    { field: 'ref', label: 'ref', example: 'NET-1', attrs: 'class="ref"' },
    { field: 'title', label: 'title', example: 'Firewall and VPN configuration' },
    { field: 'role', label: 'role', choices: roles },
    { field: 'hours', label: 'hours', attrs: DECIMAL_CELL, example: '16.25' },
    { field: 'fixedCost', label: 'fixed cost', attrs: DECIMAL_CELL, example: '899.00' },
  ];
  const milestoneColumns: Column[] = [
    { field: 'ref', label: 'ref', example: 'M1', attrs: 'class="ref"' },
    { field: 'name', label: 'name', example: 'Network live' },
    { field: 'due', label: 'due date', type: 'date' },
  ];
  const items = Array.from(
    { length: form.rowCount('items', 5, 2) },
    (_, i) => html`<tr>${rowCells(form, 'items', i, 'Item', itemColumns)}</tr>${rowError(form, `items[${i}]`, 5)}`,
  );
  const milestones = Array.from(
    { length: form.rowCount('milestones', 3, 1) },
    (_, i) => html`<tr>${rowCells(form, 'milestones', i, 'Milestone', milestoneColumns)}</tr>`,
  );
  const itemsHead = html`<th class="w-ref">Ref</th><th>Scope item</th><th class="w-role">Role</th>
  <th class="w-num">Hours</th><th class="w-money">Fixed cost</th>`;
  const itemTable = formRows('items', itemsHead, items, '+ Add an item');
  const milestonesHead = html`<th class="w-ref">Ref</th><th>Milestone</th><th class="w-date">Due</th>`;
  const milestoneTable = formRows('milestones', milestonesHead, milestones, '+ Add a milestone');
  // Summed up before the error about the item list as a whole, so the summary names it too.
  const fields = html`${form.summary()}
    <h3>Scope items</h3>${itemTable}
    ${rowError(form, 'items', 1)}
    <h3>Milestones</h3>${milestoneTable}
    <div class="actions"><button type="submit" class="primary">Establish baseline</button></div>`;
  return html`<section class="panel" id="scope">
  <h2>Set the baseline</h2>
  <p class="muted">The signed scope the project starts from: every later change is priced against it.
  Hours are priced at the rate card; a fixed cost (licences, hardware) is added as is. Leave unused rows empty.</p>
  ${postForm(viewer, `/app/projects/${state.projectId}/baseline`, undefined, fields)}
</section>`;
}

function requestsSection(viewer: Viewer, state: ProjectState, editable: boolean, failure?: FormFailure): Html {
  const base = `/app/projects/${state.projectId}`;
  const requests = [...state.changeRequests.keys()].map((id) => changeRequestView(state, id)).reverse();
  const rows = requests.map((r) => {
    const a = r.assessment;
    const open = editable && !requestRefusal(state, state.changeRequests.get(r.id)!, 'assessed');
    const fresh = r.status === 'logged';
    return html`<tr>
<td class="mono nowrap">${r.number}</td>
<td><a class="strong" href="${base}/change-requests/${r.id}">${r.title}</a>
<div class="small muted">${sentenceCase(r.source)} from ${r.requestedBy.name}${
      r.ticketRef ? ` · ${r.ticketRef}` : ''
    }</div></td>
<td class="small nowrap">${timeTag(r.receivedAt, state.timeZone)}</td>
<td>${badge(r.status)}${r.changeOrder ? html` <span class="small muted">${r.changeOrder}</span>` : ''}</td>
<td class="num">${
      a
        ? html`${moneyDelta(a.costDelta, state.currency)}${
            a.noCharge ? html`<div>${badge('no_charge', 'no charge')}</div>` : ''
          }`
        : html`<span class="muted">not assessed</span>`
    }</td>
<td class="small">${a?.schedule.length ? scheduleShifts(a.schedule) : html`<span class="muted">—</span>`}</td>
<td class="actions-cell"><a class="button small${open && fresh ? ' primary' : ''}"
  href="${base}/change-requests/${r.id}">${open ? (fresh ? 'Assess' : 'Review') : 'Open'}</a></td>
</tr>`;
  });
  const columns = ['#', 'Request', 'Received', 'Status', numColumn('Price'), 'Schedule', ACTIONS_COLUMN];
  const table =
    requests.length === 0
      ? html`<p class="empty-line">No change requests yet.${
          editable ? ' Log the first one as soon as the client asks: small requests add up.' : ''
        }</p>`
      : dataTable('data', columns, rows);
  return html`<section class="panel flush" id="requests"><div class="panel-head"><h2>Change requests</h2>
    <p class="muted">Every client ask, logged, priced against the current scope, then put on a change order
    or declined.</p>
  </div>${table}${editable ? logForm(viewer, state, requests[0]?.requestedBy, failure) : ''}</section>`;
}

/** The requester of the last request is the likeliest one of the next. */
function logForm(viewer: Viewer, state: ProjectState, lastRequester?: Person, failure?: FormFailure): Html {
  const form = FormView.of('log', failure, {
    source: 'email',
    'requestedBy.name': lastRequester?.name ?? '',
    'requestedBy.email': lastRequester?.email ?? state.client.email,
  });
  const sources = CHANGE_SOURCES.map((s) => ({ value: s, label: sentenceCase(s) }));
  const fields = html`<div class="form-grid">
      ${inputField(form, 'title', {
        label: 'What did the client ask for?',
        required: true,
        placeholder: 'Add a shared mailbox for accounts payable',
        wrap: 'span-2',
      })}
      ${selectField(form, 'source', sources, { label: 'Came in by' })}
      ${inputField(form, 'ticketRef', { label: 'Ticket (optional)', placeholder: 'TCK-4821' })}
      ${textareaField(form, 'description', {
        label: 'Details',
        rows: 2,
        placeholder: 'What exactly, where, any deadline',
        wrap: 'span-4',
      })}
      ${inputField(form, 'requestedBy.name', { label: 'Requested by', required: true, autocomplete: 'off' })}
      ${inputField(form, 'requestedBy.email', {
        label: 'Their email',
        type: 'email',
        required: true,
        autocomplete: 'off',
      })}
      ${inputField(form, 'receivedAt', {
        label: 'Received (UTC)',
        type: 'datetime-local',
        hint: 'Leave empty for now.',
      })}
    <div class="actions align-end"><button type="submit" class="primary">Log request</button></div></div>`;
  return html`<div class="panel-form" id="log-request"><h3>Log a client request</h3>
    ${postForm(viewer, `/app/projects/${state.projectId}/change-requests`, form, fields, 'novalidate')}</div>`;
}

function ordersSection(viewer: Viewer, state: ProjectState, editable: boolean, args: ProjectPageArgs): Html {
  const base = `/app/projects/${state.projectId}`;
  const orders = [...state.changeOrders.keys()].map((id) => changeOrderView(state, id)).reverse();
  const rows = orders.map((o) => {
    const order = state.changeOrders.get(o.id)!;
    const actions: Html[] = [];
    if (!args.asOf && !signingRefusal(order, args.now)) {
      const url = args.signingUrl(o.id, order.issue!.signingTokenNonce);
      actions.push(
        url
          ? html`<div class="signing-link">
          <label for="link-${o.id}" class="small muted">Signing link for ${o.signer.name}</label>
          <div class="copy-row"><input id="link-${o.id}" class="mono small" readonly value="${url}"
            ><button type="button" class="small copy" data-copy="link-${o.id}" hidden>Copy</button></div>
        </div>`
          : html`<p class="small muted signing-link">The signing link went to ${o.signer.name}; only whoever
          issued the order, or an admin, can copy it here.</p>`,
      );
    }
    if (o.status !== 'draft') {
      const label = o.status === 'signed' ? 'Signed PDF' : 'PDF';
      actions.push(html`<a class="button small" href="${base}/change-orders/${o.id}/pdf">${label}</a>`);
    } else {
      // Rendered on request with the figures of now, marked DRAFT; nothing is stored or sent.
      const preview = `${base}/change-orders/${o.id}/preview.pdf`;
      actions.push(html`<a class="button small" href="${preview}">Preview PDF (draft)</a>`);
    }
    if (editable && o.status === 'draft') {
      const problem = FormView.of(`issue-${o.id}`, args.failure).summary();
      const button = html`<button type="submit" class="primary small">Issue for signature</button>${problem}`;
      actions.push(postForm(viewer, `${base}/change-orders/${o.id}/issue`, undefined, button, 'class="inline"'));
    }
    if (editable && o.status === 'issued' && !signingRefusal(order, args.now)) {
      const problem = FormView.of(`revise-${o.id}`, args.failure).summary();
      const style = o.needsRevision ? 'primary small' : 'small';
      const button = html`<button type="submit" class="${style}">Send revised order</button>${problem}`;
      actions.push(postForm(viewer, `${base}/change-orders/${o.id}/revise`, undefined, button, 'class="inline"'));
    }
    if (editable && isLiveOrder(order)) {
      const form = FormView.of(`void-${o.id}`, args.failure);
      const reason = inputField(form, 'reason', {
        label: 'Why void it?',
        required: true,
        placeholder: 'Revising the price after the site survey',
      });
      const content = html`${reason}<button type="submit" class="danger small">Void ${o.number}</button>`;
      actions.push(
        html`<details class="more"${form.failed ? html` open` : ''}><summary>Void…</summary>${postForm(
          viewer,
          `${base}/change-orders/${o.id}/void`,
          form,
          content,
          'class="stack"',
        )}</details>`,
      );
    }
    // Anchored by its number without the revision, which never changes.
    return html`<tr id="order-${orderNumber({ number: order.number })}">
<td class="mono nowrap">${o.number}</td>
<td>${o.changeRequests.join(', ')}<div class="small muted">${plural(o.lines.length, 'line')}${
      o.schedule.length ? `, ${scheduleShifts(o.schedule)}` : ''
    }</div></td>
<td>${o.signer.name}<div class="small muted">${o.signer.email}</div></td>
<td class="num">${money(o.amount, state.currency)}${
      o.absorbed ? html`<div class="small muted">absorbed ${money(o.absorbed, state.currency)}</div>` : ''
    }${orderProductFigures(o, state.currency)}</td>
<td>${badge(o.status)}${
      o.needsRevision ? html`<div class="small warn-text">Needs a revision: ${o.needsRevision}</div>` : ''
    }${
      o.consentWithdrawnAt
        ? html`<div class="small warn-text">
            The signer withdrew consent to sign electronically on ${calendarDate(o.consentWithdrawnAt)}: send a paper
            copy to sign, or void the order.
          </div>`
        : ''
    }</td>
<td class="small">${orderWhen(o, state.timeZone)}</td>
<td class="actions-cell">${actions}</td>
</tr>`;
  });
  const columns = ['#', 'Requests', 'Signer', numColumn('Amount'), 'Status', 'When', ACTIONS_COLUMN];
  const table =
    orders.length === 0
      ? html`<p class="empty-line">No change orders yet.</p>`
      : dataTable('data orders', columns, rows);
  return html`<section class="panel flush" id="orders"><div class="panel-head"><h2>Change orders</h2>
    <p class="muted">Issued orders go to the client's signer; only a signature admits the work to the board.</p>
  </div>${table}${capacityOfLiveOrders(orders, args.capacity)}${
    editable ? draftForm(viewer, state, orders[0]?.signer, args.failure) : ''
  }</section>`;
}

/** Beside each draft or issued order's price and schedule: who signing it would put over capacity, and when. */
function capacityOfLiveOrders(
  orders: ReturnType<typeof changeOrderView>[],
  capacity: ProjectPageArgs['capacity'],
): Html | string {
  const shown = orders.filter((o) => capacity?.has(o.id));
  if (shown.length === 0) return '';
  return html`<div class="panel-text capacity-orders">${shown.map(
    (o) => html`<div id="capacity-${o.number.split(' ')[0]}">${capacityIfSigned(o.number, capacity!.get(o.id)!)}</div>`,
  )}</div>`;
}

/** How a new order's signer is checked; empty leaves it to SIGNER_VERIFICATION_DEFAULT. */
const SIGNER_CHECKS = [
  { value: '', label: 'The server default (SIGNER_VERIFICATION_DEFAULT)' },
  { value: 'none', label: 'The link sent by email' },
  { value: 'email_code', label: 'The link and a one-time code emailed to the signer' },
];

/** When the order last changed, and what the signer has done with it. */
/** An order's recurring monthly change and product margin (staff only), under its one-off amount. */
function orderProductFigures(o: ReturnType<typeof changeOrderView>, currency: string): Html | string {
  if (o.products.length === 0) return '';
  const { change } = o.monthly;
  return html`${
    change !== 0 ? html`<div class="small">${moneyDelta(change, currency)} a month</div>` : ''
  }<div class="small muted">margin ${moneyDelta(o.margin.oneOff, currency)} once, ${moneyDelta(
    o.margin.monthly,
    currency,
  )} a month</div>`;
}

function orderWhen(o: ReturnType<typeof changeOrderView>, zone: string | undefined): Html {
  const at = (iso: string | null | undefined) => timeTag(iso, zone);
  switch (o.status) {
    case 'signed':
      return html`<span class="nowrap">Signed ${at(o.signedAt)}</span>
            <div class="small muted">by ${o.signedBy?.name}</div>`;
    case 'issued':
      return html`<span class="nowrap">Issued ${at(o.issuedAt)}</span>
              <div class="small muted">expires ${at(o.expiresAt)} · ${
                o.firstViewedAt ? html`opened ${at(o.firstViewedAt)}` : 'not opened yet'
              }</div>`;
    case 'draft':
      return html`<span class="nowrap">Drafted ${at(o.draftedAt)}</span>`;
    default:
      return html`<span class="nowrap">${o.status[0].toUpperCase()}${o.status.slice(1)} ${at(o.closedAt)}</span>
                ${o.closedReason ? html`<div class="small muted">${o.closedReason}</div>` : ''}`;
  }
}

function draftForm(viewer: Viewer, state: ProjectState, lastSigner?: Person, failure?: FormFailure): Html {
  const assessed = [...state.changeRequests.values()].filter((r) => r.status === 'assessed');
  if (assessed.length === 0) {
    return html`<div class="panel-form"><h3>Draft a change order</h3>
            <p class="muted small">
              Assess a request first: an order bundles one or more assessed requests for the client to sign.
            </p></div>`;
  }
  const form = FormView.of('draft', failure, {
    'signer.name': lastSigner?.name ?? '',
    'signer.email': lastSigner?.email ?? state.client.email,
    expiresInDays: '14',
    changeRequestIds: assessed.length === 1 ? [assessed[0].id] : [],
  });
  const chosen = new Set(form.list('changeRequestIds'));
  const choices = html`<fieldset class="field${form.hasError('changeRequestIds') ? ' has-error' : ''}">
          <legend>Assessed requests to include</legend>${assessed.map(
            (r) =>
              html`<label class="choice">
                <input type="checkbox" name="changeRequestIds" value="${r.id}"${chosen.has(r.id) ? html` checked` : ''}>
                <span><strong>${requestNumber(r)}</strong> ${r.title}
                  <span class="muted">${
                    r.assessment!.noCharge ? 'no charge' : moneyDelta(r.assessment!.costDelta, state.currency)
                  }</span></span>
              </label>`,
          )}${
            form.hasError('changeRequestIds')
              ? html`<p class="field-error">${form.errorFor('changeRequestIds')}</p>`
              : ''
          }</fieldset>`;
  const fields = html`<div class="form-grid"><div class="span-2">${choices}</div>
      <div class="span-2 stack">
        <div class="grid two tight">
          ${inputField(form, 'signer.name', { label: 'Client signer', required: true, autocomplete: 'off' })}
          ${inputField(form, 'signer.email', {
            label: 'Signer email',
            type: 'email',
            required: true,
            autocomplete: 'off',
          })}
        </div>
        <div class="grid two tight">
          ${inputField(form, 'expiresInDays', { label: 'Days to sign', type: 'number', attrs: 'min="1" max="365"' })}
          <div class="actions align-end"><button type="submit" class="primary">Draft order</button></div>
        </div>
        <details class="more"${form.value('terms') || form.value('signerVerification') ? html` open` : ''}
          ><summary>Custom terms, signer check (optional)</summary>
        ${textareaField(form, 'terms', {
          label: 'Terms printed on the order',
          rows: 4,
          hint: "Leave empty for the company's default terms.",
        })}
        ${selectField(form, 'signerVerification', SIGNER_CHECKS, {
          label: 'How the signer is checked',
          hint: 'An emailed code needs the server to send email (SMTP_URL).',
        })}</details>
      </div></div>`;
  return html`<div class="panel-form" id="draft-order"><h3>Draft a change order</h3>
    ${postForm(viewer, `/app/projects/${state.projectId}/change-orders`, form, fields, 'novalidate')}</div>`;
}
