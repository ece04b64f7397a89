import { StaffRole } from '../../auth/api-keys.service';
import { StaffMember } from '../../auth/staff-users.service';
import { html, Html, page } from '../../signing/html';
import { csrfField } from './forms';

/** Who is looking at a page, and the token their forms carry. */
export interface Viewer {
  staff: StaffMember;
  csrfToken: string;
}

export const can = (viewer: Viewer, ...roles: StaffRole[]) =>
  viewer.staff.role === 'admin' || roles.includes(viewer.staff.role);

interface ShellOptions {
  /** Which top-level section is current; pages with crumbs lie under the portfolio. */
  section?: 'portfolio' | 'finance' | 'catalogue' | 'team' | 'capacity' | 'admin' | 'company' | 'users';
  /** The way down from the portfolio, which leads every trail. */
  crumbs?: { label: string; href?: string }[];
  notice?: string;
  problem?: string;
  scripts?: boolean;
}

/** The frame of every signed-in page: top bar, breadcrumbs, messages. */
export function shell(viewer: Viewer, title: string, body: Html, options: ShellOptions = {}): string {
  // Admin pages keep their section with a trail; other pages with a trail lie under the portfolio.
  const current = options.crumbs && options.section !== 'admin' ? 'portfolio' : options.section;
  const nav = (href: string, label: string, section: ShellOptions['section']) =>
    html`<a href="${href}"${current === section ? html` aria-current="page"` : ''}>${label}</a>`;
  const crumbs = options.crumbs ? [{ label: 'Portfolio', href: '/app' }, ...options.crumbs] : [];
  const content = html`<div class="app">
<header class="topbar">
  <a class="brand" href="/app"><span class="logo" aria-hidden="true">SL</span>Scope Ledger</a>
  <nav class="mainnav" aria-label="Main">${nav('/app', 'Portfolio', 'portfolio')}${
    can(viewer, 'finance') ? nav('/app/finance', 'Finance', 'finance') : ''
  }${nav('/app/catalogue', 'Catalogue', 'catalogue')}${
    can(viewer, 'pm', 'finance')
      ? html`${nav('/app/team', 'Team', 'team')}${nav('/app/capacity', 'Capacity', 'capacity')}`
      : ''
  }${
    viewer.staff.role === 'admin'
      ? html`${nav('/app/admin', 'Admin', 'admin')}${nav('/app/admin/company', 'Company', 'company')}`
      : ''
  }${viewer.staff.role === 'admin' ? nav('/app/admin/users', 'Users', 'users') : ''}</nav>
  <div class="who">
    <a class="who-name" href="/app/account">${viewer.staff.name}</a><span class="role">${viewer.staff.role}</span>
    <form method="post" action="/app/sign-out">
      ${csrfField(viewer.csrfToken)}<button type="submit" class="quiet">Sign out</button>
    </form>
  </div>
</header>
<main class="main" id="main">
  ${
    crumbs.length
      ? html`<nav class="crumbs" aria-label="Breadcrumb">${crumbs.map(
          (c, i) =>
            html`${i > 0 ? html`<span aria-hidden="true">/</span>` : ''}${
              c.href ? html`<a href="${c.href}">${c.label}</a>` : html`<span>${c.label}</span>`
            }`,
        )}</nav>`
      : ''
  }
  ${options.notice ? html`<div class="notice ok" role="status">${options.notice}</div>` : ''}
  ${options.problem ? html`<div class="notice bad" role="alert">${options.problem}</div>` : ''}
  ${body}
</main>
</div>`;
  return page(`${title} · Scope Ledger`, content, { scripts: options.scripts === false ? [] : ['/assets/app.js'] });
}

/** A page for visitors who are not signed in (sign-in itself, errors before a session exists). */
export function bareShell(title: string, body: Html): string {
  return page(`${title} · Scope Ledger`, html`<div class="app bare"><main class="main narrow">${body}</main></div>`);
}

export function errorPage(viewer: Viewer | undefined, status: number, title: string, detail: string): string {
  const body = html`<section class="panel error-panel">
    <p class="eyebrow">Error ${status}</p>
    <h1>${title}</h1>
    <p>${detail}</p>
    <p><a href="/app">Back to the portfolio</a></p>
  </section>`;
  return viewer ? shell(viewer, title, body, { scripts: false }) : bareShell(title, body);
}

/** The heading of a page: what it is about, its title and lead, and links or forms beside them. */
export function pageHead(head: {
  eyebrow?: string;
  title: Html | string;
  lead?: Html | string;
  side?: Html | string;
}): Html {
  return html`<div class="page-head"><div>${head.eyebrow ? html`<p class="eyebrow">${head.eyebrow}</p>` : ''}
  <h1>${head.title}</h1>${head.lead ? html`<p class="muted">${head.lead}</p>` : ''}</div>${head.side ?? ''}</div>`;
}

/** Buttons to the other pages of a project. */
export function headActions(links: [href: string, label: string][]): Html {
  const buttons = links.map(([href, label]) => html`<a class="button" href="${href}">${label}</a>`);
  return html`<div class="head-actions">${buttons}</div>`;
}

/** One figure among the tiles at the top of a page; `tone` colours it when it needs attention. */
export function tile(label: string, value: string | number, sub?: string, tone?: string | false): Html {
  return html`<div class="tile${tone ? ` tone-${tone}` : ''}">
    <span class="tile-label">${label}</span><span class="tile-value">${value}</span>${
      sub ? html`<span class="tile-sub">${sub}</span>` : ''
    }
  </div>`;
}

/** A right-aligned header cell, for columns of figures. */
export const numColumn = (label: string) => html`<th class="num" scope="col">${label}</th>`;

export const ACTIONS_COLUMN = html`<th scope="col"><span class="visually-hidden">Actions</span></th>`;

/** A data table that scrolls sideways on narrow screens. Columns are labels or ready header cells. */
export function dataTable(className: string, columns: (string | Html)[], rows: Html[], foot?: Html): Html {
  const head = columns.map((c) => (c instanceof Html ? c : html`<th scope="col">${c}</th>`));
  return html`<div class="table-wrap"><table class="${className}">
  <thead><tr>${head}</tr></thead>
  <tbody>${rows}</tbody>${foot ?? ''}
  </table></div>`;
}
