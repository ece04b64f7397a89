import { invalid } from '../shared/domain-error';
import { SIGNER_VERIFICATIONS } from '../project/events';
import { contrastOnWhite, isHexColour, READABLE_CONTRAST } from './brand-colour';
import { CompanyCommand } from './commands';
import {
  CompanyEvent,
  companyEvent,
  CompanyLogo,
  CompanySettingName,
  CompanySettings,
  CompanySettingsChanges,
} from './events';
import { CompanyState } from './state';

/** Largest logo accepted: it is embedded in every order issued, so it stays small. */
export const MAX_LOGO_BYTES = 200 * 1024;

/** One DNS label: letters, digits and inner dashes. */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(`^[^\\s@<>()",;:]{1,64}@${LABEL}(?:\\.${LABEL})+$`);
const HOST = new RegExp(`^${LABEL}(?:\\.${LABEL})*$|^\\[[0-9A-Fa-f:.]{2,45}\\]$`);
const PHONE = /^[0-9+()./ -]{3,40}$|^[0-9+()./ -]{3,30} ?(?:ext\.?|x) ?[0-9]{1,6}$/i;
// Tab, line breaks and the bidirectional overrides would print other than they read.
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

export function decideCompany(command: CompanyCommand, state: CompanyState): CompanyEvent[] {
  switch (command.type) {
    case 'ChangeCompanySettings':
      return changeCompanySettings(command, state);
    default: {
      const unknown: never = command.type;
      throw new Error(`Unknown command ${String(unknown)}`);
    }
  }
}

/** One event with only the settings that differ from what is stored; nothing when nothing differs. */
function changeCompanySettings(command: CompanyCommand, state: CompanyState): CompanyEvent[] {
  const changes: Record<string, unknown> = {};
  for (const name of Object.keys(command.changes) as CompanySettingName[]) {
    if (!Object.hasOwn(CHECKS, name)) throw invalid(`${name} is not a company setting`, name);
    const given = command.changes[name];
    if (given === undefined) continue;
    const value = given === null ? null : (CHECKS[name] as (value: unknown) => unknown)(given);
    const stored = state.settings[name];
    if (value === null ? stored === undefined : sameValue(value, stored)) continue;
    changes[name] = value;
  }
  if (Object.keys(changes).length === 0) return [];
  return [
    companyEvent('CompanySettingsChanged', { changes: changes as CompanySettingsChanges, changedAt: command.now }),
  ];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null)
    return (a as CompanyLogo).sha256 === (b as CompanyLogo).sha256;
  return a === b;
}

type Check<K extends CompanySettingName> = (value: unknown) => NonNullable<CompanySettings[K]>;

/** Each setting's rule, which also gives its stored form (trimmed, lower-case colour). */
const CHECKS: { readonly [K in CompanySettingName]-?: Check<K> } = {
  name: (value) => text(value, 'name', 200, 'The company name is 1 to 200 characters on one line'),
  email: (value) => emailAddress(value, 'email'),
  phone: (value) => {
    const phone = text(value, 'phone', 40, 'A phone number is at most 40 characters');
    if (!PHONE.test(phone))
      throw invalid('A phone number has digits, spaces, + ( ) - . / and an optional ext.', 'phone');
    return phone;
  },
  address: (value) => {
    const address = multiline(value, 'address', 500, 'The address is at most 500 characters');
    if (address === '') throw invalid('The address must not be empty; send null to remove it', 'address');
    if (address.split('\n').length > 6) throw invalid('The address is at most 6 lines', 'address');
    return address;
  },
  logo: (value) => logo(value),
  brandColour: (value) => {
    if (typeof value !== 'string' || !isHexColour(value.trim()))
      throw invalid('The brand colour is a hex colour such as #1d4ed8', 'brandColour');
    const colour = value.trim().toLowerCase();
    const contrast = contrastOnWhite(colour);
    if (contrast < READABLE_CONTRAST)
      throw invalid(
        `The brand colour ${colour} is too light to read on white (contrast ${contrast.toFixed(2)}:1, ` +
          `at least ${READABLE_CONTRAST}:1 is needed); choose a darker shade`,
        'brandColour',
      );
    return colour;
  },
  paymentTerms: (value) => {
    const terms = multiline(value, 'paymentTerms', 4000, 'The payment terms are at most 4000 characters');
    if (terms === '')
      throw invalid('The payment terms must not be empty; send null to use the standard terms', 'paymentTerms');
    return terms;
  },
  expiryDays: (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 365)
      throw invalid('The default expiry is a whole number of days from 1 to 365', 'expiryDays');
    return value;
  },
  tsaUrl: (value) => {
    if (typeof value !== 'string')
      throw invalid('The time-stamp authority is an https:// URL, or empty for none', 'tsaUrl');
    const url = value.trim();
    if (url === '') return '';
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (parsed?.protocol !== 'https:' || url.length > 500 || parsed.username || parsed.password)
      throw invalid('The time-stamp authority is an https:// URL without a password, or empty for none', 'tsaUrl');
    return url;
  },
  signerVerification: (value) => {
    const found = SIGNER_VERIFICATIONS.find((method) => method === value);
    if (!found)
      throw invalid(`signerVerification must be one of ${SIGNER_VERIFICATIONS.join(', ')}`, 'signerVerification');
    return found;
  },
  smtpHost: (value) => {
    const host = text(value, 'smtpHost', 253, 'The SMTP host is a host name or address');
    if (!HOST.test(host))
      throw invalid('The SMTP host is a host name or address, such as smtp.office365.com', 'smtpHost');
    return host;
  },
  smtpPort: (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535)
      throw invalid('The SMTP port is a whole number from 1 to 65535 (587 or 465, usually)', 'smtpPort');
    return value;
  },
  smtpSecure: (value) => {
    if (typeof value !== 'boolean')
      throw invalid('smtpSecure is true (TLS from the start, port 465) or false', 'smtpSecure');
    return value;
  },
  smtpUser: (value) => text(value, 'smtpUser', 200, 'The SMTP user name is 1 to 200 characters'),
  mailFrom: (value) => emailAddress(value, 'mailFrom'),
};

function text(value: unknown, field: string, max: number, message: string): string {
  if (typeof value !== 'string') throw invalid(message, field);
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > max || CONTROL.test(trimmed) || trimmed.includes('\n'))
    throw invalid(message, field);
  return trimmed;
}

function multiline(value: unknown, field: string, max: number, message: string): string {
  if (typeof value !== 'string') throw invalid(message, field);
  const lines = value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim());
  const joined = lines.join('\n').trim();
  if (joined.length > max || CONTROL.test(joined)) throw invalid(message, field);
  return joined;
}

function emailAddress(value: unknown, field: string): string {
  const message = `${field} must be an email address such as projects@msp.example`;
  const address = text(value, field, 254, message);
  if (!EMAIL.test(address)) throw invalid(message, field);
  return address;
}

function logo(value: unknown): CompanyLogo {
  const { sha256, mediaType, bytes } = (value ?? {}) as Partial<CompanyLogo>;
  if (mediaType !== 'image/png' && mediaType !== 'image/jpeg')
    throw invalid('The logo must be a PNG or JPEG image', 'logo');
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) throw invalid('The logo needs its SHA-256', 'logo');
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1 || bytes > MAX_LOGO_BYTES)
    throw invalid(`The logo must be at most ${MAX_LOGO_BYTES / 1024} kB`, 'logo');
  return { sha256, mediaType, bytes };
}
