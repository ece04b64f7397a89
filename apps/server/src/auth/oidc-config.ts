/** The roles single sign-on may give a person it adds: never admin, which an admin grants by hand. */
export const OIDC_DEFAULT_ROLES = ['pm', 'finance'] as const;
export type OidcDefaultRole = (typeof OIDC_DEFAULT_ROLES)[number];

/** Single sign-on through an OpenID provider (Microsoft Entra ID, Google Workspace or any other issuer). */
export interface OidcConfig {
  /** The issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The sign-in page's button. */
  buttonLabel: string;
  /** Lower-case email domains allowed in; empty allows every domain the issuer vouches for. */
  allowedDomains: string[];
  /** Adds a person the server does not know on their first sign-in, with this role; unset refuses them. */
  defaultRole?: OidcDefaultRole;
}

const VARIABLES = [
  'OIDC_ISSUER',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'OIDC_BUTTON_LABEL',
  'OIDC_ALLOWED_DOMAINS',
  'OIDC_DEFAULT_ROLE',
];

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The OIDC_* variables: undefined when none is set; otherwise all three of issuer, client id and secret, or the
 * start stops naming what is missing or wrong.
 */
export function oidcConfigFromEnv(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const value = (name: string) => env[name]?.trim() || undefined;
  const set = VARIABLES.filter((name) => value(name) !== undefined);
  if (set.length === 0) return undefined;
  const missing = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'].filter((name) => !value(name));
  if (missing.length > 0) {
    const given = `${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set`;
    throw new Error(`Single sign-on needs ${missing.join(' and ')} as well (${given})`);
  }
  return {
    issuer: issuerUrl(value('OIDC_ISSUER')!),
    clientId: value('OIDC_CLIENT_ID')!,
    clientSecret: value('OIDC_CLIENT_SECRET')!,
    buttonLabel: buttonLabel(value('OIDC_BUTTON_LABEL')),
    allowedDomains: allowedDomains(value('OIDC_ALLOWED_DOMAINS')),
    defaultRole: defaultRole(value('OIDC_DEFAULT_ROLE')),
  };
}

/** https only, but for an issuer on this machine (a provider run for development or tests). */
function issuerUrl(text: string): string {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new Error(`OIDC_ISSUER must be the issuer's https:// URL, got ${text}`);
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname))
    throw new Error(`OIDC_ISSUER must use https:// (plain http is accepted only on this machine), got ${text}`);
  if (url.search || url.hash) throw new Error(`OIDC_ISSUER must not have a query or fragment, got ${text}`);
  // As given: discovery compares it with the issuer the metadata names, and some issuers end theirs with a slash.
  return text;
}

function buttonLabel(text: string | undefined): string {
  if (text === undefined) return 'Sign in with single sign-on';
  if (text.length > 60) throw new Error(`OIDC_BUTTON_LABEL must be at most 60 characters, got ${text.length}`);
  return text;
}

function allowedDomains(text: string | undefined): string[] {
  if (text === undefined) return [];
  const domains = text
    .split(',')
    .map((domain) => domain.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  const wrong = domains.filter((domain) => !DOMAIN.test(domain));
  if (wrong.length > 0)
    throw new Error(
      `OIDC_ALLOWED_DOMAINS must be email domains separated by commas, such as contoso.com,contoso.co.uk; ` +
        `not a domain: ${wrong.join(', ')}`,
    );
  return [...new Set(domains)];
}

function defaultRole(text: string | undefined): OidcDefaultRole | undefined {
  if (text === undefined) return undefined;
  const role = OIDC_DEFAULT_ROLES.find((name) => name === text.toLowerCase());
  if (role) return role;
  if (text.toLowerCase() === 'admin')
    throw new Error(
      'OIDC_DEFAULT_ROLE cannot be admin: people added by single sign-on start as pm or finance, ' +
        'and an admin raises their role',
    );
  throw new Error(`OIDC_DEFAULT_ROLE must be pm or finance, got ${text}`);
}

/** The domain of an email address, lower case. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
