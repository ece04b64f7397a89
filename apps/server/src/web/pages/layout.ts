import { StaffKey, StaffRole } from '../../auth/api-keys.service';
import { html, Html, page } from '../../signing/html';
import { csrfField } from './forms';

/** Who is looking at a page, and the token their forms carry. */
export interface Viewer {
  staff: StaffKey;
  csrfToken: string;
}

export const can = (viewer: Viewer, ...roles: StaffRole[]) =>
  viewer.staff.role === 'admin' || roles.includes(viewer.staff.role);

export interface Crumb {
  label: string;
  href?: string;
}

export interface ShellOptions {
  /** Which top-level section is current. */
  section?: 'portfolio' | 'finance';
  crumbs?: Crumb[];
  notice?: string;
  problem?: string;
  scripts?: boolean;
}

/** The frame of every signed-in page: top bar, breadcrumbs, messages. */
export function shell(viewer: Viewer, title: string, body: Html, options: ShellOptions = {}): string {
  const nav = (href: string, label: string, section: ShellOptions['section']) =>
    html`<a href="${href}"${options.section === section ? html` aria-current="page"` : ''}>${label}</a>`;
  const content = html`<div class="app">
<header class="topbar">
  <a class="brand" href="/app"><span class="logo" aria-hidden="true">SL</span>Scope Ledger</a>
  <nav class="mainnav" aria-label="Main">${nav('/app', 'Portfolio', 'portfolio')}${
    can(viewer, 'finance') ? nav('/app/finance', 'Finance', 'finance') : ''
  }</nav>
  <div class="who">
    <span class="who-name">${viewer.staff.name}</span><span class="role">${viewer.staff.role}</span>
    <form method="post" action="/app/sign-out">
      ${csrfField(viewer.csrfToken)}<button type="submit" class="quiet">Sign out</button>
    </form>
  </div>
</header>
<main class="main" id="main">
  ${
    options.crumbs?.length
      ? html`<nav class="crumbs" aria-label="Breadcrumb">${options.crumbs.map(
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
