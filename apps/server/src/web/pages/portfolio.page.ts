import { html, Html } from '../../signing/html';
import { age, badge, calendarDate, hours, money, moneyDelta, plural, signed } from './format';
import { can, dataTable, numColumn, pageHead, shell, tile, Viewer } from './layout';
// The page shows the API's rows and sorts; it defines neither again.
import type { PortfolioProjectRow, PortfolioSort } from '../../portfolio/portfolio.controller';

function riskTone(risk: number): string {
  return risk >= 20 ? 'bad' : risk > 0 ? 'warn' : 'ok';
}

export function portfolioPage(
  viewer: Viewer,
  args: { projects: PortfolioProjectRow[]; sort: PortfolioSort; archived?: boolean },
): string {
  const { projects, sort, archived = false } = args;
  // Sorting keeps archived projects shown or hidden; the toggle keeps the sort.
  const withArchived = archived ? '&archived=true' : '';
  const header = (label: string, key: PortfolioSort): Html => {
    const active = key === sort;
    return html`<th class="${key === 'name' ? '' : 'num'}" scope="col"${active ? html` aria-sort="descending"` : ''}>
      <a class="sort${active ? ' active' : ''}" href="/app?sort=${key}${withArchived}"
        >${label}${active ? html` <span aria-hidden="true">▾</span>` : ''}</a>
    </th>`;
  };
  const slipping = projects.filter((p) => p.slipWorkingDays > 0).length;
  const awaiting = projects.reduce((s, p) => s + p.awaitingSignature, 0);
  const oldest = projects.reduce<number | null>(
    (m, p) => (p.oldestAwaitingDays !== null && (m === null || p.oldestAwaitingDays > m) ? p.oldestAwaitingDays : m),
    null,
  );
  const unapproved = projects.reduce((s, p) => s + p.unapprovedHours, 0);
  const blocked = projects.filter((p) => p.waitingOnClient.overdue > 0).length;
  const open = projects.reduce((s, p) => s + p.openRequests, 0);

  const newProject = (label: string) =>
    can(viewer, 'pm') ? html`<a class="button primary" href="/app/projects/new">${label}</a>` : '';
  const columns = [
    header('Project', 'name'),
    numColumn('Contract value'),
    header('Variance', 'variance'),
    header('Pending', 'pending'),
    header('Forecast end', 'slip'),
    header('Awaiting client', 'waiting'),
    header('Blocked on client', 'client'),
    numColumn('Unapproved'),
    numColumn('Unassessed'),
    header('Risk', 'risk'),
  ];
  const rows = projects.map(
    (p) => html`<tr>
<td class="project-cell"><a class="strong" href="/app/projects/${p.projectId}">${p.name}</a>${
      p.status === 'archived' ? html` ${badge('archived')}` : ''
    }
<div class="muted small">${p.client}</div></td>
<td class="num">${money(p.currentBudget, p.currency)}
<div class="small muted">baseline ${money(p.baselineBudget, p.currency)}</div></td>
<td class="num${p.variance > 0 ? ' up' : p.variance < 0 ? ' down' : ''}">${
      p.variance === 0 ? '—' : moneyDelta(p.variance, p.currency)
    }</td>
<td class="num${p.pendingExposure !== 0 ? ' warn-text' : ''}">${
      p.pendingExposure === 0 ? '—' : moneyDelta(p.pendingExposure, p.currency)
    }${
      p.pendingCredits !== 0 ? html`<div class="small muted">credits ${money(p.pendingCredits, p.currency)}</div>` : ''
    }${
      p.onDraftOrders.count !== 0
        ? html`<div class="small muted">${moneyDelta(p.onDraftOrders.amount, p.currency)} on drafts</div>`
        : ''
    }</td>
<td class="num">${calendarDate(p.forecastEnd)}${
      p.slipWorkingDays !== 0
        ? html`<div class="small ${p.slipWorkingDays > 0 ? 'bad-text' : 'ok-text'}">${signed(
            p.slipWorkingDays,
          )} working days</div>`
        : html`<div class="small muted">on plan</div>`
    }</td>
<td class="num">${
      p.awaitingSignature === 0
        ? '—'
        : html`${badge('issued', plural(p.awaitingSignature, 'order'))}<div class="small muted">${
            (p.oldestAwaitingDays ?? 0) === 0 ? 'issued today' : `waiting ${age(p.oldestAwaitingDays ?? 0)}`
          }</div>`
    }</td>
<td class="num">${
      p.waitingOnClient.open === 0
        ? '—'
        : html`${plural(p.waitingOnClient.open, 'dependency', 'dependencies')}<div class="small ${
            p.waitingOnClient.overdue > 0 ? 'bad-text' : 'muted'
          }">${
            p.waitingOnClient.overdue > 0
              ? `${p.waitingOnClient.overdue} overdue, by up to ${age(p.waitingOnClient.mostOverdueDays)}`
              : `waiting ${age(p.waitingOnClient.longestWaitDays)}`
          }</div>`
    }</td>
<td class="num${p.unapprovedHours > 0 ? ' bad-text strong' : ''}">${
      p.unapprovedHours > 0 ? `${hours(p.unapprovedHours)} h` : '—'
    }</td>
<td class="num">${p.openRequests ? plural(p.openRequests, 'request') : '—'}</td>
<td class="num"><span class="risk tone-${riskTone(p.risk)}" title="Risk score">${p.risk}</span></td>
</tr>`,
  );
  const waiting =
    oldest === null ? 'none outstanding' : oldest === 0 ? 'oldest issued today' : `oldest waiting ${age(oldest)}`;
  const toggleHref = `/app?sort=${sort}${archived ? '' : '&archived=true'}`;
  const toggleLabel = archived ? 'Hide archived projects' : 'Show archived projects';
  const archivedToggle = html`<a class="button" href="${toggleHref}">${toggleLabel}</a>`;
  const body = html`${pageHead({
    title: 'Portfolio',
    lead: html`${plural(projects.length, 'project')}${archived ? ' (archived ones included)' : ''}, sorted by
  ${SORT_LABELS[sort]}.
  Riskiest first means slipping, waiting on the client, exposed or with unapproved work.`,
    side: html`${archivedToggle}${newProject('New project')}`,
  })}
<section class="tiles" aria-label="Across all projects">
  ${tile('Projects slipping', slipping, undefined, slipping > 0 && 'bad')}
  ${tile('Orders awaiting signature', awaiting, waiting, awaiting > 0 && 'warn')}
  ${tile('Requests not yet assessed', open, undefined, open > 0 && 'warn')}
  ${tile('Blocked on the client', blocked, 'projects with an overdue client dependency', blocked > 0 && 'bad')}
  ${tile('Unapproved hours', hours(unapproved), 'logged beyond signed estimates', unapproved > 0 && 'bad')}
</section>
${
  projects.length === 0
    ? html`<section class="panel empty"><h2>No projects yet</h2>
        <p>
          Open a project, set its baseline, and every client request from then on is logged, priced and signed here.
        </p>
        ${newProject('Open your first project')}
      </section>`
    : html`<section class="panel flush">${dataTable('data portfolio', columns, rows)}</section>`
}`;
  return shell(viewer, 'Portfolio', body, { section: 'portfolio' });
}

const SORT_LABELS: Record<PortfolioSort, string> = {
  risk: 'risk',
  name: 'name',
  variance: 'budget variance',
  slip: 'schedule slip',
  pending: 'pending exposure',
  waiting: 'time awaiting signature',
  client: 'how long each waits on its client',
};
