import type { CapacityPlan, PersonWeek } from '@scope-ledger/domain';
import { html, Html } from '../../signing/html';
import { asOfNotice } from './as-of';
import { capacityHeatMap, heatMapLegend, percent, weekInWords } from './capacity-heat-map';
import { badge, calendarDate, hours } from './format';
import { FormFailure, FormView, inputField } from './forms';
import { dataTable, headActions, numColumn, pageHead, shell, tile, Viewer } from './layout';

/** What the capacity page was asked for: the window and, for a past moment, asOf. */
export interface CapacityWindow {
  from?: string;
  weeks?: number;
  asOf?: string;
}

/** "/app/capacity?from=…&weeks=…&asOf=…" with only what is set. */
export function capacityHref(window: CapacityWindow): string {
  const params = new URLSearchParams();
  if (window.from) params.set('from', window.from);
  if (window.weeks) params.set('weeks', String(window.weeks));
  if (window.asOf) params.set('asOf', window.asOf);
  const query = params.toString();
  return `/app/capacity${query ? `?${query}` : ''}`;
}

/** The page behind one cell: a person's week, as of the same moment. */
export function capacityCellHref(personId: string, weekOf: string, asOf?: string): string {
  const query = asOf ? `?${new URLSearchParams({ asOf }).toString()}` : '';
  return `/app/capacity/people/${encodeURIComponent(personId)}/weeks/${weekOf}${query}`;
}

export interface CapacityPageArgs {
  plan: CapacityPlan & { asOf: string | null };
  /** The window as asked (the API moves `from` back to its Monday). */
  window: CapacityWindow;
  /** A refused window or as-of field. */
  failure?: FormFailure;
}

/** The window form: first week, how many weeks, and the moment (empty: now). A GET form, like the as-of field. */
function windowForm(args: CapacityPageArgs): Html {
  const { window } = args;
  const form = FormView.of('capacity', args.failure, {
    from: window.from ?? args.plan.from,
    weeks: String(window.weeks ?? args.plan.weeks.length),
    asOf: window.asOf ? window.asOf.slice(0, 19) : '',
  });
  const fields = html`${inputField(form, 'from', { label: 'From the week of', type: 'date' })}
  ${inputField(form, 'weeks', { label: 'Weeks', type: 'number', attrs: 'min="1" max="52"' })}
  ${inputField(form, 'asOf', {
    label: 'As of (UTC)',
    type: 'datetime-local',
    attrs: 'step="1"',
    hint: 'Empty: now.',
  })}`;
  return html`<section class="panel filters">
  <form method="get" action="/app/capacity" class="filter-row" novalidate>${fields}
  <div class="actions"><button type="submit">Show</button>${
    window.from || window.weeks || window.asOf ? html`<a class="button" href="/app/capacity">This week on</a>` : ''
  }</div></form>${form.summary()}</section>`;
}

/** A person's week in the table alternative: the figures in words, linked to the cards behind it. */
function weekCell(personId: string, week: PersonWeek, asOf?: string): Html {
  return html`<td class="num${week.overAllocated ? ' over' : ''}" data-person="${personId}" data-week="${week.weekOf}">
    <a href="${capacityCellHref(personId, week.weekOf, asOf)}">${
      week.overAllocated ? html`<strong>▲ Over: ${percent(week.utilisation)}</strong>` : percent(week.utilisation)
    }</a><div class="small muted">${hours(week.loadHours)} of ${hours(week.capacityHours)} h${
      week.reactiveHours > 0 ? `; ${hours(week.reactiveHours)} h reactive` : ''
    }${week.timeOffDays > 0 ? `; ${week.timeOffDays} d off` : ''}</div></td>`;
}

/** The capacity view: the heat map, its figures as a table, unassigned demand per role and reactive work. */
export function capacityPage(viewer: Viewer, args: CapacityPageArgs): string {
  const { plan, window } = args;
  const asOf = plan.asOf ?? undefined;
  const overWeeks = plan.people.reduce((n, p) => n + p.totals.overAllocatedWeeks, 0);
  const overPeople = plan.people.filter((p) => p.totals.overAllocatedWeeks > 0);
  const demand = plan.unassigned.reduce((n, u) => n + u.hours, 0);
  const weekHeads = plan.weeks.map((w) => numColumn(calendarDate(w)));

  const tableRows = plan.people.map(
    (p) =>
      html`<tr><th scope="row">${p.name}<div class="small muted">${p.role}</div></th>${p.weeks.map((w) =>
        weekCell(p.personId, w, asOf),
      )}</tr>`,
  );
  const demandRows = plan.unassigned.map(
    (u) =>
      html`<tr><th scope="row">Unassigned<div class="small muted">${u.role}</div></th>${u.weeks.map(
        (w) => html`<td class="num">${w.hours > 0 ? `${hours(w.hours)} h` : '—'}</td>`,
      )}</tr>`,
  );
  const table = dataTable('data capacity-table', ['Person', ...weekHeads], [...tableRows, ...demandRows]);

  const unassigned = plan.unassigned.length
    ? dataTable(
        'data',
        ['Role', numColumn('Hours no one is assigned'), 'Weeks with demand'],
        plan.unassigned.map(
          (u) =>
            html`<tr><td>${u.role}</td><td class="num">${hours(u.hours)} h</td><td>${u.weeks
              .filter((w) => w.hours > 0)
              .map((w) => `${calendarDate(w.weekOf)}: ${hours(w.hours)} h`)
              .join('; ')}</td></tr>`,
        ),
      )
    : html`<p class="empty-line">Every card with hours left in these weeks has someone on the team.</p>`;

  const reactive = dataTable(
    'data',
    ['Person', numColumn('Reactive hours in these weeks')],
    plan.reactive.perPerson.map((p) => html`<tr><td>${p.name}</td><td class="num">${hours(p.hours)} h</td></tr>`),
    html`<tfoot><tr><th scope="row">Across the portfolio (tickets ${hours(plan.reactive.byKind.ticket)} h, outages
      ${hours(plan.reactive.byKind.outage)} h, other ${hours(plan.reactive.byKind.other)} h)</th>
      <td class="num strong">${hours(plan.reactive.total)} h</td></tr></tfoot>`,
  );

  const nowHref = capacityHref({ ...window, asOf: undefined });
  const body = html`${pageHead({
    eyebrow: 'Delivery',
    title: 'Capacity',
    lead:
      `Load against capacity per person and week across every project, ${plan.weeks.length} weeks from ` +
      `${calendarDate(plan.from)}. Each card’s remaining hours are spread over its project’s working days up to ` +
      'its milestone’s current date, or its project’s last milestone when it names none.',
    side: headActions([['/app/team', 'Team']]),
  })}
${asOf ? asOfNotice(asOf, 'the capacity plan', nowHref) : ''}
${windowForm(args)}
<div class="tiles">
  ${tile('People', plan.people.length)}
  ${tile(
    'Over capacity',
    overWeeks === 0 ? 'No one' : `${overWeeks} person-week${overWeeks === 1 ? '' : 's'}`,
    overPeople.map((p) => p.name).join(', ') || undefined,
    overWeeks > 0 && 'bad',
  )}
  ${tile(
    'Unassigned demand',
    `${hours(demand)} h`,
    plan.unassigned.map((u) => u.role).join(', ') || undefined,
    demand > 0 && 'warn',
  )}
  ${tile('Reactive work', `${hours(plan.reactive.total)} h`, 'in these weeks')}
</div>
<section class="panel" aria-labelledby="heat-map-heading"><h2 id="heat-map-heading">Heat map</h2>
  ${
    plan.people.length === 0 && plan.unassigned.length === 0
      ? html`<p class="muted">No one on the team yet: add people on the team page.</p>`
      : html`<p class="hint">Each cell shows planned hours as a share of the hours available that week; select it for
  the cards behind it.</p>
  <div class="heat-map-wrap">${capacityHeatMap(plan, (person, week) => capacityCellHref(person, week, asOf))}</div>
  ${heatMapLegend()}
  <details class="panel-details"><summary>The same figures as a table</summary>${table}</details>`
  }
</section>
<section class="panel flush" aria-labelledby="unassigned-heading"><div class="panel-head">
  <h2 id="unassigned-heading">Unassigned demand per role</h2>
  <p class="muted">Cards assigned to no one, or to someone who left, by the role the card names.</p></div>
  ${unassigned}
</section>
<section class="panel flush" aria-labelledby="reactive-heading"><div class="panel-head">
  <h2 id="reactive-heading">Reactive work</h2>
  <p class="muted">Ticket and outage hours logged on the team page; they come off that week’s capacity.</p></div>
  ${reactive}
</section>`;
  return shell(viewer, 'Capacity', body, { section: 'capacity' });
}

export interface CapacityCell {
  personId: string;
  name: string;
  role: string;
  weekOf: string;
  week: PersonWeek | null;
  cards: {
    projectId: string;
    projectName: string;
    cardId: string;
    title: string;
    role: string;
    hours: number;
    remainingHours: number;
    projectEnd: string | null;
    milestone: string | null;
    dueBy: string;
    overdue: boolean;
  }[];
  asOf: string | null;
}

/** The cards behind one cell: which project and card take how many of the person's hours that week. */
export function capacityCellPage(viewer: Viewer, cell: CapacityCell): string {
  const asOf = cell.asOf ?? undefined;
  const back = capacityHref({ from: cell.weekOf, asOf });
  const cardQuery = asOf ? `?${new URLSearchParams({ asOf }).toString()}` : '';
  const week = cell.week;
  const rows = cell.cards.map(
    (c) => html`<tr>
      <td><a href="/app/projects/${c.projectId}${cardQuery}">${c.projectName}</a></td>
      <td class="mono"><a href="/app/projects/${c.projectId}/board/cards/${encodeURIComponent(c.cardId)}${cardQuery}"
        >${c.cardId}</a></td>
      <td>${c.title}<div class="small muted">${c.role}</div></td>
      <td class="num strong">${hours(c.hours)} h</td>
      <td class="num">${hours(c.remainingHours)} h</td>
      <td>${calendarDate(c.dueBy)}${c.overdue ? html` ${badge('overdue')}` : ''}<div class="small muted">${
        c.milestone ?? 'last milestone'
      }</div></td>
    </tr>`,
  );
  const total = cell.cards.reduce((s, c) => s + Math.round(c.hours * 100), 0) / 100;
  const foot = html`<tfoot><tr><th scope="row" colspan="3">Planned that week</th>
    <td class="num strong">${hours(total)} h</td><td colspan="2"></td></tr></tfoot>`;
  const body = html`${pageHead({
    eyebrow: `Capacity · ${cell.role}`,
    title: `${cell.name} · week of ${calendarDate(cell.weekOf)}`,
    lead: week ? weekInWords(week) : 'Not on the team that week.',
    side: headActions([
      [back, 'Back to the heat map'],
      [`/app/team/${encodeURIComponent(cell.personId)}`, cell.name],
    ]),
  })}
${asOf ? asOfNotice(asOf, 'this week of the capacity plan', capacityCellHref(cell.personId, cell.weekOf)) : ''}
${
  week
    ? html`<div class="tiles">
  ${tile(
    'Utilisation',
    week.overAllocated ? `▲ ${percent(week.utilisation)}` : percent(week.utilisation),
    week.overAllocated ? 'over capacity' : undefined,
    week.overAllocated && 'bad',
  )}
  ${tile('Planned', `${hours(week.loadHours)} h`)}
  ${tile('Available', `${hours(week.capacityHours)} h`, 'capacity less time off and reactive work')}
  ${tile('Reactive work', `${hours(week.reactiveHours)} h`)}
  ${tile('Time off', `${week.timeOffDays} d`)}
</div>`
    : ''
}
<section class="panel flush" aria-labelledby="cards-heading"><div class="panel-head">
  <h2 id="cards-heading">The cards behind this week</h2>
  <p class="muted">Most hours first. A card’s remaining hours are spread over its project’s working days up to its
  milestone’s current date, or the project’s last milestone when it names none.</p></div>
  ${
    rows.length
      ? dataTable(
          'data cell-cards',
          ['Project', 'Card', 'Title', numColumn('Hours this week'), numColumn('Remaining'), 'Due by'],
          rows,
          foot,
        )
      : html`<p class="empty-line">No card assigned to ${cell.name} has hours planned that week.</p>`
  }
</section>`;
  return shell(viewer, `${cell.name} · Capacity`, body, { section: 'capacity' });
}
