import { html } from '../../signing/html';
import { bareShell } from './layout';

/** The sign-in page's way to the identity provider: a link, since the issuer is another site. */
export function singleSignOnButton(label: string, next?: string) {
  const href = next ? `/app/sign-in/oidc?next=${encodeURIComponent(next)}` : '/app/sign-in/oidc';
  return html`<p><a class="button wide" href="${href}">${label}</a></p>`;
}

/** A single sign-on that ended without a session: why, and the way back to the sign-in page. */
export function signInRefusedPage(status: number, title: string, detail: string): string {
  return bareShell(
    title,
    html`<section class="panel error-panel">
    <p class="eyebrow">Error ${status}</p>
    <h1>${title}</h1>
    <p role="alert">${detail}</p>
    <p><a href="/app/sign-in">Back to sign-in</a></p>
  </section>`,
  );
}
