import { html } from '../../signing/html';
import {
  cellInput,
  DECIMAL_CELL,
  FormFailure,
  formRows,
  FormView,
  inputField,
  postForm,
  rowError,
  textareaField,
  timeZoneChoices,
} from './forms';
import { pageHead, shell, Viewer } from './layout';

export function newProjectPage(viewer: Viewer, args: { failure?: FormFailure; today: string }): string {
  const form = FormView.of('open', args.failure, {
    currency: 'USD',
    startDate: args.today,
    'rates[0].role': 'engineer',
  });
  const rates = Array.from(
    { length: form.rowCount('rates', 4, 2) },
    (_, i) =>
      html`<tr>${cellInput(form, `rates[${i}].role`, {
        label: `Role ${i + 1}`,
        placeholder: i === 0 ? 'engineer' : '',
      })}${cellInput(form, `rates[${i}].rate`, {
        label: `Rate per hour for role ${i + 1}`,
        placeholder: i === 0 ? '150.00' : '',
        attrs: DECIMAL_CELL,
      })}</tr>${rowError(form, `rates.${form.value(`rates[${i}].role`)}`, 2)}`,
  );
  const ratesHead = html`<th>Role</th><th class="w-money">Rate per hour</th>`;
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
    ${inputField(form, 'timeZone', {
      label: 'Time zone (optional)',
      hint: "An IANA name such as Europe/Berlin: the project's today, time entries and expiry days are judged there.",
      attrs: 'list="time-zones" autocomplete="off"',
    })}
    ${timeZoneChoices()}
    ${textareaField(form, 'holidays', {
      label: 'Holidays (optional)',
      rows: 2,
      wrap: 'span-2',
      hint: 'Dates with no work, one per line (YYYY-MM-DD). Schedule shifts skip them.',
    })}
  </div>
  <div><h2 class="h3">Rate card</h2>
  <p class="hint">Every role used in the scope needs an hourly rate in the project currency.</p></div>
  ${formRows('rates', ratesHead, rates, '+ Add a role', 'form-rows rates')}
  <div class="actions">
    <button type="submit" class="primary">Open project</button><a class="button" href="/app">Cancel</a>
  </div>`;
  const body = html`${pageHead({
    title: 'New project',
    lead: 'Open the project first; you set its baseline scope and milestones on the next page.',
  })}
<section class="panel">${postForm(viewer, '/app/projects', form, fields)}</section>`;
  return shell(viewer, 'New project', body, { crumbs: [{ label: 'New project' }] });
}
