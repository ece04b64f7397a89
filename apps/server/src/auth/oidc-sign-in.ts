import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import { migrate, Migration } from '@scope-ledger/event-store';
import { Platform } from '@scope-ledger/platform';
import { ServerConfig } from '../config';
import { PLATFORM, SERVER_CONFIG } from '../platform.token';
import { emailDomain, OidcConfig } from './oidc-config';

/** How long the issuer has to send the browser back: the state, nonce and PKCE verifier live as long. */
export const OIDC_SIGN_IN_SECONDS = 10 * 60;

/** Discovery and each later request to the issuer give up after this many seconds. */
const ISSUER_TIMEOUT_SECONDS = 10;

/** Google names the Workspace domain of an account in the ID token's hd claim. */
const isGoogle = (issuer: string) => new URL(issuer).host === 'accounts.google.com';

const migrations: Migration[] = [
  {
    id: 'auth/002-oidc-sign-ins',
    sql: `CREATE TABLE oidc_sign_ins (
      state_sha256 text PRIMARY KEY,
      code_verifier text NOT NULL,
      nonce text NOT NULL,
      return_to text,
      started_at timestamptz NOT NULL
    );
    CREATE INDEX oidc_sign_ins_started ON oidc_sign_ins (started_at)`,
  },
];

/** The person the issuer vouched for: a verified email in an allowed domain. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string;
  name: string;
}

/**
 * A sign-in through the issuer that ends without a session: the status and sentence for the page, and whether
 * it counts against the address like a wrong password. An issuer that cannot be reached is not the person's fault.
 */
export class OidcSignInRefused extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly countsAsFailure = true,
  ) {
    super(detail);
  }
}

/** The row a sign-in left as it started; `live` when it started under ten minutes ago. */
interface StartedSignIn {
  code_verifier: string;
  nonce: string;
  return_to: string | null;
  live: boolean;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * OpenID Connect sign-in with openid-client: the authorization code flow with PKCE, state and nonce. The state
 * goes to the browser in a cookie and to the issuer in the request; its SHA-256 keys the row holding the nonce
 * and PKCE verifier, deleted as the browser comes back, so each sign-in can be finished once.
 */
@Injectable()
export class OidcSignIn implements OnModuleInit {
  private readonly logger = new Logger('SingleSignOn');
  private discovered?: Promise<client.Configuration>;

  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  get settings(): OidcConfig | undefined {
    return this.config.oidc;
  }

  get redirectUri(): string {
    return `${this.config.publicUrl}/app/sign-in/oidc/callback`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.config.oidc) return;
    await migrate(this.platform.sql, migrations);
    // Discovery starts now but the server does not wait: an issuer that is down must not stop the start.
    void this.configuration().catch(() => undefined);
  }

  /** The issuer's metadata, read once; a failed discovery is tried again by the next sign-in. */
  private configuration(): Promise<client.Configuration> {
    const settings = this.config.oidc!;
    this.discovered ??= client
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        timeout: ISSUER_TIMEOUT_SECONDS,
        // Plain http passed the configuration check only for an issuer on this machine.
        execute: settings.issuer.startsWith('http:') ? [client.allowInsecureRequests] : [],
      })
      .catch((error: Error) => {
        this.discovered = undefined;
        this.logger.warn(`Discovery at ${settings.issuer} failed: ${error.message}`);
        throw new OidcSignInRefused(
          503,
          'Single sign-on is unavailable',
          `Scope Ledger could not reach the sign-in service at ${settings.issuer}. Try again in a minute, ` +
            'or ask an administrator to check OIDC_ISSUER.',
          false,
        );
      });
    return this.discovered;
  }

  /** Where to send the browser, and the state for its cookie. */
  async start(returnTo: string | undefined, now = new Date()): Promise<{ url: URL; state: string }> {
    const settings = this.config.oidc!;
    const configuration = await this.configuration();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    const oldest = new Date(now.getTime() - OIDC_SIGN_IN_SECONDS * 1000).toISOString();
    await this.platform.sql.query(`DELETE FROM oidc_sign_ins WHERE started_at < $1`, [oldest]);
    await this.platform.sql.query(
      `INSERT INTO oidc_sign_ins (state_sha256, code_verifier, nonce, return_to, started_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [sha256(state), verifier, nonce, returnTo ?? null, now.toISOString()],
    );
    const parameters: Record<string, string> = {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    };
    // Google shows only accounts of the Workspace domain; the ID token's hd claim is still checked below.
    if (isGoogle(settings.issuer) && settings.allowedDomains.length === 1) parameters.hd = settings.allowedDomains[0];
    return { url: client.buildAuthorizationUrl(configuration, parameters), state };
  }

  /**
   * The browser is back from the issuer at `callbackUrl`: the state must be the one in its cookie, unused and
   * under ten minutes old; then the code is exchanged and the ID token checked (signature, issuer, audience,
   * expiry, nonce) by openid-client. Answers who signed in and where they were going.
   */
  async finish(
    callbackUrl: URL,
    cookieState: string | undefined,
    now = new Date(),
  ): Promise<{ identity: OidcIdentity; returnTo?: string }> {
    const state = callbackUrl.searchParams.get('state');
    if (!state || !cookieState || state !== cookieState) {
      throw new OidcSignInRefused(
        400,
        'Sign-in not completed',
        'This sign-in was not started in this browser, or its page was opened twice. ' +
          'Start again from the sign-in page.',
      );
    }
    const oldest = new Date(now.getTime() - OIDC_SIGN_IN_SECONDS * 1000).toISOString();
    const { rows } = await this.platform.sql.query<StartedSignIn>(
      `DELETE FROM oidc_sign_ins WHERE state_sha256 = $1
       RETURNING code_verifier, nonce, return_to, started_at >= $2 AS live`,
      [sha256(state), oldest],
    );
    const started = rows[0];
    if (!started?.live) {
      throw new OidcSignInRefused(
        400,
        'Sign-in not completed',
        'This sign-in was already finished, or took longer than 10 minutes. Start again from the sign-in page.',
      );
    }
    const configuration = await this.configuration();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        expectedState: state,
        expectedNonce: started.nonce,
        pkceCodeVerifier: started.code_verifier,
        idTokenExpected: true,
      });
    } catch (error) {
      throw this.refusalOf(error);
    }
    const claims = tokens.claims()!;
    const identity = await this.identityOf(configuration, claims, tokens.access_token);
    return { identity, returnTo: started.return_to ?? undefined };
  }

  private refusalOf(error: unknown): OidcSignInRefused {
    if (error instanceof client.AuthorizationResponseError) {
      const detail = error.error === 'access_denied' ? 'Sign-in was cancelled at the sign-in service.' : '';
      return new OidcSignInRefused(
        401,
        'Sign-in not completed',
        detail || `The sign-in service answered: ${error.error_description ?? error.error}.`,
        error.error !== 'access_denied',
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(`Finishing a sign-in at ${this.config.oidc!.issuer} failed: ${message}`);
    return new OidcSignInRefused(
      502,
      'Sign-in not completed',
      'The answer from the sign-in service could not be checked. Start again from the sign-in page; ' +
        'if it happens again, ask an administrator to look at the server log.',
    );
  }

  /** A verified email in an allowed domain (Google: of the allowed Workspace), and a name to show. */
  private async identityOf(
    configuration: client.Configuration,
    idToken: client.IDToken,
    accessToken: string,
  ): Promise<OidcIdentity> {
    let claims: Record<string, unknown> = idToken;
    // Issuers that keep the ID token small answer the email from the userinfo endpoint instead.
    if (typeof claims.email !== 'string') {
      const userInfo = await client.fetchUserInfo(configuration, accessToken, idToken.sub).catch((error: unknown) => {
        throw this.refusalOf(error);
      });
      claims = { ...userInfo, ...idToken };
    }
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!email.includes('@')) {
      throw new OidcSignInRefused(
        403,
        'Not signed in',
        'The sign-in service did not give an email address for your account, so Scope Ledger cannot tell who you are.',
      );
    }
    // Entra ID vouches for an email with xms_edov (the email domain's owner is verified) instead of email_verified.
    const verified = [claims.email_verified, claims.xms_edov].some((flag) => flag === true || flag === 'true');
    if (!verified) {
      throw new OidcSignInRefused(
        403,
        'Not signed in',
        `The sign-in service has not verified ${email}; only verified email addresses can sign in.`,
      );
    }
    const settings = this.config.oidc!;
    // For Google, the account's Workspace: a personal Google account may carry a work address.
    const hostedDomain = typeof claims.hd === 'string' ? claims.hd.toLowerCase() : '';
    const domain = isGoogle(settings.issuer) ? hostedDomain : emailDomain(email);
    if (settings.allowedDomains.length > 0 && !settings.allowedDomains.includes(domain)) {
      throw new OidcSignInRefused(
        403,
        'Not signed in',
        `${email} is not in a domain allowed to sign in to Scope Ledger (${settings.allowedDomains.join(', ')}).`,
      );
    }
    // Staff names are at most 200 characters; the issuer's may be longer.
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;
    return { issuer: settings.issuer, subject: idToken.sub, email, name };
  }
}
