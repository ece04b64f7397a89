import { BOARD_COLUMNS, BoardColumn, COLUMN_LABELS, ProjectState } from '@scope-ledger/domain';
import { boardView } from '@scope-ledger/projections';
import { html, Html } from '../../signing/html';
import { hours, plural } from './format';
import { csrfField, FormFailure, FormView, inputField } from './forms';
import { can, shell, Viewer } from './layout';

type Card = ReturnType<typeof boardView>['columns'][number]['cards'][number];

/** The delivery board: only the baseline and signed change orders put cards here. */
export function boardPage(
  viewer: Viewer,
  args: { state: ProjectState; failure?: FormFailure; notice?: string; today: string },
): string {
  const { state } = args;
  const board = boardView(state);
  const base = `/app/projects/${state.projectId}`;
  const editable = can(viewer, 'pm');

  const limitsForm = FormView.of(
    'limits',
    args.failure,
    Object.fromEntries(BOARD_COLUMNS.map((c) => [`limits.${c}`, String(state.wipLimits.get(c) ?? '')])),
  );
  const limitFields = BOARD_COLUMNS.map((c) =>
    inputField(limitsForm, `limits.${c}`, {
      label: COLUMN_LABELS[c],
      type: 'number',
      attrs: 'min="1" max="1000" step="1"',
      placeholder: 'none',
    }),
  );
  const limits = editable
    ? html`<details class="more panel-details"${limitsForm.failed ? html` open` : ''}>
  <summary>WIP limits: ${limitSummary(state)}</summary>
  <form method="post" action="${base}/board/wip-limits" class="limits" novalidate>
  ${csrfField(viewer.csrfToken)}${limitsForm.summary()}
  <div class="limit-fields">${limitFields}</div>
  <p class="hint">The most cards a column may hold. Empty means no limit. Moves into a full column are refused.</p>
  <div class="actions"><button type="submit" class="primary small">Save limits</button></div></form></details>`
    : html``;

  const column = (c: (typeof board.columns)[number], index: number) => {
    const full = c.wipLimit !== null && c.cards.length >= c.wipLimit;
    return html`<section class="column${full ? ' full' : ''}" aria-labelledby="col-${c.column}">
  <header>
    <h2 id="col-${c.column}">${COLUMN_LABELS[c.column]}</h2>
    <span class="count${full ? ' at-limit' : ''}" title="${c.wipLimit !== null ? 'cards / WIP limit' : 'cards'}"
      >${c.cards.length}${c.wipLimit !== null ? ` / ${c.wipLimit}` : ''}</span>
  </header>
  <ol class="cards">${c.cards.map((card) => html`<li>${cardView(viewer, state, card, index, args)}</li>`)}</ol>
  ${c.cards.length === 0 ? html`<p class="empty-col">No cards</p>` : ''}
</section>`;
  };

  const body = html`<div class="page-head"><div><p class="eyebrow">${state.name} · ${state.client.name}</p>
  <h1>Delivery board</h1>
  <p class="muted">${plural(
    board.columns.reduce((s, c) => s + c.cards.length, 0),
    'card',
  )}. Work enters only through the baseline or a signed change order.${
    board.unapprovedHours > 0 ? '' : ' No unapproved work.'
  }</p></div>
  <div class="head-actions">
  <a class="button" href="${base}">Project</a><a class="button" href="${base}/audit">Audit trail</a>
  </div></div>
${
  board.unapprovedHours > 0
    ? html`<div class="notice bad" role="status">
        <strong>${hours(board.unapprovedHours)} unapproved hours.</strong>
        Time logged beyond the signed estimates is flagged in red below: log a change request for it or stop the work.
      </div>`
    : ''
}
${limits}
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
    section: 'portfolio',
    crumbs: [{ label: 'Portfolio', href: '/app' }, { label: state.name, href: base }, { label: 'Board' }],
    notice: args.notice,
    // A refused move is also shown on its card; the banner makes sure it is seen.
    problem: args.failure?.form.startsWith('move-') ? args.failure.detail : undefined,
  });
}

function limitSummary(state: ProjectState): string {
  const set = BOARD_COLUMNS.filter((c) => state.wipLimits.has(c)).map(
    (c) => `${COLUMN_LABELS[c]} ${state.wipLimits.get(c)}`,
  );
  return set.length ? set.join(', ') : 'none set';
}

function cardView(
  viewer: Viewer,
  state: ProjectState,
  card: Card,
  columnIndex: number,
  args: { failure?: FormFailure; today: string },
): Html {
  const base = `/app/projects/${state.projectId}/board/cards/${card.id}`;
  const moveForm = FormView.of(`move-${card.id}`, args.failure);
  const timeForm = FormView.of(`time-${card.id}`, args.failure, { date: args.today });
  const previous: BoardColumn | undefined = BOARD_COLUMNS[columnIndex - 1];
  const next: BoardColumn | undefined = BOARD_COLUMNS[columnIndex + 1];
  const ratio =
    card.estimateHours > 0 ? Math.min(1, card.loggedHours / card.estimateHours) : card.loggedHours > 0 ? 1 : 0;
  const move = (to: BoardColumn, label: Html) =>
    html`<form method="post" action="${base}/move" class="inline">${csrfField(viewer.csrfToken)}<input
      type="hidden" name="to" value="${to}"><button type="submit" class="small"
      aria-label="Move ${card.id} to ${COLUMN_LABELS[to]}">${label}</button></form>`;
  const timeFields = html`<div class="grid two tight">${inputField(timeForm, 'hours', {
    label: 'Hours',
    attrs: 'inputmode="decimal"',
    placeholder: '1.5',
    required: true,
  })}${inputField(timeForm, 'date', { label: 'Date', type: 'date', required: true })}</div>${inputField(
    timeForm,
    'note',
    { label: 'Note (optional)' },
  )}`;
  const moveProblem = moveForm.failed ? html`<p class="card-error" role="alert">${moveForm.detail}</p>` : html``;
  return html`<article class="card${card.unapprovedWork ? ' unapproved' : ''}" id="card-${card.id}">
  <div class="card-top"><span class="mono small">${card.id} · ${card.ref}</span><span class="tag${
    card.admittedBy === 'baseline' ? '' : ' tag-order'
  }">${card.admittedBy}</span></div>
  <p class="card-title">${card.title}</p>
  <p class="small muted">${card.role}</p>
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
  ${moveProblem}
  ${
    can(viewer, 'pm')
      ? html`<div class="card-actions">${
          previous ? move(previous, html`<span aria-hidden="true">←</span> ${COLUMN_LABELS[previous]}`) : ''
        }${next ? move(next, html`${COLUMN_LABELS[next]} <span aria-hidden="true">→</span>`) : ''}</div>
  <details class="more"${timeForm.failed ? html` open` : ''}><summary>Log time</summary>
  <form method="post" action="${base}/time" class="stack" novalidate>
  ${csrfField(viewer.csrfToken)}${timeForm.summary()}${timeFields}
  <button type="submit" class="primary small">Log time</button></form></details>`
      : ''
  }
</article>`;
}
