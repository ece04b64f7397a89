import { REACTIVE_KINDS } from '@scope-ledger/domain';
import { html, Html } from '../../signing/html';
import type { PersonView, reactiveWorkView } from '../../team/team-view';
import { badge, calendarDate, hours, sentenceCase, timeTag } from './format';
import { FormFailure, FormView, inputField, postForm, selectField } from './forms';
import { ACTIONS_COLUMN, can, dataTable, headActions, numColumn, pageHead, shell, tile, Viewer } from './layout';

const kinds = REACTIVE_KINDS.map((value) => ({ value, label: sentenceCase(value) }));

/** Name, role, capacity and email: the same fields to add a person and to change one. */
function personFields(form: FormView): Html {
  return html`<div class="grid two">
    ${inputField(form, 'name', { label: 'Name', required: true, autocomplete: 'off' })}
    ${inputField(form, 'role', {
      label: 'Role',
      required: true,
      hint: 'As the rate cards and board cards name it, such as Network engineer.',
    })}
    ${inputField(form, 'weeklyCapacityHours', {
      label: 'Weekly capacity (hours)',
      required: true,
      attrs: 'inputmode="decimal"',
      hint: 'Hours of project work a normal week holds, such as 40 or 32,5.',
    })}
    ${inputField(form, 'email', { label: 'Email', type: 'email', hint: 'Optional; unique on the team.' })}
  </div>`;
}

export interface TeamPageArgs {
  people: { person: PersonView; reactiveHours: number }[];
  reactiveTotalHours: number;
  showLeft: boolean;
  failure?: FormFailure;
  notice?: string;
}

/** The team: each person's role, capacity and reactive work, the portfolio's total, and the form to add someone. */
export function teamPage(viewer: Viewer, args: TeamPageArgs): string {
  const writer = can(viewer, 'pm');
  const rows = args.people.map(
    ({ person: p, reactiveHours }) => html`<tr>
      <td><a href="/app/team/${p.personId}">${p.name}</a> <span class="small muted mono">${p.personId}</span></td>
      <td>${p.role}</td>
      <td class="num">${hours(p.weeklyCapacityHours)} h</td>
      <td>${p.email ?? html`<span class="muted">—</span>`}</td>
      <td class="num">${p.timeOff.filter((t) => !t.cancelled).length}</td>
      <td class="num">${hours(reactiveHours)} h</td>
      <td>${p.left ? badge('voided', 'left') : badge('approved', 'on the team')}</td>
    </tr>`,
  );
  const foot = html`<tfoot><tr><th scope="row" colspan="5">Reactive work across the portfolio</th>
    <td class="num strong">${hours(args.reactiveTotalHours)} h</td><td></td></tr></tfoot>`;
  const table = dataTable(
    'data team',
    [
      'Person',
      'Role',
      numColumn('Weekly capacity'),
      'Email',
      numColumn('Time off bookings'),
      numColumn('Reactive work'),
      'Status',
    ],
    rows,
    foot,
  );
  const form = FormView.of('add-person', args.failure);
  const add = writer
    ? html`<section class="panel" id="add-person"><h2>Add a person</h2>
  ${postForm(
    viewer,
    '/app/team',
    form,
    html`${personFields(form)}
  <div class="actions"><button type="submit" class="primary">Add to the team</button></div>`,
  )}
</section>`
    : '';
  const toggle = args.showLeft
    ? html`<a href="/app/team">Hide people who left</a>`
    : html`<a href="/app/team?left=true">Show people who left</a>`;
  const body = html`${pageHead({
    eyebrow: 'Delivery',
    title: 'Team',
    lead:
      'The people who carry the board cards: their weekly capacity, less time off and reactive ticket or ' +
      'outage work, is what the capacity view plans against.',
    side: headActions([['/app/capacity', 'Capacity']]),
  })}
<div class="tiles">
  ${tile('People on the team', args.people.filter((p) => !p.person.left).length)}
  ${tile('Reactive work logged', `${hours(args.reactiveTotalHours)} h`, 'across the portfolio')}
</div>
<section class="panel flush">${
    args.people.length > 0 ? table : html`<p class="panel-text muted">No one on the team yet.</p>`
  }<p class="panel-text">${toggle}</p></section>
${add}`;
  return shell(viewer, 'Team', body, { section: 'team', notice: args.notice });
}

export interface PersonPageArgs {
  person: PersonView;
  reactive: ReturnType<typeof reactiveWorkView>;
  /** This week's Monday: what the reactive-work form offers. */
  thisWeek: string;
  failure?: FormFailure;
  notice?: string;
}

/** One person: change or record them leaving, book and cancel time off, log reactive work. */
export function personPage(viewer: Viewer, args: PersonPageArgs): string {
  const { person: p, reactive } = args;
  const writer = can(viewer, 'pm') && !p.left;
  const self = `/app/team/${p.personId}`;

  const edit = writer
    ? (() => {
        const form = FormView.of('person', args.failure, {
          name: p.name,
          role: p.role,
          weeklyCapacityHours: String(p.weeklyCapacityHours),
          email: p.email ?? '',
        });
        return html`<section class="panel" id="change-person"><h2>Change ${p.name}</h2>
  <p class="hint">Plans from now on use the new role and capacity.</p>
  ${postForm(
    viewer,
    self,
    form,
    html`${personFields(form)}<div class="actions"><button type="submit" class="primary">Save</button></div>`,
  )}
</section>`;
      })()
    : '';

  const timeOffRows = p.timeOff.map((t) => {
    const cancel =
      writer && !t.cancelled
        ? postForm(
            viewer,
            `${self}/time-off/${t.timeOffId}/cancel`,
            FormView.of(`cancel-${t.timeOffId}`, args.failure),
            html`<button type="submit" class="small">Cancel ${t.timeOffId}</button>`,
            'class="inline"',
          )
        : '';
    return html`<tr>
      <td class="mono">${t.timeOffId}</td>
      <td>${calendarDate(t.from)}</td><td>${calendarDate(t.to)}</td>
      <td>${t.note ?? html`<span class="muted">—</span>`}</td>
      <td>${t.cancelled ? badge('voided', 'cancelled') : badge('approved', 'booked')}</td>
      <td class="actions-cell">${cancel}</td>
    </tr>`;
  });
  const bookForm = FormView.of('time-off', args.failure);
  const book = writer
    ? html`<div class="panel-form"><h3>Book time off</h3>${postForm(
        viewer,
        `${self}/time-off`,
        bookForm,
        html`<div class="grid two">
      ${inputField(bookForm, 'from', { label: 'First day away', type: 'date', required: true })}
      ${inputField(bookForm, 'to', { label: 'Last day away', type: 'date', hint: 'Empty: one day.' })}
      ${inputField(bookForm, 'note', { label: 'Note', wrap: 'span-2', placeholder: 'Annual leave' })}
    </div><div class="actions"><button type="submit">Book time off</button></div>`,
      )}</div>`
    : '';

  const reactiveRows = reactive.entries.map(
    (e) => html`<tr>
      <td>${calendarDate(e.weekOf)}</td>
      <td>${sentenceCase(e.kind)}</td>
      <td class="num">${hours(e.hours)} h</td>
      <td>${e.note ?? html`<span class="muted">—</span>`}</td>
      <td class="small muted">${timeTag(e.loggedAt)}</td>
    </tr>`,
  );
  const reactiveFoot = html`<tfoot><tr><th scope="row" colspan="2">Total</th>
    <td class="num strong">${hours(reactive.totalHours)} h</td><td colspan="2"></td></tr></tfoot>`;
  const logForm = FormView.of('reactive', args.failure, { weekOf: args.thisWeek, kind: 'ticket' });
  const log = writer
    ? html`<div class="panel-form"><h3>Log reactive work</h3>${postForm(
        viewer,
        `${self}/reactive-work`,
        logForm,
        html`<div class="grid two">
      ${inputField(logForm, 'weekOf', {
        label: 'Week of (its Monday)',
        type: 'date',
        required: true,
        hint: 'Those hours come off that week’s capacity.',
      })}
      ${inputField(logForm, 'hours', { label: 'Hours', required: true, attrs: 'inputmode="decimal"' })}
      ${selectField(logForm, 'kind', kinds, { label: 'Kind' })}
      ${inputField(logForm, 'note', { label: 'Note', placeholder: 'Core switch outage at the Leeds office' })}
    </div><div class="actions"><button type="submit">Log reactive work</button></div>`,
      )}</div>`
    : '';

  const leaveForm = FormView.of('leave', args.failure);
  const leave = writer
    ? html`<section class="panel" id="leave"><h2>Leaving the team</h2>
  <p class="hint">They take no new work or time off; the cards assigned to them count as unassigned demand for
  their role until someone else takes them.</p>
  ${postForm(
    viewer,
    `${self}/leave`,
    leaveForm,
    html`<button type="submit" class="danger">Record that ${p.name} left</button>`,
    'class="inline"',
  )}
</section>`
    : '';

  const body = html`${pageHead({
    eyebrow: `Team · ${p.personId}`,
    title: p.name,
    lead: `${p.role} · ${hours(p.weeklyCapacityHours)} hours a week${p.email ? ` · ${p.email}` : ''}`,
    side: headActions([
      ['/app/team', 'Team'],
      ['/app/capacity', 'Capacity'],
    ]),
  })}
${p.left ? html`<div class="notice info" role="status">${p.name} left the team on ${timeTag(p.leftAt)}.</div>` : ''}
<section class="panel flush" id="time-off" aria-labelledby="time-off-heading"><div class="panel-head">
  <h2 id="time-off-heading">Time off</h2>
  <p class="muted">Each weekday away takes a fifth of the weekly capacity.</p></div>
  ${
    timeOffRows.length
      ? dataTable('data', ['#', 'From', 'To', 'Note', 'Status', ACTIONS_COLUMN], timeOffRows)
      : html`<p class="empty-line">No time off booked.</p>`
  }${book}
</section>
<section class="panel flush" id="reactive-work" aria-labelledby="reactive-heading"><div class="panel-head">
  <h2 id="reactive-heading">Reactive work</h2>
  <p class="muted">Ticket and outage hours pulled from ${p.name}, newest week first.</p></div>
  ${
    reactiveRows.length
      ? dataTable('data', ['Week of', 'Kind', numColumn('Hours'), 'Note', 'Logged'], reactiveRows, reactiveFoot)
      : html`<p class="empty-line">No reactive work logged.</p>`
  }${log}
</section>
${edit}${leave}`;
  return shell(viewer, `${p.name} · Team`, body, { section: 'team', notice: args.notice });
}
