import { html } from '../../signing/html';
import { csrfField } from './forms';
import { bareShell } from './layout';

export function signInPage(args: { csrfToken: string; next?: string; error?: string; notice?: string }): string {
  const invalid = Boolean(args.error);
  return bareShell(
    'Sign in',
    html`<section class="panel sign-in">
  <p class="brand-line"><span class="logo" aria-hidden="true">SL</span>Scope Ledger</p>
  <h1>Sign in</h1>
  <p class="muted">Use the API key an administrator issued to you.
  The key itself is never stored in your browser; the session lasts 12 hours.</p>
  ${args.notice ? html`<div class="notice ok" role="status">${args.notice}</div>` : ''}
  <form method="post" action="/app/sign-in" class="stack">
    ${csrfField(args.csrfToken)}
    ${args.next ? html`<input type="hidden" name="next" value="${args.next}">` : ''}
    <div class="field${invalid ? ' has-error' : ''}">
      <label for="sign-in-key">API key</label>
      <input type="password" id="sign-in-key" name="key" autocomplete="current-password" required
        spellcheck="false"${invalid ? html` aria-invalid="true" aria-describedby="sign-in-key-error"` : ''}>
      ${invalid ? html`<p class="field-error" id="sign-in-key-error">${args.error}</p>` : ''}
    </div>
    <button type="submit" class="primary wide">Sign in</button>
  </form>
</section>`,
  );
}
