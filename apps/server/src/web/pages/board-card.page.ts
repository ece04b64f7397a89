import { COLUMN_LABELS, milestoneDates, ProjectState } from '@scope-ledger/domain';
import { boardCardDetail } from '@scope-ledger/projections';
import { html } from '../../signing/html';
import { asOfForm, asOfNotice } from './as-of';
import { calendarDate, duration, hours, plural, timeTag } from './format';
import { FormFailure, FormView, postForm, selectField } from './forms';
import { can, dataTable, headActions, numColumn, pageHead, shell, tile, Viewer } from './layout';

export interface BoardCardPageArgs {
  state: ProjectState;
  card: NonNullable<ReturnType<typeof boardCardDetail>>;
  /** Set when the card is shown as of a past moment. */
  asOf?: string;
  /** A refused as-of field, or a refused assignment. */
  failure?: FormFailure;
  /** The people on the team (and the card's assignee, even if they left), for the assignment form. */
  people: readonly { personId: string; name: string; role: string; left: boolean }[];
  notice?: string;
}

/** One card: its figures, who admitted it, the time logged against it and the columns it went through. */
export function boardCardPage(viewer: Viewer, args: BoardCardPageArgs): string {
  const { state, card, asOf } = args;
  const project = `/app/projects/${state.projectId}`;
  const board = `${project}/board`;
  const self = `${board}/cards/${card.id}`;
  const boardThen = asOf ? `${board}?${new URLSearchParams({ asOf }).toString()}` : board;
  const admitted =
    card.admittedBy === 'baseline' ? 'the baseline' : html`<strong>${card.admittedBy}</strong>, signed by the client`;
  const lead = html`${card.ref} · ${card.role} · admitted by ${admitted} on ${timeTag(card.addedAt, state.timeZone)}`;
  const entries = card.timeEntries.map(
    (e) => html`<tr>
      <td>${calendarDate(e.date)}</td>
      <td class="num">${hours(e.hours)}</td>
      <td>${e.loggedBy}</td>
      <td>${e.note ?? html`<span class="muted">—</span>`}</td>
      <td class="small muted">${timeTag(e.loggedAt, state.timeZone)}</td>
    </tr>`,
  );
  const columns = card.columns.map(
    (c) => html`<tr>
      <td>${COLUMN_LABELS[c.column]}</td>
      <td>${timeTag(c.enteredAt, state.timeZone)}</td>
      <td>${c.leftAt ? timeTag(c.leftAt, state.timeZone) : html`<span class="muted">still there</span>`}</td>
      <td class="num">${duration(c.hours)}</td>
    </tr>`,
  );
  const body = html`${pageHead({
    eyebrow: `${state.name} · Delivery board`,
    title: `${card.id} · ${card.title}`,
    lead,
    side: html`<div class="head-side">${headActions([[boardThen, 'Delivery board']])}${asOfForm(
      self,
      asOf,
      args.failure,
    )}</div>`,
  })}
${asOf ? asOfNotice(asOf, 'the card', self) : ''}
${args.notice ? html`<div class="notice good" role="status">${args.notice}</div>` : ''}
${
  card.cancelled
    ? html`<div class="notice bad" role="status">
        Cancelled by a signed change order on ${timeTag(card.cancelledAt, state.timeZone)}:
        no more time can be logged against it.
      </div>`
    : ''
}
<div class="tiles">
  ${tile('Column', COLUMN_LABELS[card.column])}
  ${tile('Estimate', `${hours(card.estimateHours)} h`)}
  ${tile('Logged', `${hours(card.loggedHours)} h`, plural(card.timeEntries.length, 'entry', 'entries'))}
  ${tile('Remaining', `${hours(card.remainingHours)} h`)}
  ${dueBy(state, card.milestone)}
  ${card.unapprovedWork ? tile('Unapproved', `${hours(card.unapprovedHours)} h`, 'beyond the estimate', 'bad') : ''}
</div>
${assignment(viewer, args, self)}
<section class="panel" aria-labelledby="time-entries">
  <h2 class="h3" id="time-entries">Time entries</h2>
  ${
    entries.length
      ? dataTable('time-entries', ['Date', numColumn('Hours'), 'Logged by', 'Note', 'Recorded'], entries)
      : html`<p class="muted">No time logged${asOf ? ' by then' : ' yet'}.</p>`
  }
</section>
<section class="panel" aria-labelledby="column-history">
  <h2 class="h3" id="column-history">Columns</h2>
  ${dataTable('column-history', ['Column', 'Entered', 'Left', numColumn('Time there')], columns)}
</section>`;
  return shell(viewer, `${card.id} · ${state.name}`, body, {
    crumbs: [{ label: state.name, href: project }, { label: 'Board', href: boardThen }, { label: card.id }],
  });
}

/** The milestone the card's work is due by, with its current date: the project's last one when it names none. */
function dueBy(state: ProjectState, ref: string | null) {
  const milestones = [...state.milestones.values()];
  const milestone = ref === null ? milestones.at(-1) : state.milestones.get(ref);
  if (!milestone) return '';
  const due = milestoneDates([milestone], state.holidays).get(milestone.ref)!;
  const note = ref === null ? `the project's last milestone, ${milestone.name}` : milestone.name;
  return tile('Due by', `${milestone.ref} · ${calendarDate(due)}`, note);
}

/** Who does the work: a choice of the people on the team, or no one; read only on a past moment or a cancelled card. */
function assignment(viewer: Viewer, args: BoardCardPageArgs, self: string) {
  const { card, people, asOf } = args;
  const label = (p: BoardCardPageArgs['people'][number]) =>
    `${p.name} (${p.personId}, ${p.role})${p.left ? ', left' : ''}`;
  const assignee = people.find((p) => p.personId === card.assignee);
  const current = card.assignee ? (assignee ? label(assignee) : card.assignee) : 'No one';
  if (asOf || card.cancelled || !can(viewer, 'pm')) {
    return html`<section class="panel" aria-labelledby="assignee"><h2 class="h3" id="assignee">Assigned to</h2>
      <p>${current}</p></section>`;
  }
  const form = FormView.of('assign', args.failure, { personId: card.assignee ?? '' });
  const choices = [
    { value: '', label: 'No one' },
    ...people
      .filter((p) => !p.left || p.personId === card.assignee)
      .map((p) => ({ value: p.personId, label: label(p) })),
  ];
  const fields = html`${selectField(form, 'personId', choices, {
    label: 'Assigned to',
    hint:
      'Capacity plans the hours this card still needs on this person, up to its milestone’s current date ' +
      '(the project’s last milestone when it names none).',
  })}<div class="actions"><button type="submit">Save assignment</button></div>`;
  return html`<section class="panel" aria-labelledby="assignee"><h2 class="h3" id="assignee">Who does the work</h2>
    ${postForm(viewer, `${self}/assignee`, form, fields)}</section>`;
}
