import { checkCompanyLogo, DocumentCompany, sha256Hex } from '@scope-ledger/documents';
import {
  CompanyLogo,
  CompanySettings,
  CompanySettingsChanges,
  conflict,
  DEFAULT_TERMS,
  DomainError,
  MAX_LOGO_BYTES,
  SignerVerification,
} from '@scope-ledger/domain';
import { migrate, Migration, SqlClient } from '@scope-ledger/event-store';
import { MailFrom, MailIdentity, MailTransportSettings, SmtpServer } from '@scope-ledger/notifications';
import { CommandContext, CompanyCommands, CompanyOutcome } from '@scope-ledger/platform';
import { ServerConfig } from '../config';
import { DocumentStore } from '../change-orders/document-store';
import { ProblemException } from '../http/problem-details.filter';

const migrations: Migration[] = [
  {
    id: 'company/001-secrets',
    // Secrets of the company settings, kept out of the event stream so that no export or audit trail holds them.
    sql: `CREATE TABLE company_secrets (
      name text PRIMARY KEY,
      value text NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`,
  },
];

const SMTP_PASSWORD = 'smtp_password';

/** The settings in force: what is stored, with the environment filling what was never set. */
export interface CompanyInForce {
  /** The stream's revision: the ETag of GET /api/admin/company. */
  readonly revision: bigint;
  readonly stored: CompanySettings;
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly address?: string;
  readonly logo?: CompanyLogo & { readonly base64: string };
  readonly brandColour?: string;
  readonly paymentTerms: string;
  readonly expiryDays?: number;
  readonly tsaUrl?: string;
  readonly signerVerification: SignerVerification;
  readonly smtp?: SmtpServer;
  readonly mailFrom: MailFrom;
  readonly smtpPasswordSet: boolean;
}

/** A change as the API takes it: the logo as a data: URL (PNG or JPEG), the SMTP password apart from the rest. */
export type CompanySettingsInput = Omit<CompanySettingsChanges, 'logo'> & {
  logo?: string | null;
  smtpPassword?: string | null;
};

/**
 * The company's settings as the rest of the server uses them. The rule: a stored setting wins; one never stored
 * takes its environment variable (MSP_NAME, MSP_EMAIL, TSA_URL, SIGNER_VERIFICATION_DEFAULT, SMTP_URL, MAIL_FROM),
 * so a scripted install still starts from the environment and the admin page takes over field by field.
 */
export class CompanySettingsService {
  private readonly logos = new Map<string, string>();
  private listeners: ((company: CompanyInForce) => void)[] = [];
  private applied?: string;
  private latest?: CompanyInForce;

  constructor(
    private readonly commands: CompanyCommands,
    private readonly sql: SqlClient,
    private readonly documents: DocumentStore,
    private readonly config: ServerConfig,
  ) {}

  async prepare(): Promise<void> {
    await migrate(this.sql, migrations);
  }

  /** Called with the settings now in force whenever they differ from the last ones seen (the SMTP transport). */
  onChange(listener: (company: CompanyInForce) => void): void {
    this.listeners.push(listener);
  }

  async current(): Promise<CompanyInForce> {
    const { state, revision } = await this.commands.load();
    const password = await this.smtpPassword();
    const company = await this.inForce(state.settings, revision, password);
    this.latest = company;
    const stamp = `${revision}:${password === undefined ? '' : sha256Hex(Buffer.from(password, 'utf8'))}`;
    if (stamp !== this.applied) {
      this.applied = stamp;
      for (const listener of this.listeners) listener(company);
    }
    return company;
  }

  async change(input: CompanySettingsInput, now: string, context: CommandContext): Promise<CompanyOutcome> {
    const { logo, smtpPassword, ...rest } = input;
    const changes: CompanySettingsChanges = { ...rest };
    if (logo !== undefined) changes.logo = logo === null ? null : await this.storeLogo(logo);
    const outcome = await this.commands.execute({ type: 'ChangeCompanySettings', now, changes }, context);
    if (smtpPassword !== undefined) await this.setSmtpPassword(smtpPassword);
    await this.current();
    return outcome;
  }

  /** The company as an order issued now prints it; nothing is issued without a name and contact email. */
  async forIssue(): Promise<DocumentCompany> {
    const company = await this.current();
    if (!company.name || !company.email)
      throw conflict(
        'Set the company name and contact email (on the company settings page, or MSP_NAME and MSP_EMAIL) ' +
          'before issuing change orders',
      );
    return documentCompany(company, company.name);
  }

  /** For a draft's preview: names what is missing instead of refusing. */
  async forPreview(): Promise<DocumentCompany> {
    const company = await this.current();
    return documentCompany(company, company.name || 'Company name not set (company settings or MSP_NAME)');
  }

  async mailIdentity(): Promise<MailIdentity> {
    return mailIdentityOf(await this.current(), this.config.publicUrl);
  }

  /**
   * The emails' identity from the settings last read, without a query: the event processor asks inside its
   * transaction. Issuing reads the settings first; other servers' changes arrive with the periodic refresh.
   */
  lastMailIdentity(): MailIdentity {
    const company = this.latest;
    if (company) return mailIdentityOf(company, this.config.publicUrl);
    return { mspName: this.config.mspName ?? '', publicUrl: this.config.publicUrl };
  }

  private async inForce(
    stored: CompanySettings,
    revision: bigint,
    password: string | undefined,
  ): Promise<CompanyInForce> {
    const env = this.config;
    const name = stored.name ?? env.mspName;
    const logo = stored.logo && { ...stored.logo, base64: await this.logoBase64(stored.logo) };
    const tsaUrl = stored.tsaUrl === undefined ? env.tsaUrl : stored.tsaUrl || undefined;
    return {
      revision,
      stored,
      name,
      email: stored.email ?? env.mspEmail,
      phone: stored.phone,
      address: stored.address,
      ...(logo?.base64 ? { logo } : {}),
      brandColour: stored.brandColour,
      paymentTerms: stored.paymentTerms ?? DEFAULT_TERMS,
      expiryDays: stored.expiryDays,
      tsaUrl,
      signerVerification: stored.signerVerification ?? env.signerVerificationDefault,
      smtp: smtpServer(stored, password) ?? env.smtpUrl,
      mailFrom: mailFrom(stored, name, env.mailFrom),
      smtpPasswordSet: password !== undefined,
    };
  }

  /** A data: URL of a PNG or JPEG of at most 200 kB, checked as pdfkit will draw it, kept by its SHA-256. */
  private async storeLogo(dataUrl: string): Promise<CompanyLogo> {
    const refuse = (message: string) => new DomainError('invalid', message, 'logo');
    const match = /^data:(image\/(?:png|jpeg));base64,([A-Za-z0-9+/]+={0,2})$/.exec(dataUrl.trim());
    if (!match) throw refuse('The logo must be a PNG or JPEG image sent as a data: URL (data:image/png;base64,…)');
    const bytes = Buffer.from(match[2], 'base64');
    if (bytes.length > MAX_LOGO_BYTES)
      throw refuse(
        `The logo must be at most ${MAX_LOGO_BYTES / 1024} kB; this one is ${Math.ceil(bytes.length / 1024)} kB`,
      );
    const checked = checkCompanyLogo(bytes);
    if (!checked.usable) throw refuse(`The logo cannot be used: ${checked.reason}`);
    const sha256 = await this.documents.put(bytes, undefined, checked.mediaType);
    this.logos.set(sha256, bytes.toString('base64'));
    return { sha256, mediaType: checked.mediaType, bytes: bytes.length };
  }

  private async logoBase64(logo: CompanyLogo): Promise<string> {
    const known = this.logos.get(logo.sha256);
    if (known) return known;
    const stored = await this.documents.get(logo.sha256);
    const base64 = stored ? stored.content.toString('base64') : '';
    if (base64) this.logos.set(logo.sha256, base64);
    return base64;
  }

  private async smtpPassword(): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ value: string }>(`SELECT value FROM company_secrets WHERE name = $1`, [
      SMTP_PASSWORD,
    ]);
    return rows[0]?.value;
  }

  private async setSmtpPassword(password: string | null): Promise<void> {
    if (password === null || password === '') {
      await this.sql.query(`DELETE FROM company_secrets WHERE name = $1`, [SMTP_PASSWORD]);
      return;
    }
    if (password.length > 500 || /[\u0000-\u001f\u007f]/.test(password))
      throw new ProblemException(400, 'Invalid request', 'smtpPassword is at most 500 characters on one line', [
        { field: 'smtpPassword', message: 'smtpPassword is at most 500 characters on one line' },
      ]);
    await this.sql.query(
      `INSERT INTO company_secrets (name, value) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, changed_at = now()`,
      [SMTP_PASSWORD, password],
    );
  }
}

/** What documents print of the company: frozen into the order's model when it is issued. */
function documentCompany(company: CompanyInForce, name: string): DocumentCompany {
  return {
    name,
    ...(company.email ? { email: company.email } : {}),
    ...(company.phone ? { phone: company.phone } : {}),
    ...(company.address ? { address: company.address } : {}),
    ...(company.logo ? { logo: { mediaType: company.logo.mediaType, base64: company.logo.base64 } } : {}),
    ...(company.brandColour ? { brandColour: company.brandColour } : {}),
  };
}

export function mailIdentityOf(company: CompanyInForce, publicUrl: string): MailIdentity {
  const name = company.name ?? '';
  const signature = [name, ...(company.address?.split('\n') ?? []), company.phone, company.email].filter(
    (line): line is string => line !== undefined && line !== '',
  );
  return { mspName: name, publicUrl, signature, ...(company.brandColour ? { brandColour: company.brandColour } : {}) };
}

/** The stored SMTP server, when a host is stored; the port defaults to 465 with TLS, 587 without. */
function smtpServer(stored: CompanySettings, password: string | undefined): SmtpServer | undefined {
  if (!stored.smtpHost) return undefined;
  const secure = stored.smtpSecure ?? false;
  return {
    host: stored.smtpHost,
    port: stored.smtpPort ?? (secure ? 465 : 587),
    secure,
    ...(stored.smtpUser ? { auth: { user: stored.smtpUser, pass: password ?? '' } } : {}),
  };
}

/** The stored From address with the company's name; MAIL_FROM as it is when neither is stored. */
function mailFrom(stored: CompanySettings, name: string | undefined, envFrom: string): MailFrom {
  if (!stored.mailFrom && !stored.name) return envFrom;
  const envAddress = /<([^<>]+)>\s*$/.exec(envFrom)?.[1] ?? envFrom.trim();
  const envName = /^\s*"?([^"<]*?)"?\s*</.exec(envFrom)?.[1] ?? 'Scope Ledger';
  return { name: name ?? envName, address: stored.mailFrom ?? envAddress };
}

export function mailTransportOf(company: CompanyInForce): MailTransportSettings {
  return { smtp: company.smtp, from: company.mailFrom };
}
