import { DEFAULT_EXPIRY_DAYS, ProjectState } from '@scope-ledger/domain';
import { html, Html } from '../../signing/html';
import { amountInput } from './format';
import {
  cellInput,
  DECIMAL_CELL,
  FormFailure,
  formRows,
  FormValues,
  FormView,
  inputField,
  postForm,
  rowError,
  textareaField,
  timeZoneChoices,
  valuesOf,
} from './forms';
import { headActions, pageHead, shell, Viewer } from './layout';

/** The form's values as the project has them (now, or at the revision a form was rendered from). */
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

/** One setting on the form: the fields that hold it, and how its value reads in a sentence. */
interface Setting {
  label: string;
  /** The form fields of this setting. */
  holds: (field: string) => boolean;
  /** Its value from form values, normalised so two forms showing the same setting compare equal. */
  read: (values: FormValues) => string[];
  describe: (value: string[]) => string;
}

const first = (values: FormValues, name: string) => (valuesOf(values, name)[0] ?? '').trim();
const RATE_FIELD = /^rates\[(\d+)\]\.(role|rate)$/;

function single(name: string, label: string, none: string): Setting {
  return {
    label,
    holds: (field) => field === name,
    read: (values) => [first(values, name)],
    describe: ([value]) => value || none,
  };
}

function person(name: string, label: string): Setting {
  return {
    label,
    holds: (field) => field === `${name}.name` || field === `${name}.email`,
    read: (values) => [first(values, `${name}.name`), first(values, `${name}.email`)],
    describe: ([personName, email]) =>
      personName || email ? [personName, email && `<${email}>`].filter(Boolean).join(' ') : 'none',
  };
}

const SETTINGS: Setting[] = [
  single('name', 'Project name', '(empty)'),
  single('timeZone', 'Time zone', 'none'),
  person('client', 'Client contact'),
  person('financeContact', 'Client finance contact'),
  person('manager', 'Project manager'),
  single('defaultExpiryDays', 'Days to sign', `none (${DEFAULT_EXPIRY_DAYS} days)`),
  {
    label: 'Holidays',
    holds: (field) => field === 'holidays',
    // Read as the save reads them: dates apart by spaces, commas, semicolons or lines.
    read: (values) => first(values, 'holidays').match(/[^\s,;]+/g) ?? [],
    describe: (dates) => dates.join(', ') || 'none',
  },
  {
    label: 'Rate card',
    holds: (field) => RATE_FIELD.test(field),
    read: (values) => {
      const rows = new Set<number>();
      for (const field of Object.keys(values)) {
        const match = RATE_FIELD.exec(field);
        if (match) rows.add(Number(match[1]));
      }
      return [...rows]
        .sort((a, b) => a - b)
        .map((i) => [first(values, `rates[${i}].role`), first(values, `rates[${i}].rate`)])
        .filter(([role, rate]) => role || rate)
        .map(([role, rate]) => `${role} ${rate}`);
    },
    describe: (rates) => rates.join(', ') || 'none',
  },
];

/** A setting someone else changed after the form was rendered: its value now, and whether the form changed it too. */
export interface TheirChange {
  label: string;
  now: string;
  alsoYours: boolean;
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((value, i) => value === b[i]);

/**
 * A settings form refused because the project moved on (412), made safe to save again: each setting the user left
 * as the form showed it takes the project's current value, each one they changed keeps what they entered; and the
 * settings someone else changed meanwhile, to show beside the form.
 */
export function reconcileSettingsForm(
  submitted: FormValues,
  rendered: ProjectState,
  current: ProjectState,
): { values: FormValues; theirChanges: TheirChange[] } {
  const before = currentValues(rendered);
  const now = currentValues(current);
  const values: FormValues = { ...submitted };
  const theirChanges: TheirChange[] = [];
  for (const setting of SETTINGS) {
    const yours = !same(setting.read(submitted), setting.read(before));
    if (!same(setting.read(before), setting.read(now))) {
      theirChanges.push({ label: setting.label, now: setting.describe(setting.read(now)), alsoYours: yours });
    }
    if (yours) continue;
    for (const field of Object.keys(values)) if (setting.holds(field)) delete values[field];
    for (const [field, value] of Object.entries(now)) if (setting.holds(field)) values[field] = value;
  }
  return { values, theirChanges };
}

function theirChangesPanel(changes: TheirChange[] | undefined): Html {
  if (!changes) return html``;
  if (changes.length === 0) {
    return html`<section class="panel" id="their-changes" aria-labelledby="their-changes-title">
  <h2 class="h3" id="their-changes-title">No setting changed since you opened this page</h2>
  <p class="hint">The project changed elsewhere (a request, an order, the board). Save again to apply your
  changes.</p></section>`;
  }
  return html`<section class="panel" id="their-changes" aria-labelledby="their-changes-title">
  <h2 class="h3" id="their-changes-title">Changed by someone else since you opened this page</h2>
  <ul class="plain">${changes.map(
    (change) =>
      html`<li><strong>${change.label}</strong>: now ${change.now}${
        change.alsoYours ? html` (you changed it too: the form keeps your value)` : html` (now in the form)`
      }</li>`,
  )}</ul>
  <p class="hint">Settings you did not change show their current values; what you changed is kept. Save again to
  apply your changes.</p></section>`;
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
    /** After a 412: the settings someone else changed since the form was rendered. */
    theirChanges?: TheirChange[];
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
      attrs: 'list="time-zones" autocomplete="off"',
    })}
    ${timeZoneChoices()}
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
${theirChangesPanel(args.theirChanges)}
<section class="panel">${postForm(viewer, `${base}/settings`, form, fields)}</section>
${statusActions(viewer, state, `${base}/settings`)}`;
  return shell(viewer, `Settings · ${state.name}`, body, {
    crumbs: [{ label: state.name, href: base }, { label: 'Settings' }],
    notice: args.notice,
    problem: args.problem,
  });
}
