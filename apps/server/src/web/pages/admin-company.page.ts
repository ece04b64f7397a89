import { CompanySettings, contrastOnWhite, SIGNER_VERIFICATIONS } from '@scope-ledger/domain';
import type { CompanyInForce } from '../../company/company-settings.service';
import { colourImage } from '../../signing/signing-page';
import { html, Html } from '../../signing/html';
import {
  checkboxField,
  FormFailure,
  FormValues,
  FormView,
  inputField,
  postForm,
  selectField,
  textareaField,
} from './forms';
import { pageHead, shell, Viewer } from './layout';

/** Each setting of the form: its label and how its stored value reads as form text. */
const SETTINGS: { name: keyof CompanySettings; label: string }[] = [
  { name: 'name', label: 'Company name' },
  { name: 'email', label: 'Contact email' },
  { name: 'phone', label: 'Phone' },
  { name: 'address', label: 'Address' },
  { name: 'logo', label: 'Logo' },
  { name: 'brandColour', label: 'Brand colour' },
  { name: 'paymentTerms', label: 'Default terms' },
  { name: 'expiryDays', label: 'Days to sign' },
  { name: 'tsaUrl', label: 'Time-stamp authority' },
  { name: 'signerVerification', label: 'Signer verification' },
  { name: 'smtpHost', label: 'SMTP host' },
  { name: 'smtpPort', label: 'SMTP port' },
  { name: 'smtpSecure', label: 'SMTP TLS' },
  { name: 'smtpUser', label: 'SMTP user' },
  { name: 'mailFrom', label: 'From address' },
];

/** The stored settings as the form's text; a setting never stored is empty (the environment's value applies). */
export function companyFormValues(stored: CompanySettings): FormValues {
  const values: FormValues = {};
  for (const { name } of SETTINGS) {
    const value = stored[name];
    if (name === 'logo' || value === undefined) continue;
    values[name] = String(value);
  }
  return values;
}

/** A setting someone else changed after the form was rendered: its value now, and whether the form changed it too. */
export interface TheirCompanyChange {
  label: string;
  now: string;
  alsoYours: boolean;
}

/**
 * A form refused because the settings moved on (412), made safe to save again: what the user left as rendered
 * takes the current value; what they changed stays; and what someone else changed is listed.
 */
export function reconcileCompanyForm(
  submitted: FormValues,
  rendered: CompanySettings,
  current: CompanySettings,
): { values: FormValues; theirChanges: TheirCompanyChange[] } {
  const before = companyFormValues(rendered);
  const now = companyFormValues(current);
  const values: FormValues = { ...submitted };
  const theirChanges: TheirCompanyChange[] = [];
  for (const { name, label } of SETTINGS) {
    const renderedValue = name === 'logo' ? (rendered.logo?.sha256 ?? '') : String(before[name] ?? '');
    const nowValue = name === 'logo' ? (current.logo?.sha256 ?? '') : String(now[name] ?? '');
    const yours =
      name === 'logo'
        ? String(submitted.logo ?? '') !== '' || submitted.removeLogo === 'true'
        : String(submitted[name] ?? '') !== renderedValue;
    if (renderedValue !== nowValue) {
      const shown = name === 'logo' ? (current.logo ? 'a new logo' : 'no logo') : nowValue || 'not set';
      theirChanges.push({ label, now: shown, alsoYours: yours });
    }
    if (!yours && name !== 'logo') values[name] = now[name] ?? '';
  }
  return { values, theirChanges };
}

function theirChangesPanel(changes: TheirCompanyChange[] | undefined): Html {
  if (!changes) return html``;
  return html`<section class="panel" id="their-changes" aria-labelledby="their-changes-title">
  <h2 class="h3" id="their-changes-title">Changed by someone else since you opened this page</h2>
  ${
    changes.length === 0
      ? html`<p class="hint">No setting differs; save again to apply your changes.</p>`
      : html`<ul class="plain">${changes.map(
          (change) =>
            html`<li><strong>${change.label}</strong>: now ${change.now}${
              change.alsoYours ? html` (you changed it too: the form keeps your value)` : html` (now in the form)`
            }</li>`,
        )}</ul>`
  }
  <p class="hint">Settings you did not change show their current values; what you changed is kept. Save again to
  apply your changes.</p></section>`;
}

/** "From the environment: …" under a field whose stored value is empty but the environment supplies one. */
function fallback(stored: unknown, inForce: string | undefined, variable: string): string | undefined {
  if (stored !== undefined) return undefined;
  return inForce ? `Not set here: ${variable} gives "${inForce}".` : `Not set here or in ${variable}.`;
}

export function adminCompanyPage(
  viewer: Viewer,
  args: {
    company: CompanyInForce;
    /** The revision the form saves over; a save after someone else's is refused (412). */
    version: string;
    failure?: FormFailure;
    notice?: string;
    problem?: string;
    theirChanges?: TheirCompanyChange[];
  },
): string {
  const { company } = args;
  const { stored } = company;
  const form = FormView.of('company', args.failure, companyFormValues(stored));
  const testForm = FormView.of('test-email', args.failure, {});
  const colour = stored.brandColour;
  const swatch = colour
    ? html`<p class="swatch">${colourImage(colour, 'colour-swatch', `Brand colour ${colour}`)} ${colour}, contrast
        ${contrastOnWhite(colour).toFixed(1)}:1 on white</p>`
    : html`<p class="hint">No brand colour: headings print in black.</p>`;
  const logo = company.logo
    ? html`<p><img class="logo-preview" src="data:${company.logo.mediaType};base64,${company.logo.base64}"
        alt="The current logo"> <span class="muted">${company.logo.mediaType}, ${Math.ceil(
          company.logo.bytes / 1024,
        )} kB</span></p>${checkboxField(form, 'removeLogo', { label: 'Remove the logo' })}`
    : html`<p class="hint">No logo.</p>`;
  const fields = html`<input type="hidden" name="version" value="${args.version}">
  <h2 class="h3">The company on orders, emails and the signing page</h2>
  <div class="grid two">
    ${inputField(form, 'name', { label: 'Company name', hint: fallback(stored.name, company.name, 'MSP_NAME') })}
    ${inputField(form, 'email', {
      label: 'Contact email',
      type: 'email',
      hint: fallback(stored.email, company.email, 'MSP_EMAIL'),
    })}
    ${inputField(form, 'phone', { label: 'Phone', autocomplete: 'tel' })}
    ${textareaField(form, 'address', { label: 'Address', rows: 4, hint: 'Up to 6 lines, printed on every order.' })}
    <div class="field">
      <span class="label">Logo</span>${logo}
      <label for="logo-file">Upload a new logo (PNG or JPEG, at most 200 kB)</label>
      <input type="file" id="logo-file" accept="image/png,image/jpeg" data-logo-file>
      <input type="hidden" name="logo" value="${form.value('logo')}" data-logo-data>
      ${form.errorFor('logo') ? html`<p class="field-error">${form.errorFor('logo')}</p>` : ''}
      <p class="hint" data-logo-status>Printed top left on orders issued from now on; issued orders keep theirs.</p>
    </div>
    <div>${inputField(form, 'brandColour', {
      label: 'Brand colour',
      placeholder: '#1d4ed8',
      hint: 'A hex colour dark enough to read on white (contrast 4.5:1 or more), for headings and rules.',
      attrs: 'pattern="#[0-9a-fA-F]{6}"',
    })}${swatch}</div>
  </div>
  <h2 class="h3">Defaults for new orders</h2>
  <div class="grid two">
    ${textareaField(form, 'paymentTerms', {
      label: 'Default terms',
      rows: 4,
      wrap: 'span-2',
      hint: 'Printed on new orders that name no terms; empty: the standard terms.',
    })}
    ${inputField(form, 'expiryDays', {
      label: 'Days to sign',
      type: 'number',
      attrs: 'min="1" max="365"',
      hint: 'For projects that set no default of their own; empty: 14 days.',
    })}
    ${selectField(
      form,
      'signerVerification',
      [
        { value: '', label: `As the environment says (${company.signerVerification})` },
        ...SIGNER_VERIFICATIONS.map((method) => ({
          value: method,
          label: method === 'none' ? 'The link alone' : 'A one-time code emailed to the signer',
        })),
      ],
      { label: 'Signer verification' },
    )}
    ${inputField(form, 'tsaUrl', {
      label: 'Time-stamp authority',
      type: 'url',
      placeholder: 'https://freetsa.org/tsr',
      hint: fallback(stored.tsaUrl, company.tsaUrl, 'TSA_URL') ?? 'An https:// RFC 3161 service that dates each seal.',
    })}
  </div>
  <h2 class="h3">Email (SMTP)</h2>
  <p class="hint">${
    stored.smtpHost
      ? 'Emails go out through the server below.'
      : company.smtp
        ? 'No server set here: SMTP_URL is used.'
        : 'No SMTP server: emails are held in the outbox.'
  }</p>
  <div class="grid two">
    ${inputField(form, 'smtpHost', { label: 'SMTP host', placeholder: 'smtp.office365.com' })}
    ${inputField(form, 'smtpPort', { label: 'SMTP port', type: 'number', attrs: 'min="1" max="65535"' })}
    ${selectField(
      form,
      'smtpSecure',
      [
        { value: '', label: 'Not set (STARTTLS when offered)' },
        { value: 'false', label: 'STARTTLS when offered (port 587)' },
        { value: 'true', label: 'TLS from the start (port 465)' },
      ],
      { label: 'SMTP TLS' },
    )}
    ${inputField(form, 'smtpUser', { label: 'SMTP user', autocomplete: 'off' })}
    ${inputField(form, 'smtpPassword', {
      label: 'SMTP password',
      type: 'password',
      autocomplete: 'new-password',
      hint: `${company.smtpPasswordSet ? 'Set' : 'Not set'}. Leave empty to keep it; it is never shown again.`,
    })}
    ${checkboxField(form, 'removeSmtpPassword', { label: 'Remove the SMTP password' })}
    ${inputField(form, 'mailFrom', {
      label: 'From address',
      type: 'email',
      hint: 'Emails come from this address under the company name.',
    })}
  </div>
  <div class="actions"><button type="submit" class="primary">Save settings</button></div>`;
  const testEmail = html`<section class="panel" id="test-email"><h2 class="h3">Send a test email</h2>
  ${postForm(
    viewer,
    '/app/admin/company/test-email',
    testForm,
    html`${inputField(testForm, 'to', { label: 'Send to', type: 'email', required: true })}
    <div class="actions"><button type="submit">Send test email</button></div>`,
  )}</section>`;
  const body = html`${pageHead({
    eyebrow: 'Administration',
    title: 'Company settings',
    lead: 'Stored settings win; a setting left empty takes its environment variable, if any.',
  })}
  ${theirChangesPanel(args.theirChanges)}
  <section class="panel">${postForm(viewer, '/app/admin/company', form, fields)}</section>
  ${testEmail}`;
  return shell(viewer, 'Company settings', body, { section: 'company', notice: args.notice, problem: args.problem });
}
