/**
 * Every GET route of the staff pages, with an address to try it at and the roles that may use it (admins may use
 * every page). The role walk checks this list against the routes the server registers, so a new page is added here.
 */
export type StaffRole = 'admin' | 'pm' | 'finance';

/** The records the walk opens pages on, made before it starts. */
export interface WalkIds {
  projectId: string;
  changeRequestId: string;
  /** An issued order (its PDF) and a draft one (its preview). */
  issuedOrderId: string;
  draftOrderId: string;
  cardId: string;
  sku: string;
  client: string;
  keyId: string;
  /** A person on the team (P-n). */
  personId: string;
}

export interface PageRoute {
  /** As the router registers it: `/app/projects/:id`. */
  route: string;
  /** Where to open it. */
  path: (ids: WalkIds) => string;
  /** Who may open it; 'signed-out' pages are for visitors and are only checked to answer below 500. */
  roles: StaffRole[] | 'signed-out';
}

const everyone: StaffRole[] = ['admin', 'pm', 'finance'];
const readers: StaffRole[] = ['admin', 'pm', 'finance'];
const pm: StaffRole[] = ['admin', 'pm'];
const finance: StaffRole[] = ['admin', 'finance'];
const admin: StaffRole[] = ['admin'];

export const PAGE_ROUTES: PageRoute[] = [
  { route: '/app/sign-in', path: () => '/app/sign-in', roles: 'signed-out' },
  { route: '/app/setup', path: () => '/app/setup', roles: 'signed-out' },
  { route: '/app/set-password', path: () => '/app/set-password?token=unknown', roles: 'signed-out' },
  { route: '/app/sign-in/oidc', path: () => '/app/sign-in/oidc', roles: 'signed-out' },
  { route: '/app/sign-in/oidc/callback', path: () => '/app/sign-in/oidc/callback?state=x&code=y', roles: 'signed-out' },
  { route: '/app/account', path: () => '/app/account', roles: everyone },
  { route: '/app', path: () => '/app', roles: readers },
  { route: '/app/projects/new', path: () => '/app/projects/new', roles: pm },
  { route: '/app/projects/:id', path: (i) => `/app/projects/${i.projectId}`, roles: readers },
  {
    route: '/app/projects/:id/change-requests/:crId',
    path: (i) => `/app/projects/${i.projectId}/change-requests/${i.changeRequestId}`,
    roles: readers,
  },
  {
    route: '/app/projects/:id/change-orders/:coId/preview.pdf',
    path: (i) => `/app/projects/${i.projectId}/change-orders/${i.draftOrderId}/preview.pdf`,
    roles: readers,
  },
  {
    route: '/app/projects/:id/change-orders/:coId/pdf',
    path: (i) => `/app/projects/${i.projectId}/change-orders/${i.issuedOrderId}/pdf`,
    roles: readers,
  },
  { route: '/app/projects/:id/audit', path: (i) => `/app/projects/${i.projectId}/audit`, roles: readers },
  { route: '/app/projects/:id/settings', path: (i) => `/app/projects/${i.projectId}/settings`, roles: pm },
  { route: '/app/projects/:id/board', path: (i) => `/app/projects/${i.projectId}/board`, roles: readers },
  {
    route: '/app/projects/:id/board/cards/:cardId',
    path: (i) => `/app/projects/${i.projectId}/board/cards/${i.cardId}`,
    roles: readers,
  },
  { route: '/app/catalogue', path: () => '/app/catalogue', roles: everyone },
  { route: '/app/catalogue/:sku', path: (i) => `/app/catalogue/${i.sku}`, roles: pm },
  { route: '/app/finance', path: () => '/app/finance', roles: finance },
  { route: '/app/finance/export.csv', path: () => '/app/finance/export.csv', roles: finance },
  { route: '/app/finance/exports/quickbooks.csv', path: () => '/app/finance/exports/quickbooks.csv', roles: finance },
  { route: '/app/finance/exports/xero.csv', path: () => '/app/finance/exports/xero.csv', roles: finance },
  { route: '/app/finance/projects/:id', path: (i) => `/app/finance/projects/${i.projectId}`, roles: finance },
  {
    route: '/app/finance/clients/:client',
    path: (i) => `/app/finance/clients/${encodeURIComponent(i.client)}`,
    roles: finance,
  },
  { route: '/app/team', path: () => '/app/team', roles: readers },
  { route: '/app/team/:personId', path: (i) => `/app/team/${i.personId}`, roles: readers },
  { route: '/app/capacity', path: () => '/app/capacity', roles: readers },
  {
    route: '/app/capacity/people/:personId/weeks/:weekOf',
    path: (i) => `/app/capacity/people/${i.personId}/weeks/2026-03-09`,
    roles: readers,
  },
  { route: '/app/admin', path: () => '/app/admin', roles: admin },
  { route: '/app/admin/keys', path: () => '/app/admin/keys', roles: admin },
  { route: '/app/admin/keys/:keyId/revoke', path: (i) => `/app/admin/keys/${i.keyId}/revoke`, roles: admin },
  { route: '/app/admin/outbox', path: () => '/app/admin/outbox', roles: admin },
  { route: '/app/admin/projections', path: () => '/app/admin/projections', roles: admin },
  { route: '/app/admin/projections/rebuild', path: () => '/app/admin/projections/rebuild', roles: admin },
  { route: '/app/admin/audit', path: () => '/app/admin/audit?verify=now', roles: admin },
  { route: '/app/admin/company', path: () => '/app/admin/company', roles: admin },
  { route: '/app/admin/users', path: () => '/app/admin/users', roles: admin },
];
