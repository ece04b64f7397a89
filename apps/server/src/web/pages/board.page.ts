import { BOARD_COLUMNS, BoardColumn, COLUMN_LABELS, ProjectState } from '@scope-ledger/domain';
import { boardView, ColumnCycleTime } from '@scope-ledger/projections';
import { html, Html } from '../../signing/html';
import { asOfForm, asOfNotice } from './as-of';
import { duration, hours, plural } from './format';
import { FormFailure, FormView, inputField, postForm } from './forms';
import { can, headActions, pageHead, shell, Viewer } from './layout';

type Column = ReturnType<typeof boardView>['columns'][number];
type Card = Column['cards'][number];

export interface BoardPageArgs {
  state: ProjectState;
  /** How long cards stayed in each column before moving on, up to the moment shown. */
  cycleTimes: readonly ColumnCycleTime[];
  /** Set when the board is shown as of a past moment: nothing can be moved or logged. */
  asOf?: string;
  failure?: FormFailure;
  notice?: string;
  today: string;
  /** Names of the people on the team (leavers too) by person id, for the label of an assigned card. */
  people?: ReadonlyMap<string, string>;
}

/** The delivery board: only the baseline and signed change orders put cards here. */
export function boardPage(viewer: Viewer, args: BoardPageArgs): string {
  const { state, asOf } = args;
  const board = boardView(state);
  const base = `/app/projects/${state.projectId}`;
  const editable = !asOf && can(viewer, 'pm');
  const cycleTimes = new Map(args.cycleTimes.map((c) => [c.column, c]));
  const cardArgs = { ...args, editable };
  const column = (c: Column, index: number) => {
    const full = c.wipLimit !== null && c.cards.length >= c.wipLimit;
    return html`<section class="column${full ? ' full' : ''}" aria-labelledby="col-${c.column}" data-column="${
      c.column
    }">
  <header>
    <h2 id="col-${c.column}">${COLUMN_LABELS[c.column]}</h2>
    <span class="count${full ? ' at-limit' : ''}" title="${c.wipLimit !== null ? 'cards / WIP limit' : 'cards'}"
      >${c.cards.length}${c.wipLimit !== null ? ` / ${c.wipLimit}` : ''}</span>
  </header>
  ${cycleTime(cycleTimes.get(c.column))}
  <ol class="cards">${c.cards.map((card) => html`<li>${cardView(viewer, state, card, index, cardArgs)}</li>`)}</ol>
  ${c.cards.length === 0 ? html`<p class="empty-col">No cards</p>` : ''}
</section>`;
  };
  const cards = board.columns.reduce((sum, c) => sum + c.cards.length, 0);
  const lead = `${plural(cards, 'card')}. Work enters only through the baseline or a signed change order.${
    board.unapprovedHours > 0 ? '' : ' No unapproved work.'
  }`;
  const body = html`${pageHead({
    eyebrow: `${state.name} · ${state.client.name}`,
    title: 'Delivery board',
    lead,
    side: html`<div class="head-side">${headActions([
      [base, 'Project'],
      [`${base}/audit`, 'Audit trail'],
    ])}${asOfForm(`${base}/board`, asOf, args.failure)}</div>`,
  })}
${asOf ? asOfNotice(asOf, 'the board', `${base}/board`) : ''}
${
  board.unapprovedHours > 0
    ? html`<div class="notice bad" role="status">
        <strong>${hours(board.unapprovedHours)} unapproved hours.</strong>
        Time logged beyond the signed estimates is flagged in red below: log a change request for it or stop the work.
      </div>`
    : ''
}
${editable ? limitsForm(viewer, state, args.failure) : ''}
<div class="board">${board.columns.map(column)}</div>
${
  board.cancelled.length
    ? html`<section class="panel"><h2 class="h3">Cancelled by signed orders</h2><ul class="plain">${board.cancelled.map(
        (c) =>
          html`<li>
            <span class="mono">${c.id}</span> ${c.ref} · ${c.title} <span class="muted">(${c.admittedBy})</span>
          </li>`,
      )}</ul></section>`
    : ''
}`;
  return shell(viewer, `Board · ${state.name}`, body, {
    crumbs: [{ label: state.name, href: base }, { label: 'Board' }],
    notice: args.notice,
    // A refused move is also shown on its card; the banner makes sure it is seen.
    problem: args.failure?.form.startsWith('move-') ? args.failure.detail : undefined,
  });
}

/** "Cards stayed 3.67 h on average, 4.00 h median": from the moves out of the column. */
function cycleTime(time: ColumnCycleTime | undefined): Html {
  if (!time || time.averageHours === null || time.medianHours === null)
    return html`<p class="cycle-time small muted">Cycle time: no card has left yet</p>`;
  return html`<p class="cycle-time small muted" title="${plural(time.moves, 'move')} out of this column">
  Cycle time: ${duration(time.averageHours)} average, ${duration(time.medianHours)} median</p>`;
}

function limitsForm(viewer: Viewer, state: ProjectState, failure?: FormFailure): Html {
  const base = `/app/projects/${state.projectId}/board`;
  const limits = BOARD_COLUMNS.map((c) => [`limits.${c}`, String(state.wipLimits.get(c) ?? '')]);
  const form = FormView.of('limits', failure, Object.fromEntries(limits));
  const fields = BOARD_COLUMNS.map((c) =>
    inputField(form, `limits.${c}`, {
      label: COLUMN_LABELS[c],
      type: 'number',
      attrs: 'min="1" max="1000" step="1"',
      placeholder: 'none',
    }),
  );
  const set = BOARD_COLUMNS.filter((c) => state.wipLimits.has(c));
  const summary = set.length ? set.map((c) => `${COLUMN_LABELS[c]} ${state.wipLimits.get(c)}`).join(', ') : 'none set';
  const content = html`<div class="limit-fields">${fields}</div>
  <p class="hint">The most cards a column may hold. Empty means no limit. Moves into a full column are refused.</p>
  <div class="actions"><button type="submit" class="primary small">Save limits</button></div>`;
  return html`<details class="more panel-details"${form.failed ? html` open` : ''}>
  <summary>WIP limits: ${summary}</summary>
  ${postForm(viewer, `${base}/wip-limits`, form, content, 'class="limits" novalidate')}</details>`;
}

function cardView(
  viewer: Viewer,
  state: ProjectState,
  card: Card,
  columnIndex: number,
  args: {
    failure?: FormFailure;
    today: string;
    asOf?: string;
    editable: boolean;
    people?: ReadonlyMap<string, string>;
  },
): Html {
  const base = `/app/projects/${state.projectId}/board/cards/${card.id}`;
  const page = args.asOf ? `${base}?${new URLSearchParams({ asOf: args.asOf }).toString()}` : base;
  const moveForm = FormView.of(`move-${card.id}`, args.failure);
  const timeForm = FormView.of(`time-${card.id}`, args.failure, { date: args.today });
  const previous: BoardColumn | undefined = BOARD_COLUMNS[columnIndex - 1];
  const next: BoardColumn | undefined = BOARD_COLUMNS[columnIndex + 1];
  const ratio =
    card.estimateHours > 0 ? Math.min(1, card.loggedHours / card.estimateHours) : card.loggedHours > 0 ? 1 : 0;
  const move = (to: BoardColumn, label: Html) => {
    const button = html`<input type="hidden" name="to" value="${to}"><button type="submit" class="small"
      aria-label="Move ${card.id} to ${COLUMN_LABELS[to]}">${label}</button>`;
    return postForm(viewer, `${base}/move`, undefined, button, 'class="inline"');
  };
  const timeFields = html`<div class="grid two tight">
    ${inputField(timeForm, 'hours', {
      label: 'Hours',
      attrs: 'inputmode="decimal"',
      placeholder: '1.5',
      required: true,
    })}
    ${inputField(timeForm, 'date', { label: 'Date', type: 'date', required: true })}</div>
    ${inputField(timeForm, 'note', { label: 'Note (optional)' })}
  <button type="submit" class="primary small">Log time</button>`;
  // data-move lets the board's script send the same move when the card is dragged to another column.
  return html`<article class="card${card.unapprovedWork ? ' unapproved' : ''}" id="card-${card.id}"${
    args.editable ? html` data-move="${base}/move" data-card="${card.id}"` : ''
  }>
  <div class="card-top"><span class="mono small">${card.id} · ${card.ref}</span><span class="tag${
    card.admittedBy === 'baseline' ? '' : ' tag-order'
  }">${card.admittedBy}</span></div>
  <p class="card-title"><a href="${page}">${card.title}</a></p>
  <p class="small muted">${card.role}${
    card.assignee
      ? html` · <span class="assignee">${args.people?.get(card.assignee) ?? card.assignee}</span>`
      : html` · <span class="assignee unassigned">unassigned</span>`
  }</p>
  <div class="progress" title="${hours(card.loggedHours)} of ${hours(card.estimateHours)} hours">
    <svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
      <rect width="100" height="6" rx="3" fill="#eaecf0"/>
      <rect width="${Math.round(ratio * 100)}" height="6" rx="3" fill="${card.unapprovedWork ? '#d92d20' : '#1f5eff'}"/>
    </svg>
  </div>
  <p class="small">${hours(card.loggedHours)} of ${hours(card.estimateHours)} h logged</p>
  ${
    card.unapprovedWork
      ? html`<p class="unapproved-flag">Unapproved: ${hours(card.unapprovedHours)} h over the signed estimate</p>`
      : ''
  }
  ${moveForm.failed ? html`<p class="card-error" role="alert">${moveForm.detail}</p>` : ''}
  ${
    args.editable
      ? html`<div class="card-actions">${
          previous ? move(previous, html`<span aria-hidden="true">←</span> ${COLUMN_LABELS[previous]}`) : ''
        }${next ? move(next, html`${COLUMN_LABELS[next]} <span aria-hidden="true">→</span>`) : ''}</div>
  <details class="more"${timeForm.failed ? html` open` : ''}><summary>Log time</summary>
  ${postForm(viewer, `${base}/time`, timeForm, timeFields)}</details>`
      : ''
  }
</article>`;
}
