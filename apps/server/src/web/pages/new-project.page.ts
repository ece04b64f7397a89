import { html } from '../../signing/html';
import { cellInput, csrfField, FormFailure, FormView, inputField, rowError, textareaField } from './forms';
import { shell, Viewer } from './layout';

export function newProjectPage(viewer: Viewer, args: { failure?: FormFailure; today: string }): string {
  const form = FormView.of('open', args.failure, {
    currency: 'USD',
    startDate: args.today,
    'rates[0].role': 'engineer',
  });
  const rateRows = Math.max(4, form.rowCount('rates') + 2);
  const fields = html`
  <div class="grid two">
    ${inputField(form, 'name', { label: 'Project name', required: true, placeholder: 'Contoso M365 migration' })}
    ${inputField(form, 'client.name', { label: 'Client', required: true, placeholder: 'Contoso Ltd' })}
    ${inputField(form, 'client.email', {
      label: 'Client contact email',
      type: 'email',
      required: true,
      placeholder: 'it-lead@contoso.example',
    })}
    <div class="grid two tight">
      ${inputField(form, 'currency', {
        label: 'Currency',
        required: true,
        hint: 'USD, EUR, GBP…',
        attrs: 'maxlength="3" autocapitalize="characters"',
      })}
      ${inputField(form, 'startDate', { label: 'Start date', type: 'date', required: true })}
    </div>
    ${textareaField(form, 'holidays', {
      label: 'Holidays (optional)',
      rows: 2,
      wrap: 'span-2',
      hint: 'Dates with no work, one per line (YYYY-MM-DD). Schedule shifts skip them.',
    })}
  </div>
  <div><h2 class="h3">Rate card</h2>
  <p class="hint">Every role used in the scope needs an hourly rate in the project currency.</p></div>
  <table class="form-rows rates" data-rows="rates">
    <thead><tr><th>Role</th><th class="w-money">Rate per hour</th></tr></thead>
    <tbody>${Array.from(
      { length: rateRows },
      (_, i) =>
        html`<tr>${cellInput(form, `rates[${i}].role`, {
          label: `Role ${i + 1}`,
          placeholder: i === 0 ? 'engineer' : '',
        })}${cellInput(form, `rates[${i}].rate`, {
          label: `Rate per hour for role ${i + 1}`,
          placeholder: i === 0 ? '150.00' : '',
          attrs: 'inputmode="decimal" class="num"',
        })}</tr>${rowError(form, `rates.${form.value(`rates[${i}].role`)}`, 2)}`,
    )}</tbody>
  </table>
  <button type="button" class="quiet add-row" data-add-row="rates" hidden>+ Add a role</button>`;
  const problem = form.summary();
  const body = html`<div class="page-head"><div><h1>New project</h1>
<p class="muted">Open the project first; you set its baseline scope and milestones on the next page.</p></div></div>
<section class="panel">
  <form method="post" action="/app/projects" class="stack" novalidate>
    ${csrfField(viewer.csrfToken)}
    ${problem}
    ${fields}
    <div class="actions">
      <button type="submit" class="primary">Open project</button><a class="button" href="/app">Cancel</a>
    </div>
  </form>
</section>`;
  return shell(viewer, 'New project', body, {
    section: 'portfolio',
    crumbs: [{ label: 'Portfolio', href: '/app' }, { label: 'New project' }],
  });
}
