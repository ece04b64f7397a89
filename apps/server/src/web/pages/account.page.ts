import { StaffUser } from '@scope-ledger/domain';
import { html } from '../../signing/html';
import { MIN_PASSWORD_LENGTH } from '../../auth/staff-users.service';
import { timeTag } from './format';
import { FormFailure, FormView, inputField, postForm } from './forms';
import { pageHead, shell, Viewer } from './layout';

const passwordField = (form: FormView, name: string, label: string, hint?: string) =>
  inputField(form, name, {
    label,
    type: 'password',
    required: true,
    autocomplete: name === 'current' ? 'current-password' : 'new-password',
    hint,
  });

/**
 * My account: change the password; turn the authenticator app (TOTP) on or off. While an enrolment is under way
 * the secret and its otpauth URI are shown as text, to type or paste into the app, with a field for its first code.
 */
export function accountPage(
  viewer: Viewer,
  args: { user?: StaffUser; pendingTotp?: { secret: string; uri: string }; failure?: FormFailure; notice?: string },
): string {
  const { user } = args;
  if (!user) {
    const body = html`${pageHead({ eyebrow: 'My account', title: viewer.staff.name })}
<section class="panel"><p class="panel-text">You signed in with an API key. Passwords and authenticator apps
belong to staff accounts: sign in with your email to change them.</p></section>`;
    return shell(viewer, 'My account', body, { notice: args.notice });
  }
  const passwordForm = FormView.of('password', args.failure);
  const totpForm = FormView.of('totp', args.failure);
  const password = html`<section class="panel" id="password"><h2>Password</h2>
  <p class="panel-text muted">${
    user.passwordSetAt ? html`Last set ${timeTag(user.passwordSetAt)}.` : 'You have no password yet.'
  }</p>
  ${postForm(
    viewer,
    '/app/account/password',
    passwordForm,
    html`${user.passwordSetAt ? passwordField(passwordForm, 'current', 'Current password') : ''}
    ${passwordField(passwordForm, 'password', 'New password', `At least ${MIN_PASSWORD_LENGTH} characters.`)}
    ${passwordField(passwordForm, 'passwordAgain', 'New password again')}
    <div class="actions"><button type="submit" class="primary">Change the password</button></div>`,
  )}</section>`;
  const pending = args.pendingTotp;
  const totp = user.totpEnrolledAt
    ? html`<section class="panel" id="totp"><h2>Authenticator app</h2>
  <p class="panel-text">On since ${timeTag(user.totpEnrolledAt)}: signing in asks for its 6-digit code.</p>
  ${postForm(
    viewer,
    '/app/account/totp/remove',
    totpForm,
    html`<div class="actions"><button type="submit" class="danger">Turn the authenticator app off</button></div>`,
  )}</section>`
    : pending
      ? html`<section class="panel" id="totp"><h2>Set up an authenticator app</h2>
  <p class="panel-text">Add this account to your authenticator app (Microsoft Authenticator, Google Authenticator,
  1Password and the like) with the secret below, or paste the otpauth address into an app that takes one.</p>
  <dl class="facts">
    <dt>Secret</dt><dd class="mono" id="totp-secret">${pending.secret}</dd>
    <dt>otpauth address</dt><dd class="mono break" id="totp-uri">${pending.uri}</dd>
  </dl>
  ${postForm(
    viewer,
    '/app/account/totp/confirm',
    totpForm,
    html`${inputField(totpForm, 'code', {
      label: 'Code from the app',
      required: true,
      autocomplete: 'one-time-code',
      attrs: 'inputmode="numeric" maxlength="6"',
      hint: 'The 6 digits the app shows now; this turns the code on for signing in.',
    })}
    <div class="actions"><button type="submit" class="primary">Turn on</button></div>`,
  )}</section>`
      : html`<section class="panel" id="totp"><h2>Authenticator app</h2>
  <p class="panel-text muted">Off. With it on, signing in also asks for a 6-digit code from an app on your phone.</p>
  ${postForm(
    viewer,
    '/app/account/totp',
    undefined,
    html`<div class="actions"><button type="submit">Set up an authenticator app</button></div>`,
  )}</section>`;
  const body = html`${pageHead({ eyebrow: 'My account', title: user.name, lead: `${user.email} · ${user.role}` })}
${password}
${totp}`;
  return shell(viewer, 'My account', body, { notice: args.notice });
}
