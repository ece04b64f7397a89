import { calendarDateIn, ProjectState } from '@scope-ledger/domain';
import { clientDependenciesView } from '@scope-ledger/projections';
import { html, Html } from '../../signing/html';
import { badge, calendarDate, plural } from './format';
import { FormFailure, FormView, inputField, postForm, selectField } from './forms';
import { ACTIONS_COLUMN, dataTable, Viewer } from './layout';

/**
 * What the project waits for from its client, with how long it has waited; the PM logs one, marks it arrived,
 * and turns the working days a late one cost into a change request for the client to sign.
 */
export function clientDependenciesSection(
  viewer: Viewer,
  state: ProjectState,
  args: { editable: boolean; moment: string; failure?: FormFailure },
): Html {
  const base = `/app/projects/${state.projectId}/client-dependencies`;
  const view = clientDependenciesView(state, args.moment);
  const rows = [...view.dependencies].reverse().map((d) => {
    const standing =
      d.status === 'resolved'
        ? html`${badge('resolved', 'arrived')} <span class="small">${calendarDate(d.resolvedOn)}</span>${
            d.workingDaysLate > 0
              ? html`<div class="small bad-text">${plural(d.workingDaysLate, 'working day')} late</div>`
              : html`<div class="small muted">on time</div>`
          }`
        : html`${badge(d.status === 'overdue' ? 'overdue' : 'waiting')}<div class="small ${
            d.status === 'overdue' ? 'bad-text' : 'muted'
          }">${
            d.status === 'overdue'
              ? `${plural(d.overdueWorkingDays, 'working day')} overdue`
              : `waiting ${plural(d.waitingWorkingDays, 'working day')}`
          }</div>`;
    return html`<tr id="dependency-${d.ref}">
<td class="mono nowrap">${d.ref}</td>
<td class="strong">${d.what}</td>
<td class="small">${d.milestone ? html`<span class="mono">${d.milestone}</span> ${d.milestoneName ?? ''}` : '—'}</td>
<td class="small nowrap">${calendarDate(d.since)}</td>
<td class="small nowrap">${calendarDate(d.due)}</td>
<td>${standing}</td>
<td class="actions-cell">${actions(viewer, state, base, d, args)}</td>
</tr>`;
  });
  const table =
    rows.length === 0
      ? html`<p class="empty-line">Nothing outstanding from the client.${
          args.editable ? ' Log approvals, information or access the work waits for, with the date it is due.' : ''
        }</p>`
      : dataTable('data', ['#', 'Waiting for', 'Holds up', 'Since', 'Due', 'Standing', ACTIONS_COLUMN], rows);
  const overdue = view.overdue ? `, ${view.overdue} overdue` : '';
  const summary =
    view.open === 0 ? 'Nothing open.' : `${plural(view.open, 'open dependency', 'open dependencies')}${overdue}.`;
  return html`<section class="panel flush" id="client-dependencies"><div class="panel-head">
<h2>Waiting on the client</h2>
<p class="muted">${summary} A late one's lost working days can become a change request for the client to sign.</p>
</div>${table}${args.editable ? logForm(viewer, state, base, args.failure) : ''}</section>`;
}

type DependencyRow = ReturnType<typeof clientDependenciesView>['dependencies'][number];

function actions(
  viewer: Viewer,
  state: ProjectState,
  base: string,
  d: DependencyRow,
  args: { editable: boolean; moment: string; failure?: FormFailure },
): Html {
  const project = `/app/projects/${state.projectId}`;
  if (d.changeRequest)
    return html`<a class="button small" href="${project}/change-requests/${d.changeRequest.id}"
      >${d.changeRequest.number}</a>`;
  if (!args.editable) return html``;
  if (d.status !== 'resolved') {
    // The project's today: in a zone behind UTC the UTC date would be tomorrow there.
    const today = calendarDateIn(args.moment, state.timeZone);
    const form = FormView.of(`resolve-${d.ref}`, args.failure, { resolvedOn: today });
    const fields = html`${inputField(form, 'resolvedOn', { label: `Arrived on (${d.ref})`, type: 'date' })}
<button type="submit" class="small">Mark arrived</button>`;
    return postForm(viewer, `${base}/${d.id}/resolve`, form, fields, 'class="inline-form" novalidate');
  }
  if (!d.claimable) return html``;
  const milestones = [...state.milestones.values()].map((m) => ({ value: m.ref, label: `${m.ref} ${m.name}` }));
  const form = FormView.of(`claim-${d.ref}`, args.failure, { milestone: d.milestone ?? '' });
  const fields = html`${
    d.milestone ? '' : selectField(form, 'milestone', milestones, { label: `Milestone that moves (${d.ref})` })
  }<button type="submit" class="small primary">Claim ${plural(d.workingDaysLate, 'working day')}</button>`;
  return postForm(viewer, `${base}/${d.id}/change-request`, form, fields, 'class="inline-form" novalidate');
}

function logForm(viewer: Viewer, state: ProjectState, base: string, failure?: FormFailure): Html {
  const form = FormView.of('dependency', failure, { since: '' });
  const milestones = [
    { value: '', label: 'None' },
    ...[...state.milestones.values()].map((m) => ({ value: m.ref, label: `${m.ref} ${m.name}` })),
  ];
  const fields = html`<div class="grid two">
  ${inputField(form, 'what', {
    label: 'What do you wait for?',
    required: true,
    placeholder: 'Admin access to the firewall',
  })}
  ${selectField(form, 'milestone', milestones, { label: 'Holds up' })}
  ${inputField(form, 'due', { label: 'Due', type: 'date', required: true })}
  ${inputField(form, 'since', { label: 'Waiting since', type: 'date', hint: 'Leave empty for today.' })}
  </div>
  <div class="actions"><button type="submit">Log dependency</button></div>`;
  return html`<div class="panel-form"><h3>Log a client dependency</h3>${postForm(viewer, base, form, fields)}</div>`;
}
