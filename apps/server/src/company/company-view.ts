import { CompanyInForce } from './company-settings.service';

/** Settings whose value came from the environment because none was stored. */
function fromEnvironment(company: CompanyInForce): string[] {
  const { stored } = company;
  const names: string[] = [];
  if (stored.name === undefined && company.name !== undefined) names.push('name');
  if (stored.email === undefined && company.email !== undefined) names.push('email');
  if (stored.tsaUrl === undefined && company.tsaUrl !== undefined) names.push('tsaUrl');
  if (stored.signerVerification === undefined) names.push('signerVerification');
  if (stored.smtpHost === undefined && company.smtp !== undefined) names.push('smtp');
  if (stored.mailFrom === undefined && stored.name === undefined) names.push('mailFrom');
  return names;
}

/** What GET answers: the settings in force, never a secret (the SMTP password is "set" or "not set"). */
export function companyView(company: CompanyInForce) {
  const { stored } = company;
  const mailFrom =
    typeof company.mailFrom === 'string' ? company.mailFrom : `${company.mailFrom.name} <${company.mailFrom.address}>`;
  return {
    revision: Number(company.revision),
    name: company.name ?? null,
    email: company.email ?? null,
    phone: company.phone ?? null,
    address: company.address ?? null,
    logo: company.logo
      ? { sha256: company.logo.sha256, mediaType: company.logo.mediaType, bytes: company.logo.bytes }
      : null,
    brandColour: company.brandColour ?? null,
    paymentTerms: company.paymentTerms,
    paymentTermsAreStandard: stored.paymentTerms === undefined,
    expiryDays: company.expiryDays ?? null,
    tsaUrl: company.tsaUrl ?? null,
    signerVerification: company.signerVerification,
    smtpHost: stored.smtpHost ?? null,
    smtpPort: stored.smtpPort ?? null,
    smtpSecure: stored.smtpSecure ?? null,
    smtpUser: stored.smtpUser ?? null,
    smtpPassword: company.smtpPasswordSet ? 'set' : 'not set',
    mailFrom,
    sendsEmail: company.smtp !== undefined,
    fromEnvironment: fromEnvironment(company),
  };
}
