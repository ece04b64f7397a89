import { DomainError } from '../shared/domain-error';
import { contrastOnWhite } from './brand-colour';
import { CompanyCommand } from './commands';
import { decideCompany } from './decide';
import { companyEvent, CompanyEvent, CompanySettingsChanges } from './events';
import { foldCompany } from './state';

const NOW = '2026-03-01T09:00:00.000Z';
const LATER = '2026-03-02T09:00:00.000Z';
const LOGO = { sha256: 'a'.repeat(64), mediaType: 'image/png' as const, bytes: 4_096 };

const change = (changes: CompanySettingsChanges, now = NOW): CompanyCommand => ({
  type: 'ChangeCompanySettings',
  now,
  changes,
});
const changed = (changes: CompanySettingsChanges, changedAt = NOW) =>
  companyEvent('CompanySettingsChanged', { changes, changedAt });

function given(events: CompanyEvent[]) {
  return {
    when(command: CompanyCommand) {
      const run = () => decideCompany(command, foldCompany(events));
      return {
        then: (expected: CompanyEvent[]) => expect(run()).toEqual(expected),
        thenThrows(fragment: string, field: string) {
          let error: unknown;
          try {
            run();
          } catch (thrown) {
            error = thrown;
          }
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).kind).toBe('invalid');
          expect((error as DomainError).message).toContain(fragment);
          expect((error as DomainError).field).toBe(field);
        },
      };
    },
  };
}

describe('the company settings', () => {
  const named = changed({ name: 'Northwind IT & Cloud', email: 'projects@northwind.example' });

  it('records the name and contact email, trimmed', () => {
    given([])
      .when(change({ name: '  Northwind IT & Cloud ', email: 'projects@northwind.example' }))
      .then([named]);
  });

  it('records only the settings that changed, and nothing when none did', () => {
    given([named])
      .when(change({ name: 'Northwind IT & Cloud', phone: '+1 (206) 555-0100' }, LATER))
      .then([changed({ phone: '+1 (206) 555-0100' }, LATER)]);
    given([named])
      .when(change({ name: 'Northwind IT & Cloud', email: 'projects@northwind.example' }))
      .then([]);
  });

  it('clears a setting with null, and ignores clearing one never set', () => {
    given([named])
      .when(change({ email: null, phone: null }, LATER))
      .then([changed({ email: null }, LATER)]);
    expect(foldCompany([named, changed({ email: null }, LATER)]).settings).toEqual({ name: 'Northwind IT & Cloud' });
  });

  it('keeps a multi-line address with its line breaks, trimmed line by line', () => {
    given([])
      .when(change({ address: ' 1 Harbour Street \r\n Seattle, WA 98101\nUnited States ' }))
      .then([changed({ address: '1 Harbour Street\nSeattle, WA 98101\nUnited States' })]);
  });

  it('takes a brand colour dark enough to read on white, in lower case', () => {
    given([])
      .when(change({ brandColour: '#1D4ED8' }))
      .then([changed({ brandColour: '#1d4ed8' })]);
    // Yellow on white: (1 + 0.05) / (0.9278 + 0.05) = 1.07.
    given([])
      .when(change({ brandColour: '#ffff00' }))
      .thenThrows('too light to read on white (contrast 1.07:1', 'brandColour');
    given([])
      .when(change({ brandColour: 'blue' }))
      .thenThrows('hex colour such as #1d4ed8', 'brandColour');
  });

  it('measures contrast as WCAG 2 does: black 21:1, white 1:1, #767676 just readable', () => {
    expect(contrastOnWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastOnWhite('#ffffff')).toBeCloseTo(1, 5);
    expect(contrastOnWhite('#767676')).toBeGreaterThanOrEqual(4.5);
    expect(contrastOnWhite('#777777')).toBeLessThan(4.5);
  });

  it('takes a time-stamp authority over https only, or empty for none', () => {
    given([])
      .when(change({ tsaUrl: 'https://tsa.example/tsr' }))
      .then([changed({ tsaUrl: 'https://tsa.example/tsr' })]);
    given([])
      .when(change({ tsaUrl: '' }))
      .then([changed({ tsaUrl: '' })]);
    given([])
      .when(change({ tsaUrl: 'http://tsa.example/tsr' }))
      .thenThrows('https:// URL', 'tsaUrl');
    given([])
      .when(change({ tsaUrl: 'https://user:secret@tsa.example' }))
      .thenThrows('without a password', 'tsaUrl');
  });

  it('takes a PNG or JPEG logo of at most 200 kB, known by its SHA-256', () => {
    given([])
      .when(change({ logo: LOGO }))
      .then([changed({ logo: LOGO })]);
    given([changed({ logo: LOGO })])
      .when(change({ logo: { ...LOGO } }))
      .then([]);
    given([])
      .when(change({ logo: { ...LOGO, bytes: 204_801 } }))
      .thenThrows('at most 200 kB', 'logo');
    given([])
      .when(change({ logo: { ...LOGO, mediaType: 'image/gif' as never } }))
      .thenThrows('PNG or JPEG', 'logo');
  });

  it('takes default terms, expiry days and signer verification for new orders', () => {
    given([])
      .when(change({ paymentTerms: 'Net 30 from signature.', expiryDays: 21, signerVerification: 'email_code' }))
      .then([changed({ paymentTerms: 'Net 30 from signature.', expiryDays: 21, signerVerification: 'email_code' })]);
    given([])
      .when(change({ expiryDays: 366 }))
      .thenThrows('from 1 to 365', 'expiryDays');
    given([])
      .when(change({ signerVerification: 'sms' as never }))
      .thenThrows('none, email_code', 'signerVerification');
  });

  it('takes the SMTP host, port, TLS, user and From address', () => {
    const smtp = {
      smtpHost: 'smtp.office365.com',
      smtpPort: 587,
      smtpSecure: false,
      smtpUser: 'ledger@northwind.example',
      mailFrom: 'ledger@northwind.example',
    };
    given([])
      .when(change(smtp))
      .then([changed(smtp)]);
    given([])
      .when(change({ smtpPort: 0 }))
      .thenThrows('from 1 to 65535', 'smtpPort');
    given([])
      .when(change({ smtpHost: 'smtp host' }))
      .thenThrows('host name or address', 'smtpHost');
    given([])
      .when(change({ mailFrom: 'Northwind <ledger@northwind.example>' }))
      .thenThrows('email address', 'mailFrom');
  });

  it('refuses a name that is empty or on two lines, and an unknown setting', () => {
    given([])
      .when(change({ name: '  ' }))
      .thenThrows('1 to 200 characters', 'name');
    given([])
      .when(change({ name: 'North\nwind' }))
      .thenThrows('1 to 200 characters', 'name');
    given([])
      .when(change({ smtpPassword: 'x' } as never))
      .thenThrows('is not a company setting', 'smtpPassword');
  });
});
