import { DEFAULT_EXPIRY_DAYS, ProjectState } from '@scope-ledger/domain';
import { html, Html } from '../../signing/html';
import { amountInput } from './format';
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
} from './forms';
import { headActions, pageHead, shell, Viewer } from './layout';

/** The form's values as the project has them now. */
function currentValues(state: ProjectState): Record<string, string> {
  const values: Record<string, string> = {
    name: state.name,
    'client.name': state.client.name,
    'client.email': state.client.email,
    'manager.name': state.manager?.name ?? '',
    'manager.email': state.manager?.email ?? '',
    'financeContact.name': state.financeContact?.name ?? '',
    'financeContact.email': state.financeContact?.email ?? '',
    holidays: state.holidays.join('\n'),
    defaultExpiryDays: state.defaultExpiryDays === undefined ? '' : String(state.defaultExpiryDays),
    timeZone: state.timeZone ?? '',
  };
  [...state.rates].forEach(([role, rate], i) => {
    values[`rates[${i}].role`] = role;
    values[`rates[${i}].rate`] = amountInput(rate, state.currency);
  });
  return values;
}

function personFields(form: FormView, name: string, label: string, hint: string): Html {
  return html`${inputField(form, `${name}.name`, { label, hint })}${inputField(form, `${name}.email`, {
    label: `${label}: email`,
    type: 'email',
  })}`;
}

function statusActions(viewer: Viewer, state: ProjectState, base: string): Html {
  const button = (action: string, label: string, hint: string) =>
    html`<div class="status-action">${postForm(
      viewer,
      `${base}/${action}`,
      undefined,
      html`<button type="submit">${label}</button>`,
      'class="inline"',
    )}<p class="hint">${hint}</p></div>`;
  const open = state.status === 'open';
  return html`<section class="panel" id="status"><h2 class="h3">Status: ${state.status}</h2>
  ${
    open
      ? button(
          'close',
          'Close the project',
          'No new change requests or orders; orders already issued can still be signed.',
        )
      : button('reopen', 'Reopen the project', 'It takes change requests and orders again and shows in the portfolio.')
  }
  ${
    state.status === 'closed'
      ? button('archive', 'Archive the project', 'Hidden from the portfolio; reopening brings it back.')
      : ''
  }</section>`;
}

export function projectSettingsPage(
  viewer: Viewer,
  args: {
    state: ProjectState;
    /** The project revision the form saves over; a save after someone else's is refused (412). */
    version?: string | number;
    failure?: FormFailure;
    notice?: string;
    problem?: string;
  },
): string {
  const { state } = args;
  const base = `/app/projects/${state.projectId}`;
  const form = FormView.of('settings', args.failure, currentValues(state));
  const rates = Array.from(
    { length: form.rowCount('rates', state.rates.size, 1) },
    (_, i) =>
      html`<tr>${cellInput(form, `rates[${i}].role`, { label: `Role ${i + 1}` })}${cellInput(form, `rates[${i}].rate`, {
        label: `Rate per hour for role ${i + 1}`,
        attrs: DECIMAL_CELL,
      })}</tr>${rowError(form, `rates.${form.value(`rates[${i}].role`)}`, 2)}`,
  );
  const ratesHead = html`<th>Role</th><th class="w-money">Rate per hour</th>`;
  const version = args.version === undefined ? '' : html`<input type="hidden" name="version" value="${args.version}">`;
  const fields = html`${version}
  <div class="grid two">
    ${inputField(form, 'name', { label: 'Project name', required: true })}
    ${inputField(form, 'timeZone', {
      label: 'Time zone',
      hint: 'An IANA name such as Europe/Berlin; leave empty for none. Stored for dates judged in the project zone.',
    })}
    ${personFields(form, 'client', 'Client contact', 'The main contact, the default signer of change orders.')}
    ${personFields(form, 'financeContact', 'Client finance contact', 'Copied on signed orders; leave empty for none.')}
    ${personFields(form, 'manager', 'Project manager', 'Told when orders are signed or declined; empty for none.')}
    ${inputField(form, 'defaultExpiryDays', {
      label: 'Days to sign',
      type: 'number',
      hint: `For drafts that name none; empty means ${DEFAULT_EXPIRY_DAYS}.`,
      attrs: 'min="1" max="365"',
    })}
    ${textareaField(form, 'holidays', {
      label: 'Holidays',
      rows: 3,
      wrap: 'span-2',
      hint:
        'One date per line (YYYY-MM-DD). Dates computed from now on skip them; signed orders keep the dates they ' +
        'printed, and a milestone moved by signed orders is counted on the new calendar.',
    })}
  </div>
  <div><h2 class="h3">Rate card (${state.currency})</h2>
  <p class="hint">New rates price assessments from now on; what is already assessed, ordered or signed keeps its
  price.</p></div>
  ${formRows('rates', ratesHead, rates, '+ Add a role', 'form-rows rates')}
  <div class="actions">
    <button type="submit" class="primary">Save settings</button><a class="button" href="${base}">Back to the project</a>
  </div>`;
  const body = html`${pageHead({
    eyebrow: state.client.name,
    title: 'Project settings',
    lead: state.name,
    side: headActions([[base, 'Project']]),
  })}
<section class="panel">${postForm(viewer, `${base}/settings`, form, fields)}</section>
${statusActions(viewer, state, `${base}/settings`)}`;
  return shell(viewer, `Settings · ${state.name}`, body, {
    crumbs: [{ label: state.name, href: base }, { label: 'Settings' }],
    notice: args.notice,
    problem: args.problem,
  });
}
