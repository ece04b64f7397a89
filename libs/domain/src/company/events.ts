import { SignerVerification } from '../project/events';

/** A logo kept by the SHA-256 of its bytes in the document store; the event carries only what names it. */
export interface CompanyLogo {
  readonly sha256: string;
  readonly mediaType: 'image/png' | 'image/jpeg';
  readonly bytes: number;
}

/**
 * What the company says about itself, as stored. A field never set is absent: the server then falls back to its
 * environment (MSP_NAME, TSA_URL, SMTP_URL…). The SMTP password is a secret and never part of these settings.
 */
export interface CompanySettings {
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
  /** Several lines: street, town, country. */
  readonly address?: string;
  readonly logo?: CompanyLogo;
  /** #rrggbb, dark enough to read on white: headings and rules on orders, emails and the signing page. */
  readonly brandColour?: string;
  /** The terms printed on new change orders that name none. */
  readonly paymentTerms?: string;
  /** Days to sign for new orders of projects that set no default of their own. */
  readonly expiryDays?: number;
  /** RFC 3161 time-stamp authority for the seal (https); the empty text means none, whatever TSA_URL says. */
  readonly tsaUrl?: string;
  readonly signerVerification?: SignerVerification;
  readonly smtpHost?: string;
  readonly smtpPort?: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  readonly smtpSecure?: boolean;
  readonly smtpUser?: string;
  /** The address emails come from; the company name is the From name. */
  readonly mailFrom?: string;
}

export type CompanySettingName = keyof CompanySettings;

/** Each changed setting with its new value; null: no longer set (the environment's value applies again). */
export type CompanySettingsChanges = { -readonly [K in CompanySettingName]?: CompanySettings[K] | null };

/** Every fact in the stream `company`. */
export interface CompanyEventMap {
  CompanySettingsChanged: { changes: CompanySettingsChanges; changedAt: string };
}

export type CompanyEventType = keyof CompanyEventMap;

export type CompanyEvent = {
  [K in CompanyEventType]: { readonly type: K; readonly data: CompanyEventMap[K] };
}[CompanyEventType];

export const COMPANY_STREAM_ID = 'company';

export const COMPANY_SCHEMA_VERSIONS: { readonly [K in CompanyEventType]: number } = { CompanySettingsChanged: 1 };

export function companyEvent<K extends CompanyEventType>(
  type: K,
  data: CompanyEventMap[K],
): Extract<CompanyEvent, { type: K }> {
  return { type, data } as Extract<CompanyEvent, { type: K }>;
}

/** A stored event as the company stream reads it: undefined for types it does not know. */
export function toCompanyEvent(type: string, data: unknown): CompanyEvent | undefined {
  if (!Object.hasOwn(COMPANY_SCHEMA_VERSIONS, type)) return undefined;
  return { type, data } as CompanyEvent;
}
