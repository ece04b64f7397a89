import {
  CHANGE_SOURCES,
  isLiveOrder,
  ProjectState,
  requestNumber,
  requestRefusal,
  signedOrders,
  signingRefusal,
} from '@scope-ledger/domain';
import { budgetView, changeOrderView, changeRequestView, scopeView, timelineView } from '@scope-ledger/projections';
import { html, Html } from '../../signing/html';
import { budgetChart, timelineChart } from './charts';
import { badge, calendarDate, dateTime, hours, money, moneyDelta, plural, SOURCE_LABELS } from './format';
import {
  cellInput,
  cellSelect,
  Choice,
  csrfField,
  FormFailure,
  FormView,
  inputField,
  rowError,
  selectField,
  textareaField,
} from './forms';
import { can, shell, Viewer } from './layout';

export interface ProjectPageArgs {
  state: ProjectState;
  /** Set when the page shows a past moment: everything is read-only. */
  asOf?: string;
  asOfForm?: FormFailure;
  failure?: FormFailure;
  notice?: string;
  /** The moment the page is shown: signing links show while an order can still be signed. */
  now: string;
  signingUrl: (changeOrderId: string, nonce: string) => string;
}

export function projectPage(viewer: Viewer, args: ProjectPageArgs): string {
  const { state, asOf } = args;
  const editable = !asOf && can(viewer, 'pm');
  const base = `/app/projects/${state.projectId}`;
  const budget = budgetView(state);
  const timeline = timelineView(state);
  const m = (n: number) => money(n, state.currency);
  const signed = signedOrders(state).length;

  const asOfForm = FormView.of('as-of', args.asOfForm, { asOf: asOf ? asOf.slice(0, 19) : '' });
  const asOfField = html`<form class="as-of" method="get" action="${base}">
  <label for="as-of-asOf">As of <span class="muted">(UTC)</span></label>
  <input type="datetime-local" id="as-of-asOf" name="asOf" step="1" value="${asOfForm.value('asOf')}"${
    asOfForm.hasError('asOf') ? html` aria-invalid="true" aria-describedby="as-of-asOf-error"` : ''
  }>
  <button type="submit">Show</button>
  ${asOf ? html`<a href="${base}">Back to now</a>` : ''}
  ${
    asOfForm.hasError('asOf') ? html`<p class="field-error" id="as-of-asOf-error">${asOfForm.errorFor('asOf')}</p>` : ''
  }
</form>`;

  const head = html`<div class="page-head">
  <div>
    <p class="eyebrow">${state.client.name}</p>
    <h1>${state.name}</h1>
    <p class="muted">${state.client.email} · ${state.currency} · starts ${calendarDate(state.startDate)} ·
    ${plural(state.changeRequests.size, 'request')} · ${plural(state.changeOrders.size, 'change order')}</p>
  </div>
  <div class="head-side">
    <div class="head-actions">
      <a class="button" href="${base}/board">Delivery board</a>
      <a class="button" href="${base}/audit">Audit trail</a>
    </div>
    ${asOfField}
  </div>
</div>
${
  asOf
    ? html`<div class="notice info" role="status">
        <strong>As of ${dateTime(asOf)}.</strong> This is the project exactly as it stood then, folded from its events.
        Nothing can be changed in this view.
      </div>`
    : ''
}`;

  const tiles = html`<section class="tiles" aria-label="Figures">
  <div class="tile">
    <span class="tile-label">Contract value</span><span class="tile-value">${m(budget.current)}</span>
    <span class="tile-sub">baseline ${m(budget.baseline)}</span>
  </div>
  <div class="tile${budget.approvedChanges !== 0 ? ' tone-info' : ''}">
    <span class="tile-label">Approved changes</span>
    <span class="tile-value">${moneyDelta(budget.approvedChanges, state.currency)}</span>
    <span class="tile-sub">${plural(signed, 'signed order')}</span>
  </div>
  <div class="tile${budget.pendingExposure !== 0 ? ' tone-warn' : ''}">
    <span class="tile-label">Pending exposure</span>
    <span class="tile-value">${moneyDelta(budget.pendingExposure, state.currency)}</span>
    <span class="tile-sub">${plural(budget.pendingOrders.length, 'order')} awaiting signature</span>
  </div>
  <div class="tile${budget.awaitingOrder !== 0 ? ' tone-warn' : ''}">
    <span class="tile-label">Assessed, not on an order</span>
    <span class="tile-value">${moneyDelta(budget.awaitingOrder, state.currency)}</span>
    <span class="tile-sub">priced but not yet sent</span>
  </div>
  <div class="tile">
    <span class="tile-label">Absorbed (no charge)</span><span class="tile-value">${m(budget.absorbed)}</span>
    <span class="tile-sub">goodwill on signed orders</span>
  </div>
  <div class="tile${timeline.slipWorkingDays > 0 ? ' tone-bad' : ''}">
    <span class="tile-label">Forecast end</span>
    <span class="tile-value">${calendarDate(timeline.forecastEnd)}</span>
    <span class="tile-sub">${
      timeline.slipWorkingDays === 0
        ? 'on the baseline date'
        : `${timeline.slipWorkingDays > 0 ? '+' : ''}${plural(timeline.slipWorkingDays, 'working day')}` +
          ' against baseline'
    }</span>
  </div>
</section>`;

  const charts = state.baseline.established
    ? html`<div class="grid two charts">
  <section class="panel"><h2>Budget</h2>${budgetChart({
    baseline: budget.baseline,
    current: budget.current,
    pendingExposure: budget.pendingExposure,
    currency: state.currency,
  })}
    <dl class="chart-notes">
      <div><dt>Current contract</dt>
        <dd>
          the baseline plus ${plural(signed, 'signed change order')}
          (${moneyDelta(budget.approvedChanges, state.currency)})
        </dd>
      </div>
      <div><dt>Pending</dt><dd>${
        budget.pendingOrders.length === 0
          ? 'no order is waiting for the client'
          : `${plural(budget.pendingOrders.length, 'issued order')} not yet signed (${moneyDelta(
              budget.pendingExposure,
              state.currency,
            )})`
      }</dd></div>
      <div><dt>Not yet on an order</dt><dd>${
        budget.awaitingOrder === 0
          ? 'nothing assessed is waiting'
          : `${moneyDelta(budget.awaitingOrder, state.currency)} assessed, to put on an order`
      }</dd></div>
    </dl>
  </section>
  <section class="panel"><h2>Timeline</h2>${timelineChart(state.startDate, timeline.milestones)}
    <table class="data compact"><thead><tr>
      <th scope="col">Milestone</th><th scope="col">Baseline</th><th scope="col">Current</th>
      <th class="num" scope="col">Slip</th>
    </tr></thead>
    <tbody>${timeline.milestones.map(
      (ms) =>
        html`<tr>
          <td>${ms.ref} · ${ms.name}</td><td class="nowrap">${calendarDate(ms.baselineDue)}</td>
          <td class="nowrap">${calendarDate(ms.currentDue)}${
            'pendingDue' in ms && ms.pendingDue
              ? html`<div class="small warn-text">${calendarDate(ms.pendingDue)} if pending orders are signed</div>`
              : ''
          }</td>
          <td class="num${ms.slipWorkingDays > 0 ? ' bad-text' : ''}">${
            ms.slipWorkingDays === 0 ? '—' : `${ms.slipWorkingDays > 0 ? '+' : ''}${ms.slipWorkingDays} wd`
          }</td>
        </tr>`,
    )}</tbody></table>
  </section>
</div>`
    : html``;

  const scope = state.baseline.established
    ? scopeSection(state)
    : baselineSection(viewer, state, editable, args.failure);
  const body = html`${head}${state.baseline.established ? tiles : ''}${charts}${scope}
${requestsSection(viewer, state, editable, args.failure)}${ordersSection(viewer, state, editable, args)}`;
  return shell(viewer, state.name, body, {
    section: 'portfolio',
    crumbs: [{ label: 'Portfolio', href: '/app' }, { label: state.name }],
    notice: args.notice,
  });
}

function scopeSection(state: ProjectState): Html {
  const scope = scopeView(state);
  const m = (n: number) => money(n, state.currency);
  const changed = scope.items.filter((i) => i.state !== 'baseline' || i.pending).length;
  const arrow = (before: string, after: string, same: boolean) =>
    same
      ? html`${after}`
      : html`<span class="was">${before}</span> <span aria-hidden="true">→</span><span
          class="visually-hidden">now</span> ${after}`;
  return html`<section class="panel flush" id="scope">
  <div class="panel-head"><h2>Scope: baseline against current</h2>
  <p class="muted">${plural(scope.items.length, 'item')}, ${
    changed === 0 ? 'no differences from the baseline' : plural(changed, 'difference')
  }. Current scope is the baseline plus signed change orders; pending lines are on issued, unsigned orders.</p></div>
  <div class="table-wrap"><table class="data scope">
  <thead><tr>
  <th scope="col">Ref</th><th scope="col">Item</th><th scope="col">Role</th><th class="num" scope="col">Hours</th>
  <th class="num" scope="col">Cost</th><th scope="col">State</th><th scope="col">Changed by</th>
  </tr></thead>
  <tbody>${scope.items.map((item) => {
    const b = item.baseline;
    const hoursCell =
      item.state === 'pending'
        ? html`—`
        : b
          ? arrow(hours(b.hours), hours(item.hours), b.hours === item.hours)
          : arrow('—', hours(item.hours), false);
    const costCell =
      item.state === 'pending'
        ? html`—`
        : b
          ? arrow(m(b.cost), m(item.cost), b.cost === item.cost)
          : arrow('—', m(item.cost), false);
    return html`<tr class="state-${item.state}">
<td class="mono">${item.ref}</td>
<td>${item.title}${b && b.title !== item.title ? html`<div class="small muted">was: ${b.title}</div>` : ''}</td>
<td>${item.role}</td>
<td class="num">${hoursCell}</td>
<td class="num">${costCell}</td>
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
  })}</tbody>
  <tfoot><tr><th scope="row" colspan="3">Total</th><td class="num">${arrow(
    hours(scope.totals.baselineHours),
    hours(scope.totals.currentHours),
    scope.totals.baselineHours === scope.totals.currentHours,
  )}</td><td class="num">${arrow(
    m(scope.totals.baselineCost),
    m(scope.totals.currentCost),
    scope.totals.baselineCost === scope.totals.currentCost,
  )}</td><td colspan="2">${
    scope.totals.pendingCostDelta !== 0
      ? html`<span class="warn-text">${moneyDelta(scope.totals.pendingCostDelta, state.currency)} pending</span>`
      : ''
  }</td></tr></tfoot>
  </table></div>
</section>`;
}

function roleChoices(state: ProjectState, blank?: string): Choice[] {
  return [
    ...(blank !== undefined ? [{ value: '', label: blank }] : []),
    ...[...state.rates].map(([r, rate]) => ({ value: r, label: `${r} (${money(rate, state.currency)}/h)` })),
  ];
}

function baselineSection(
  viewer: Viewer,
  state: ProjectState,
  editable: boolean,
  failure: FormFailure | undefined,
): Html {
  if (!editable)
    return html`<section class="panel" id="scope"><h2>Scope</h2>
      <p class="muted">The baseline has not been set yet.</p></section>`;
  const form = FormView.of('baseline', failure);
  const itemRows = Math.max(5, form.rowCount('items') + 2);
  const milestoneRows = Math.max(3, form.rowCount('milestones') + 1);
  const items = html`<table class="form-rows" data-rows="items">
  <thead><tr>
  <th class="w-ref">Ref</th><th>Scope item</th><th class="w-role">Role</th><th class="w-num">Hours</th>
  <th class="w-money">Fixed cost</th>
  </tr></thead>
  <tbody>${Array.from(
    { length: itemRows },
    (_, i) => html`<tr>
    ${cellInput(form, `items[${i}].ref`, {
      label: `Item ${i + 1} ref`,
      placeholder: i === 0 ? 'NET-1' : '',
      attrs: 'class="ref"',
    })}
    ${cellInput(form, `items[${i}].title`, {
      label: `Item ${i + 1} title`,
      placeholder: i === 0 ? 'Firewall and VPN configuration' : '',
    })}
    ${cellSelect(form, `items[${i}].role`, roleChoices(state), { label: `Item ${i + 1} role` })}
    ${cellInput(form, `items[${i}].hours`, {
      label: `Item ${i + 1} hours`,
      attrs: 'inputmode="decimal" class="num"',
      placeholder: i === 0 ? '16.25' : '',
    })}
    ${cellInput(form, `items[${i}].fixedCost`, {
      label: `Item ${i + 1} fixed cost`,
      attrs: 'inputmode="decimal" class="num"',
      placeholder: i === 0 ? '899.00' : '',
    })}
  </tr>${rowError(form, `items[${i}]`, 5)}`,
  )}</tbody></table>
  <button type="button" class="quiet add-row" data-add-row="items" hidden>+ Add an item</button>`;
  const milestones = html`<table class="form-rows" data-rows="milestones">
  <thead><tr><th class="w-ref">Ref</th><th>Milestone</th><th class="w-date">Due</th></tr></thead>
  <tbody>${Array.from(
    { length: milestoneRows },
    (_, i) => html`<tr>
    ${cellInput(form, `milestones[${i}].ref`, {
      label: `Milestone ${i + 1} ref`,
      placeholder: i === 0 ? 'M1' : '',
      attrs: 'class="ref"',
    })}
    ${cellInput(form, `milestones[${i}].name`, {
      label: `Milestone ${i + 1} name`,
      placeholder: i === 0 ? 'Network live' : '',
    })}
    ${cellInput(form, `milestones[${i}].due`, { label: `Milestone ${i + 1} due date`, type: 'date' })}
  </tr>`,
  )}</tbody></table>
  <button type="button" class="quiet add-row" data-add-row="milestones" hidden>+ Add a milestone</button>`;
  const problem = form.summary();
  return html`<section class="panel" id="scope">
  <h2>Set the baseline</h2>
  <p class="muted">The signed scope the project starts from: every later change is priced against it.
  Hours are priced at the rate card; a fixed cost (licences, hardware) is added as is. Leave unused rows empty.</p>
  <form method="post" action="/app/projects/${state.projectId}/baseline" class="stack" novalidate>
    ${csrfField(viewer.csrfToken)}
    ${problem}
    <h3>Scope items</h3>${items}
    ${rowError(form, 'items', 1)}
    <h3>Milestones</h3>${milestones}
    <div class="actions"><button type="submit" class="primary">Establish baseline</button></div>
  </form>
</section>`;
}

function requestsSection(
  viewer: Viewer,
  state: ProjectState,
  editable: boolean,
  failure: FormFailure | undefined,
): Html {
  const base = `/app/projects/${state.projectId}`;
  const requests = [...state.changeRequests.keys()].map((id) => changeRequestView(state, id)).reverse();
  const last = requests[0];
  const form = FormView.of('log', failure, {
    source: 'email',
    'requestedBy.name': last?.requestedBy.name ?? '',
    'requestedBy.email': last?.requestedBy.email ?? state.client.email,
  });
  const logForm = editable
    ? (() => {
        const fields = html`
      ${inputField(form, 'title', {
        label: 'What did the client ask for?',
        required: true,
        placeholder: 'Add a shared mailbox for accounts payable',
        wrap: 'span-2',
      })}
      ${selectField(
        form,
        'source',
        CHANGE_SOURCES.map((s) => ({ value: s, label: SOURCE_LABELS[s] })),
        { label: 'Came in by' },
      )}
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
      })}`;
        return html`<div class="panel-form" id="log-request"><h3>Log a client request</h3>
    <form method="post" action="${base}/change-requests" novalidate>
    ${csrfField(viewer.csrfToken)}${form.summary()}
    <div class="form-grid">${fields}
    <div class="actions align-end"><button type="submit" class="primary">Log request</button></div></div></form></div>`;
      })()
    : html``;
  const table =
    requests.length === 0
      ? html`<p class="empty-line">No change requests yet.${
          editable ? ' Log the first one as soon as the client asks: small requests add up.' : ''
        }</p>`
      : html`<div class="table-wrap"><table class="data">
  <thead><tr>
  <th scope="col">#</th><th scope="col">Request</th><th scope="col">Received</th><th scope="col">Status</th>
  <th class="num" scope="col">Price</th><th scope="col">Schedule</th>
  <th scope="col"><span class="visually-hidden">Actions</span></th>
  </tr></thead>
  <tbody>${requests.map((r) => {
    const a = r.assessment;
    return html`<tr>
<td class="mono nowrap">${r.number}</td>
<td><a class="strong" href="${base}/change-requests/${r.id}">${r.title}</a>
<div class="small muted">${SOURCE_LABELS[r.source]} from ${r.requestedBy.name}${
      r.ticketRef ? ` · ${r.ticketRef}` : ''
    }</div></td>
<td class="small nowrap">${dateTime(r.receivedAt)}</td>
<td>${badge(r.status)}${r.changeOrder ? html` <span class="small muted">${r.changeOrder}</span>` : ''}</td>
<td class="num">${
      a
        ? html`${moneyDelta(a.costDelta, state.currency)}${
            a.noCharge ? html`<div>${badge('no_charge', 'no charge')}</div>` : ''
          }`
        : html`<span class="muted">not assessed</span>`
    }</td>
<td class="small">${
      a?.schedule.length
        ? a.schedule.map((s) => `${s.milestone} ${s.workingDays > 0 ? '+' : ''}${s.workingDays} wd`).join(', ')
        : html`<span class="muted">—</span>`
    }</td>
<td class="actions-cell">${
      editable && !requestRefusal(state, state.changeRequests.get(r.id)!, 'assessed')
        ? html`<a class="button small${r.status === 'logged' ? ' primary' : ''}" href="${base}/change-requests/${r.id}"
            >${r.status === 'logged' ? 'Assess' : 'Review'}</a>`
        : html`<a class="button small" href="${base}/change-requests/${r.id}">Open</a>`
    }</td>
</tr>`;
  })}</tbody></table></div>`;
  return html`<section class="panel flush" id="requests"><div class="panel-head"><h2>Change requests</h2>
    <p class="muted">
      Every client ask, logged, priced against the current scope, then put on a change order or declined.
    </p>
  </div>${table}${logForm}</section>`;
}

function ordersSection(viewer: Viewer, state: ProjectState, editable: boolean, args: ProjectPageArgs): Html {
  const base = `/app/projects/${state.projectId}`;
  const orders = [...state.changeOrders.keys()].map((id) => changeOrderView(state, id)).reverse();
  const assessed = [...state.changeRequests.values()].filter((r) => r.status === 'assessed');
  const lastOrder = orders[0];
  const draftForm = FormView.of('draft', args.failure, {
    'signer.name': lastOrder?.signer.name ?? '',
    'signer.email': lastOrder?.signer.email ?? state.client.email,
    expiresInDays: '14',
    changeRequestIds: assessed.length === 1 ? [assessed[0].id] : [],
  });
  const chosen = new Set(draftForm.list('changeRequestIds'));
  const draft = editable
    ? (() => {
        if (assessed.length === 0) {
          return html`<div class="panel-form"><h3>Draft a change order</h3>
            <p class="muted small">
              Assess a request first: an order bundles one or more assessed requests for the client to sign.
            </p></div>`;
        }
        const choices = html`<fieldset class="field${draftForm.hasError('changeRequestIds') ? ' has-error' : ''}">
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
            draftForm.hasError('changeRequestIds')
              ? html`<p class="field-error">${draftForm.errorFor('changeRequestIds')}</p>`
              : ''
          }</fieldset>`;
        const fields = html`<div class="span-2">${choices}</div>
      <div class="span-2 stack">
        <div class="grid two tight">
          ${inputField(draftForm, 'signer.name', { label: 'Client signer', required: true, autocomplete: 'off' })}
          ${inputField(draftForm, 'signer.email', {
            label: 'Signer email',
            type: 'email',
            required: true,
            autocomplete: 'off',
          })}
        </div>
        <div class="grid two tight">
          ${inputField(draftForm, 'expiresInDays', {
            label: 'Days to sign',
            type: 'number',
            attrs: 'min="1" max="365"',
          })}
          <div class="actions align-end"><button type="submit" class="primary">Draft order</button></div>
        </div>
        <details class="more"${draftForm.value('terms') ? html` open` : ''}><summary>Custom terms (optional)</summary>
        ${textareaField(draftForm, 'terms', {
          label: 'Terms printed on the order',
          rows: 4,
          hint: 'Leave empty for the standard terms.',
        })}</details>
      </div>`;
        return html`<div class="panel-form" id="draft-order"><h3>Draft a change order</h3>
    <form method="post" action="${base}/change-orders" novalidate>
    ${csrfField(viewer.csrfToken)}${draftForm.summary()}
    <div class="form-grid">${fields}</div></form></div>`;
      })()
    : html``;

  const rows = orders.map((o) => {
    const order = state.changeOrders.get(o.id)!;
    const issueForm = FormView.of(`issue-${o.id}`, args.failure);
    const voidForm = FormView.of(`void-${o.id}`, args.failure);
    const actions: Html[] = [];
    if (!args.asOf && !signingRefusal(order, args.now)) {
      const url = args.signingUrl(o.id, order.issue!.signingTokenNonce);
      actions.push(
        html`<div class="signing-link">
          <label for="link-${o.id}" class="small muted">Signing link for ${o.signer.name}</label>
          <div class="copy-row"><input id="link-${o.id}" class="mono small" readonly value="${url}"
            ><button type="button" class="small copy" data-copy="link-${o.id}" hidden>Copy</button></div>
        </div>`,
      );
    }
    if (o.status !== 'draft')
      actions.push(
        html`<a class="button small" href="${base}/change-orders/${o.id}/pdf">${
          o.status === 'signed' ? 'Signed PDF' : 'PDF'
        }</a>`,
      );
    if (editable && o.status === 'draft') {
      const problem = issueForm.summary();
      actions.push(
        html`<form method="post" action="${base}/change-orders/${o.id}/issue" class="inline">${csrfField(
          viewer.csrfToken,
        )}<button type="submit" class="primary small">Issue for signature</button>${problem}</form>`,
      );
    }
    if (editable && isLiveOrder(order)) {
      const reason = inputField(voidForm, 'reason', {
        label: 'Why void it?',
        required: true,
        placeholder: 'Revising the price after the site survey',
      });
      actions.push(
        html`<details class="more"${voidForm.failed ? html` open` : ''}><summary>Void…</summary>
          <form method="post" action="${base}/change-orders/${o.id}/void" class="stack">
            ${csrfField(viewer.csrfToken)}${voidForm.summary()}${reason}
            <button type="submit" class="danger small">Void ${o.number}</button>
          </form></details>`,
      );
    }
    const when =
      o.status === 'signed'
        ? html`<span class="nowrap">Signed ${dateTime(o.signedAt)}</span>
            <div class="small muted">by ${o.signedBy?.name}</div>`
        : o.status === 'issued'
          ? html`<span class="nowrap">Issued ${dateTime(o.issuedAt)}</span>
              <div class="small muted">expires ${calendarDate(o.expiresAt)} · ${
                o.firstViewedAt ? `opened ${dateTime(o.firstViewedAt)}` : 'not opened yet'
              }</div>`
          : o.status === 'draft'
            ? html`<span class="nowrap">Drafted ${dateTime(o.draftedAt)}</span>`
            : html`<span class="nowrap">${o.status[0].toUpperCase()}${o.status.slice(1)} ${dateTime(o.closedAt)}</span>
                ${o.closedReason ? html`<div class="small muted">${o.closedReason}</div>` : ''}`;
    return html`<tr id="order-${o.number}">
<td class="mono nowrap">${o.number}</td>
<td>${o.changeRequests.join(', ')}<div class="small muted">${plural(o.lines.length, 'line')}${
      o.schedule.length
        ? `, ${o.schedule.map((s) => `${s.milestone} ${s.workingDays > 0 ? '+' : ''}${s.workingDays} wd`).join(', ')}`
        : ''
    }</div></td>
<td>${o.signer.name}<div class="small muted">${o.signer.email}</div></td>
<td class="num">${money(o.amount, state.currency)}${
      o.absorbed ? html`<div class="small muted">absorbed ${money(o.absorbed, state.currency)}</div>` : ''
    }</td>
<td>${badge(o.status)}</td>
<td class="small">${when}</td>
<td class="actions-cell">${actions}</td>
</tr>`;
  });
  const table =
    orders.length === 0
      ? html`<p class="empty-line">No change orders yet.</p>`
      : html`<div class="table-wrap"><table class="data orders">
  <thead><tr>
  <th scope="col">#</th><th scope="col">Requests</th><th scope="col">Signer</th><th class="num" scope="col">Amount</th>
  <th scope="col">Status</th><th scope="col">When</th><th scope="col"><span class="visually-hidden">Actions</span></th>
  </tr></thead>
  <tbody>${rows}</tbody></table></div>`;
  return html`<section class="panel flush" id="orders"><div class="panel-head"><h2>Change orders</h2>
    <p class="muted">Issued orders go to the client's signer; only a signature admits the work to the board.</p>
  </div>${table}${draft}</section>`;
}
