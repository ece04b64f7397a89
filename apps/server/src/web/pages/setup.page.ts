import { html } from '../../signing/html';
import { MIN_PASSWORD_LENGTH } from '../../auth/staff-users.service';
import { csrfField, FormFailure, FormView, inputField } from './forms';
import { bareShell } from './layout';

const PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words make a good one.`;

/** The new password and its repetition, as the setup and set-password forms ask for them. */
function newPasswordFields(form: FormView) {
  const field = { type: 'password', required: true, autocomplete: 'new-password' } as const;
  return html`${inputField(form, 'password', { ...field, label: 'Password', hint: PASSWORD_HINT })}
    ${inputField(form, 'passwordAgain', { ...field, label: 'Password again' })}`;
}

/** The first start's page: the owner account, an admin who then adds everyone else. */
export function setupPage(args: { csrfToken: string; failure?: FormFailure }): string {
  const form = FormView.of('setup', args.failure);
  return bareShell(
    'Set up Scope Ledger',
    html`<section class="panel sign-in">
  <p class="brand-line"><span class="logo" aria-hidden="true">SL</span>Scope Ledger</p>
  <h1>Create the owner account</h1>
  <p class="muted">The owner is an admin: they add the other staff, set roles and manage API keys.
  This page is open until the owner account exists.</p>
  <form method="post" action="/app/setup" class="stack" novalidate>
    ${csrfField(args.csrfToken)}${form.summary()}
    ${inputField(form, 'name', { label: 'Your name', required: true, autocomplete: 'name' })}
    ${inputField(form, 'email', { label: 'Email', type: 'email', required: true, autocomplete: 'username' })}
    ${newPasswordFields(form)}
    <button type="submit" class="primary wide">Create the owner account</button>
  </form>
</section>`,
  );
}

/** A set-password link's page, from `users add` or the users page. */
export function setPasswordPage(args: {
  csrfToken: string;
  token: string;
  name: string;
  email: string;
  failure?: FormFailure;
}): string {
  const form = FormView.of('set-password', args.failure);
  return bareShell(
    'Choose a password',
    html`<section class="panel sign-in">
  <p class="brand-line"><span class="logo" aria-hidden="true">SL</span>Scope Ledger</p>
  <h1>Choose a password</h1>
  <p class="muted">For ${args.name} (${args.email}). This link works once.</p>
  <form method="post" action="/app/set-password" class="stack" novalidate>
    ${csrfField(args.csrfToken)}<input type="hidden" name="token" value="${args.token}">${form.summary()}
    <input type="hidden" name="email" value="${args.email}" autocomplete="username">
    ${newPasswordFields(form)}
    <button type="submit" class="primary wide">Set the password and sign in</button>
  </form>
</section>`,
  );
}
