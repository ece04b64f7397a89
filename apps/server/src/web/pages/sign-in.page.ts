import { html } from '../../signing/html';
import { csrfField } from './forms';
import { bareShell } from './layout';
import { singleSignOnButton } from './oidc-sign-in.page';

/** Which credential the refused sign-in was about. */
export type SignInMethod = 'password' | 'key';

/**
 * One form: email and password (and the authenticator code when one is set up), or an API key for integrations
 * and installations from before staff accounts. Whichever was filled in is used.
 */
export function signInPage(args: {
  csrfToken: string;
  next?: string;
  error?: string;
  notice?: string;
  /** The single sign-on button's label, when it is set up. */
  singleSignOn?: string;
  /** The credential the error is about; the password when unset. */
  method?: SignInMethod;
  /** The email typed before, so a refused form keeps it. */
  email?: string;
}): string {
  const passwordError = args.error && args.method !== 'key' ? args.error : undefined;
  const keyError = args.error && args.method === 'key' ? args.error : undefined;
  const invalidPassword = passwordError ? html` aria-invalid="true" aria-describedby="sign-in-password-error"` : '';
  return bareShell(
    'Sign in',
    html`<section class="panel sign-in">
  <p class="brand-line"><span class="logo" aria-hidden="true">SL</span>Scope Ledger</p>
  <h1>Sign in</h1>
  <p class="muted">The session lasts 12 hours.</p>
  ${args.notice ? html`<div class="notice ok" role="status">${args.notice}</div>` : ''}
  ${args.singleSignOn ? singleSignOnButton(args.singleSignOn, args.next) : ''}
  <form method="post" action="/app/sign-in" class="stack">
    ${csrfField(args.csrfToken)}
    ${args.next ? html`<input type="hidden" name="next" value="${args.next}">` : ''}
    <fieldset class="stack">
      <legend>Your account</legend>
      ${passwordError ? html`<p class="field-error" id="sign-in-password-error" role="alert">${passwordError}</p>` : ''}
      <div class="field${passwordError ? ' has-error' : ''}">
        <label for="sign-in-email">Email</label>
        <input type="email" id="sign-in-email" name="email" autocomplete="username" spellcheck="false"
          value="${args.email ?? ''}"${invalidPassword}>
      </div>
      <div class="field${passwordError ? ' has-error' : ''}">
        <label for="sign-in-password">Password</label>
        <input type="password" id="sign-in-password" name="password" autocomplete="current-password"${invalidPassword}>
      </div>
      <div class="field">
        <label for="sign-in-code">Authenticator code</label>
        <input type="text" id="sign-in-code" name="code" inputmode="numeric" maxlength="6"
          autocomplete="one-time-code" spellcheck="false" aria-describedby="sign-in-code-hint">
        <p class="hint" id="sign-in-code-hint">Only if you set up an authenticator app: the 6 digits it shows now.</p>
      </div>
    </fieldset>
    <fieldset class="stack">
      <legend>Or an API key</legend>
      <div class="field${keyError ? ' has-error' : ''}">
        <label for="sign-in-key">API key</label>
        <input type="password" id="sign-in-key" name="key" autocomplete="off"
          spellcheck="false"${keyError ? html` aria-invalid="true" aria-describedby="sign-in-key-error"` : ''}>
        ${keyError ? html`<p class="field-error" id="sign-in-key-error">${keyError}</p>` : ''}
        <p class="hint">For integrations and installations from before staff accounts; the key is never stored in
        your browser.</p>
      </div>
    </fieldset>
    <button type="submit" class="primary wide">Sign in</button>
  </form>
</section>`,
  );
}
