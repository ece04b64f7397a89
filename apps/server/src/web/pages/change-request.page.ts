import { amendmentRefusal, DECLINE_CATEGORIES, ProjectState, requestRefusal } from '@scope-ledger/domain';
import { changeRequestView, scopeView } from '@scope-ledger/projections';
import { html, Html } from '../../signing/html';
import { ProductView } from '../../catalogue/catalogue-view';
import { amountInput, badge, hours, hoursDelta, money, moneyDelta, sentenceCase, signed, timeTag } from './format';
import {
  checkboxField,
  Column,
  DECIMAL_CELL,
  FormFailure,
  formRows,
  FormValues,
  FormView,
  inputField,
  postForm,
  rowCells,
  rowError,
  selectField,
  textareaField,
} from './forms';
import { CapacityImpact, capacityIfSigned } from './capacity-impact.section';
import { can, dataTable, headActions, numColumn, pageHead, shell, Viewer } from './layout';

const LINE_BADGES = { add: 'added', modify: 'modified', remove: 'removed' } as const;

/** One request: what the client asked, its assessment, and the forms to assess or decline it. */
export function changeRequestPage(
  viewer: Viewer,
  args: {
    state: ProjectState;
    changeRequestId: string;
    failure?: FormFailure;
    catalogue?: ProductView[];
    /** What signing it would do to capacity: for an assessed request, or one on a live order. */
    capacity?: CapacityImpact;
  },
): string {
  const { state } = args;
  const request = changeRequestView(state, args.changeRequestId);
  const base = `/app/projects/${state.projectId}`;
  const open = !requestRefusal(state, state.changeRequests.get(request.id)!, 'assessed');
  const amendable = !amendmentRefusal(state, state.changeRequests.get(request.id)!);
  const a = request.assessment;

  const facts = html`<dl class="request-facts">
  <div><dt>Requested by</dt><dd>${request.requestedBy.name}
  <div class="small muted">${request.requestedBy.email}</div></dd></div>
  <div><dt>Came in by</dt><dd>${sentenceCase(request.source)}${
    request.ticketRef ? html`<div class="small muted">${request.ticketRef}</div>` : ''
  }</dd></div>
  <div><dt>Received</dt><dd>${timeTag(request.receivedAt, state.timeZone)}</dd></div>
  <div><dt>Status</dt><dd>${badge(request.status)}${
    request.changeOrder ? html` <span class="small">on ${request.changeOrder}</span>` : ''
  }</dd></div>
</dl>`;

  // The milestone a line's work is due by, by ref and name; none named: the project's last milestone.
  const milestones = [...state.milestones.values()];
  const dueByLabel = (ref: string | null) => {
    const named = ref ? state.milestones.get(ref) : milestones.at(-1);
    if (!named) return ref ?? '—';
    return ref ? `${named.ref} · ${named.name}` : `${named.ref} · ${named.name} (the last)`;
  };

  const assessment = a
    ? html`<section class="panel flush"><div class="panel-head"><h2>Assessment</h2>
  <p class="muted">Priced against the scope at the time. ${
    a.noCharge ? 'Marked no charge: the client pays nothing and the cost is tracked as absorbed.' : ''
  }</p></div>
  ${dataTable(
    'data',
    ['Change', 'Ref', 'Item', 'Role', 'Due by', numColumn('Hours after'), numColumn('Hours Δ'), numColumn('Cost Δ')],
    a.lines.map((l, i) => {
      // A modification costs the item as changed less the item as it stood, each rounded on its own: both shown,
      // since the change in hours times the rate can differ from it by a cent.
      const priced = state.changeRequests.get(request.id)?.assessment?.lines[i];
      const costs =
        l.op === 'modify' && priced?.before
          ? html`<div class="small muted">${money(priced.before.cost, state.currency)} → ${money(
              priced.item.cost,
              state.currency,
            )}</div>`
          : '';
      return html`<tr>
        <td>${badge(LINE_BADGES[l.op], l.op)}</td>
        <td class="mono">${l.ref}</td><td>${l.title}</td><td>${l.role}</td>
        <td>${dueByLabel(l.milestone)}</td>
        <td class="num">${l.op === 'remove' ? '—' : hours(l.hours)}</td>
        <td class="num">${hoursDelta(l.hoursDelta)}</td>
        <td class="num">${moneyDelta(l.costDelta, state.currency)}${costs}</td>
      </tr>`;
    }),
    html`<tfoot><tr>
  <th scope="row" colspan="7">Price of this request${
    a.products.some((p) => p.billing === 'one_off') ? ', one-off products included' : ''
  }${a.noCharge ? ' (no charge)' : ''}</th>
  <td class="num strong">${moneyDelta(a.costDelta, state.currency)}</td>
  </tr></tfoot>`,
  )}
  ${
    a.schedule.length
      ? html`<p class="panel-text">Schedule: ${a.schedule.map(
          (s) => html`<span class="badge tone-warn">${s.milestone} ${signed(s.workingDays)} working days</span> `,
        )}</p>`
      : ''
  }
  ${assessedProducts(a, state.currency)}
  ${a.notes ? html`<p class="panel-text"><strong>Notes:</strong> ${a.notes}</p>` : ''}
</section>`
    : '';

  const declined = request.decline
    ? html`<div class="notice bad">
        Declined (${sentenceCase(request.decline.category)}) on ${timeTag(request.decline.declinedAt, state.timeZone)}:
        ${request.decline.reason}
      </div>`
    : '';

  const body = html`${pageHead({
    eyebrow: `${state.name} · ${state.client.name}`,
    title: `${request.number} · ${request.title}`,
    side: headActions([[`${base}#requests`, 'Back to the project']]),
  })}
${declined}
<section class="panel">${facts}${
    request.description
      ? html`<p class="description">${request.description}</p>`
      : html`<p class="muted">No details were given.</p>`
  }</section>
${assessment}
${
  args.capacity
    ? html`<section class="panel" id="capacity-if-signed">${capacityIfSigned(
        request.changeOrder ?? request.number,
        args.capacity,
        'h2',
      )}</section>`
    : ''
}
${open && can(viewer, 'pm') ? assessForm(viewer, state, request.id, args.failure, args.catalogue ?? []) : ''}
${amendable && can(viewer, 'pm') ? amendForm(viewer, state, request, args.failure) : ''}
${open && can(viewer, 'pm') ? declineForm(viewer, state, request.id, args.failure) : ''}`;
  return shell(viewer, `${request.number} · ${state.name}`, body, {
    crumbs: [{ label: state.name, href: base }, { label: request.number }],
  });
}

/** The current assessment as form values, so re-assessing starts from it. */
function assessmentValues(state: ProjectState, changeRequestId: string): FormValues {
  const a = state.changeRequests.get(changeRequestId)!.assessment;
  if (!a) return { 'lines[0].op': 'add' };
  const values: FormValues = { notes: a.notes ?? '', noCharge: a.noCharge ? 'true' : '' };
  a.lines.forEach((l, i) => {
    values[`lines[${i}].op`] = l.op;
    values[`lines[${i}].ref`] = l.ref;
    if (l.op !== 'remove') {
      values[`lines[${i}].title`] = l.item.title;
      values[`lines[${i}].role`] = l.item.role;
      values[`lines[${i}].hours`] = hours(l.item.centiHours / 100);
      if (l.item.fixedCost) values[`lines[${i}].fixedCost`] = amountInput(l.item.fixedCost, state.currency);
      if (l.item.milestone) values[`lines[${i}].milestone`] = l.item.milestone;
    }
  });
  (a.products ?? []).forEach((p, i) => {
    values[`products[${i}].op`] = p.op;
    values[`products[${i}].sku`] = p.sku;
    if (p.op !== 'remove') values[`products[${i}].quantity`] = String(p.quantity);
  });
  a.schedule.forEach((s, i) => {
    values[`schedule[${i}].milestone`] = s.milestone;
    values[`schedule[${i}].workingDays`] = String(s.workingDays);
  });
  return values;
}

/** Products and licences of an assessment, with the margin staff see: one-off in its price, monthly apart. */
function assessedProducts(a: NonNullable<ReturnType<typeof changeRequestView>['assessment']>, currency: string): Html {
  if (a.products.length === 0) return html``;
  return html`<h3 class="panel-text">Products and licences</h3>
  ${dataTable(
    'data products',
    [
      'Change',
      'SKU',
      'Product',
      'Billing',
      numColumn('Quantity'),
      numColumn('Unit price'),
      numColumn('Price Δ'),
      numColumn('Margin Δ'),
    ],
    a.products.map(
      (p) =>
        html`<tr>
        <td>${badge(LINE_BADGES[p.op], p.op)}</td>
        <td class="mono">${p.sku}</td><td>${p.name}</td><td>${p.billing === 'monthly' ? 'Monthly' : 'One-off'}</td>
        <td class="num">${p.quantityBefore === 0 ? String(p.quantity) : `${p.quantityBefore} → ${p.quantity}`}</td>
        <td class="num">${money(p.unitPrice, currency)}</td>
        <td class="num">${moneyDelta(p.priceDelta, currency)}${p.billing === 'monthly' ? ' / month' : ''}</td>
        <td class="num">${moneyDelta(p.marginDelta, currency)}${p.billing === 'monthly' ? ' / month' : ''}</td>
      </tr>`,
    ),
  )}
  <p class="panel-text">Recurring monthly change: <strong>${moneyDelta(a.monthlyDelta, currency)}</strong> a month
  (margin ${moneyDelta(a.margin.monthly, currency)} a month). One-off product margin:
  ${moneyDelta(a.margin.oneOff, currency)}.</p>`;
}

function assessForm(
  viewer: Viewer,
  state: ProjectState,
  changeRequestId: string,
  failure: FormFailure | undefined,
  catalogue: ProductView[],
): Html {
  const form = FormView.of('assess', failure, assessmentValues(state, changeRequestId));
  const scope = scopeView(state).items.filter((i) => i.state !== 'removed' && i.state !== 'pending');
  const ops = [
    { value: 'add', label: 'Add' },
    { value: 'modify', label: 'Modify' },
    { value: 'remove', label: 'Remove' },
  ];
  const roles = [{ value: '', label: '(unchanged)' }, ...[...state.rates.keys()].map((r) => ({ value: r, label: r }))];
  const milestones = [
    { value: '', label: '—' },
    ...[...state.milestones.values()].map((m) => ({ value: m.ref, label: `${m.ref} · ${m.name}` })),
  ];
  // Left empty, an added item names no milestone and a modified one keeps its own.
  const dueBy = [
    { value: '', label: '(unchanged)' },
    ...[...state.milestones.values()].map((m) => ({ value: m.ref, label: m.ref })),
  ];
  const lineColumns: Column[] = [
    { field: 'op', label: 'change', choices: ops },
    { field: 'ref', label: 'scope item ref', list: 'scope-refs', attrs: 'class="ref"', example: 'WIFI-1' },
    { field: 'title', label: 'title' },
    { field: 'role', label: 'role', choices: roles },
    { field: 'hours', label: 'hours', attrs: DECIMAL_CELL, example: '4' },
    { field: 'fixedCost', label: 'fixed cost', attrs: DECIMAL_CELL, example: '0.00' },
    { field: 'milestone', label: 'due by milestone', choices: dueBy },
  ];
  const shiftColumns: Column[] = [
    { field: 'milestone', label: 'milestone', choices: milestones },
    {
      field: 'workingDays',
      label: 'working days',
      type: 'number',
      attrs: 'min="-260" max="260" step="1" class="num"',
      example: '+2',
    },
  ];
  const lines = Array.from(
    { length: form.rowCount('lines', 3, 2) },
    (_, i) => html`<tr>${rowCells(form, 'lines', i, 'Line', lineColumns)}</tr>${rowError(form, `lines[${i}]`, 7)}`,
  );
  const shifts = Array.from(
    { length: form.rowCount('schedule', 2, 1) },
    (_, i) => html`<tr>${rowCells(form, 'schedule', i, 'Shift', shiftColumns)}</tr>`,
  );
  const shiftsHead = html`<th>Milestone</th><th class="w-num">Working days</th>`;
  const productColumns: Column[] = [
    { field: 'op', label: 'change', choices: ops },
    { field: 'sku', label: 'SKU', list: 'catalogue-skus', attrs: 'class="ref"', example: 'LIC-M365-BP' },
    { field: 'quantity', label: 'quantity', type: 'number', attrs: 'min="1" step="1" class="num"', example: '25' },
  ];
  const productRows = Array.from(
    { length: form.rowCount('products', 2, 1) },
    (_, i) =>
      html`<tr>${rowCells(form, 'products', i, 'Product', productColumns)}</tr>${rowError(form, `products[${i}]`, 3)}`,
  );
  const offered = catalogue.filter((p) => p.currency === state.currency);
  const rates = [...state.rates].map(([r, rate]) => `${r} ${money(rate, state.currency)}/h`).join(', ');
  const fields = html`
    <h3>Scope lines</h3>
    <p class="hint">Add a new item, modify an existing one (only what changes) or remove one.
    Prices come from the rate card: ${rates}. Due by: the milestone the work is planned to, by default the last.</p>
    <details class="more"><summary>Current scope for reference</summary>
    <table class="data compact"><thead><tr>
    <th>Ref</th><th>Item</th><th>Role</th><th class="num">Hours</th><th class="num">Cost</th>
    </tr></thead>
  <tbody>${scope.map(
    (i) =>
      html`<tr>
        <td class="mono">${i.ref}</td><td>${i.title}</td><td>${i.role}</td><td class="num">${hours(i.hours)}</td>
        <td class="num">${money(i.cost, state.currency)}</td>
      </tr>`,
  )}</tbody></table></details>
    ${formRows(
      'lines',
      html`<th class="w-op">Change</th><th class="w-ref">Ref</th><th>Title</th><th class="w-role">Role</th>
  <th class="w-num">Hours</th><th class="w-money">Fixed cost</th><th class="w-op">Due by</th>`,
      lines,
      '+ Add a line',
    )}
  <datalist id="scope-refs">${scope.map((i) => html`<option value="${i.ref}">${i.title}</option>`)}</datalist>
    <h3>Products and licences</h3>
    <p class="hint">By catalogue SKU (${state.currency} products only). Add one, set a new quantity, or remove it;
    monthly ones are recurring charges, shown apart from the one-off price.</p>
    ${formRows(
      'products',
      html`<th class="w-op">Change</th><th class="w-ref">SKU</th><th class="w-num">Quantity</th>`,
      productRows,
      '+ Add a product',
      'form-rows narrow-table',
    )}
  <datalist id="catalogue-skus">${offered.map(
    (p) =>
      html`<option value="${p.sku}">${p.name} · ${money(p.unitPrice, p.currency)}${
        p.billing === 'monthly' ? ' a month' : ''
      }</option>`,
  )}</datalist>
    <h3>Schedule impact</h3>
    <p class="hint">A shift moves the milestone and every later one, in working days.</p>
    ${formRows('schedule', shiftsHead, shifts, undefined, 'form-rows narrow-table')}
    ${textareaField(form, 'notes', { label: 'Notes (optional)', rows: 2 })}
    ${checkboxField(form, 'noCharge', {
      label: 'No charge (goodwill)',
      hint: 'The client pays nothing; the cost is still tracked as absorbed.',
    })}
    <div class="actions"><button type="submit" class="primary">Save assessment</button></div>`;
  const action = `/app/projects/${state.projectId}/change-requests/${changeRequestId}/assessment`;
  return html`<section class="panel" id="assess"><h2>Assess the impact</h2>
  ${postForm(viewer, action, form, fields)}
</section>`;
}

function amendForm(
  viewer: Viewer,
  state: ProjectState,
  request: { id: string; title: string; description: string },
  failure?: FormFailure,
): Html {
  const form = FormView.of('amend', failure, { title: request.title, description: request.description });
  const fields = html`${inputField(form, 'title', { label: 'Title', required: true, attrs: 'maxlength="300"' })}
    ${textareaField(form, 'description', { label: 'Description', rows: 3 })}
    <div class="actions"><button type="submit">Save the correction</button></div>`;
  const action = `/app/projects/${state.projectId}/change-requests/${request.id}/amend`;
  return html`<section class="panel narrow-panel" id="amend"><h2>Correct the title or description</h2>
  <p class="muted">Until its order is issued to the client. The audit trail keeps what it said before.</p>
  ${postForm(viewer, action, form, fields)}</section>`;
}

function declineForm(viewer: Viewer, state: ProjectState, changeRequestId: string, failure?: FormFailure): Html {
  const form = FormView.of('decline', failure, { category: 'out_of_scope' });
  const categories = DECLINE_CATEGORIES.map((c) => ({ value: c, label: sentenceCase(c) }));
  const fields = html`${selectField(form, 'category', categories, { label: 'Reason category' })}
    ${textareaField(form, 'reason', {
      label: 'Why is it declined?',
      required: true,
      rows: 3,
      placeholder: 'Covered by the hardware warranty',
    })}
    <div class="actions"><button type="submit" class="danger">Decline request</button></div>`;
  const action = `/app/projects/${state.projectId}/change-requests/${changeRequestId}/decline`;
  return html`<section class="panel narrow-panel" id="decline"><h2>Or decline it</h2>
  <p class="muted">When the request is out of scope, under warranty or a duplicate. It stays on record.</p>
  ${postForm(viewer, action, form, fields)}</section>`;
}
