import { DECLINE_CATEGORIES, ProjectState, requestRefusal } from '@scope-ledger/domain';
import { changeRequestView, scopeView } from '@scope-ledger/projections';
import { html, Html } from '../../signing/html';
import { badge, dateTime, DECLINE_LABELS, hours, hoursDelta, money, moneyDelta, SOURCE_LABELS } from './format';
import {
  cellInput,
  cellSelect,
  checkboxField,
  csrfField,
  FormFailure,
  FormValues,
  FormView,
  rowError,
  selectField,
  textareaField,
} from './forms';
import { can, shell, Viewer } from './layout';

/** One request: what the client asked, its assessment, and the forms to assess or decline it. */
export function changeRequestPage(
  viewer: Viewer,
  args: { state: ProjectState; changeRequestId: string; failure?: FormFailure },
): string {
  const { state } = args;
  const request = changeRequestView(state, args.changeRequestId);
  const base = `/app/projects/${state.projectId}`;
  const open = !requestRefusal(state, state.changeRequests.get(request.id)!, 'assessed');
  const editable = open && can(viewer, 'pm');
  const a = request.assessment;

  const facts = html`<dl class="request-facts">
  <div><dt>Requested by</dt><dd>${request.requestedBy.name}
  <div class="small muted">${request.requestedBy.email}</div></dd></div>
  <div><dt>Came in by</dt><dd>${SOURCE_LABELS[request.source]}${
    request.ticketRef ? html`<div class="small muted">${request.ticketRef}</div>` : ''
  }</dd></div>
  <div><dt>Received</dt><dd>${dateTime(request.receivedAt)}</dd></div>
  <div><dt>Status</dt><dd>${badge(request.status)}${
    request.changeOrder ? html` <span class="small">on ${request.changeOrder}</span>` : ''
  }</dd></div>
</dl>`;

  const assessment = a
    ? html`<section class="panel flush"><div class="panel-head"><h2>Assessment</h2>
  <p class="muted">Priced against the scope at the time. ${
    a.noCharge ? 'Marked no charge: the client pays nothing and the cost is tracked as absorbed.' : ''
  }</p></div>
  <div class="table-wrap"><table class="data">
  <thead><tr>
  <th scope="col">Change</th><th scope="col">Ref</th><th scope="col">Item</th><th scope="col">Role</th>
  <th class="num" scope="col">Hours after</th><th class="num" scope="col">Hours Δ</th>
  <th class="num" scope="col">Cost Δ</th>
  </tr></thead>
  <tbody>${a.lines.map(
    (l) =>
      html`<tr>
        <td>${badge(l.op === 'add' ? 'added' : l.op === 'remove' ? 'removed' : 'modified', l.op)}</td>
        <td class="mono">${l.ref}</td><td>${l.title}</td><td>${l.role}</td>
        <td class="num">${l.op === 'remove' ? '—' : hours(l.hours)}</td>
        <td class="num">${hoursDelta(l.hoursDelta)}</td>
        <td class="num">${moneyDelta(l.costDelta, state.currency)}</td>
      </tr>`,
  )}</tbody>
  <tfoot><tr>
  <th scope="row" colspan="6">Price of this request${a.noCharge ? ' (no charge)' : ''}</th>
  <td class="num strong">${moneyDelta(a.costDelta, state.currency)}</td>
  </tr></tfoot>
  </table></div>
  ${
    a.schedule.length
      ? html`<p class="panel-text">Schedule: ${a.schedule.map(
          (s) =>
            html`<span class="badge tone-warn">${s.milestone} ${
              s.workingDays > 0 ? '+' : ''
            }${s.workingDays} working days</span> `,
        )}</p>`
      : ''
  }
  ${a.notes ? html`<p class="panel-text"><strong>Notes:</strong> ${a.notes}</p>` : ''}
</section>`
    : html``;

  const declined = request.decline
    ? html`<div class="notice bad">
        Declined (${DECLINE_LABELS[request.decline.category]}) on ${dateTime(request.decline.declinedAt)}:
        ${request.decline.reason}
      </div>`
    : html``;

  const body = html`<div class="page-head"><div><p class="eyebrow">${state.name} · ${state.client.name}</p>
  <h1>${request.number} · ${request.title}</h1></div>
  <div class="head-actions"><a class="button" href="${base}#requests">Back to the project</a></div></div>
${declined}
<section class="panel">${facts}${
    request.description
      ? html`<p class="description">${request.description}</p>`
      : html`<p class="muted">No details were given.</p>`
  }</section>
${assessment}
${
  editable
    ? html`${assessForm(viewer, state, request.id, args.failure)}
${declineForm(viewer, state, request.id, args.failure)}`
    : ''
}`;
  return shell(viewer, `${request.number} · ${state.name}`, body, {
    section: 'portfolio',
    crumbs: [{ label: 'Portfolio', href: '/app' }, { label: state.name, href: base }, { label: request.number }],
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
      if (l.item.fixedCost)
        values[`lines[${i}].fixedCost`] = money(l.item.fixedCost, state.currency).replace(/^\S+ /, '');
    }
  });
  a.schedule.forEach((s, i) => {
    values[`schedule[${i}].milestone`] = s.milestone;
    values[`schedule[${i}].workingDays`] = String(s.workingDays);
  });
  return values;
}

function assessForm(
  viewer: Viewer,
  state: ProjectState,
  changeRequestId: string,
  failure: FormFailure | undefined,
): Html {
  const form = FormView.of('assess', failure, assessmentValues(state, changeRequestId));
  const scope = scopeView(state).items.filter((i) => i.state !== 'removed' && i.state !== 'pending');
  const lineRows = Math.max(3, form.rowCount('lines') + 2);
  const shiftRows = Math.max(2, form.rowCount('schedule') + 1);
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
  const lines = html`<table class="form-rows" data-rows="lines">
  <thead><tr>
  <th class="w-op">Change</th><th class="w-ref">Ref</th><th>Title</th><th class="w-role">Role</th>
  <th class="w-num">Hours</th><th class="w-money">Fixed cost</th>
  </tr></thead>
  <tbody>${Array.from(
    { length: lineRows },
    (_, i) => html`<tr>
    ${cellSelect(form, `lines[${i}].op`, ops, { label: `Line ${i + 1} change` })}
    ${cellInput(form, `lines[${i}].ref`, {
      label: `Line ${i + 1} scope item ref`,
      list: 'scope-refs',
      attrs: 'class="ref"',
      placeholder: i === 0 ? 'WIFI-1' : '',
    })}
    ${cellInput(form, `lines[${i}].title`, { label: `Line ${i + 1} title` })}
    ${cellSelect(form, `lines[${i}].role`, roles, { label: `Line ${i + 1} role` })}
    ${cellInput(form, `lines[${i}].hours`, {
      label: `Line ${i + 1} hours`,
      attrs: 'inputmode="decimal" class="num"',
      placeholder: i === 0 ? '4' : '',
    })}
    ${cellInput(form, `lines[${i}].fixedCost`, {
      label: `Line ${i + 1} fixed cost`,
      attrs: 'inputmode="decimal" class="num"',
      placeholder: i === 0 ? '0.00' : '',
    })}
  </tr>${rowError(form, `lines[${i}]`, 6)}`,
  )}</tbody></table>
  <datalist id="scope-refs">${scope.map((i) => html`<option value="${i.ref}">${i.title}</option>`)}</datalist>
  <button type="button" class="quiet add-row" data-add-row="lines" hidden>+ Add a line</button>`;
  const shifts = html`<table class="form-rows narrow-table" data-rows="schedule">
  <thead><tr><th>Milestone</th><th class="w-num">Working days</th></tr></thead>
  <tbody>${Array.from(
    { length: shiftRows },
    (_, i) => html`<tr>
    ${cellSelect(form, `schedule[${i}].milestone`, milestones, { label: `Shift ${i + 1} milestone` })}
    ${cellInput(form, `schedule[${i}].workingDays`, {
      label: `Shift ${i + 1} working days`,
      type: 'number',
      attrs: 'min="-260" max="260" step="1" class="num"',
      placeholder: i === 0 ? '+2' : '',
    })}
  </tr>`,
  )}</tbody></table>`;
  const fields = html`
    <h3>Scope lines</h3>
    <p class="hint">Add a new item, modify an existing one (only what changes) or remove one.
    Prices come from the rate card: ${[...state.rates]
      .map(([r, rate]) => `${r} ${money(rate, state.currency)}/h`)
      .join(', ')}.</p>
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
    ${lines}
    <h3>Schedule impact</h3>
    <p class="hint">A shift moves the milestone and every later one, in working days.</p>
    ${shifts}
    ${textareaField(form, 'notes', { label: 'Notes (optional)', rows: 2 })}
    ${checkboxField(form, 'noCharge', {
      label: 'No charge (goodwill)',
      hint: 'The client pays nothing; the cost is still tracked as absorbed.',
    })}`;
  const problem = form.summary();
  return html`<section class="panel" id="assess"><h2>Assess the impact</h2>
  <form method="post" action="/app/projects/${state.projectId}/change-requests/${changeRequestId}/assessment"
    class="stack" novalidate>
    ${csrfField(viewer.csrfToken)}${problem}${fields}
    <div class="actions"><button type="submit" class="primary">Save assessment</button></div>
  </form>

</section>`;
}

function declineForm(
  viewer: Viewer,
  state: ProjectState,
  changeRequestId: string,
  failure: FormFailure | undefined,
): Html {
  const form = FormView.of('decline', failure, { category: 'out_of_scope' });
  const fields = html`${selectField(
    form,
    'category',
    DECLINE_CATEGORIES.map((c) => ({ value: c, label: DECLINE_LABELS[c] })),
    { label: 'Reason category' },
  )}
    ${textareaField(form, 'reason', {
      label: 'Why is it declined?',
      required: true,
      rows: 3,
      placeholder: 'Covered by the hardware warranty',
    })}`;
  const problem = form.summary();
  return html`<section class="panel narrow-panel" id="decline"><h2>Or decline it</h2>
  <p class="muted">When the request is out of scope, under warranty or a duplicate. It stays on record.</p>
  <form method="post" action="/app/projects/${state.projectId}/change-requests/${changeRequestId}/decline"
    class="stack" novalidate>
    ${csrfField(viewer.csrfToken)}${problem}${fields}
    <div class="actions"><button type="submit" class="danger">Decline request</button></div>
  </form></section>`;
}
