import { configFromEnv } from '../config';

const ENTRA = {
  OIDC_ISSUER: 'https://login.microsoftonline.com/7f3c0d7e-1b2a-4c5d-9e8f-0a1b2c3d4e5f/v2.0',
  OIDC_CLIENT_ID: '0e4d7a8b-1111-2222-3333-444455556666',
  OIDC_CLIENT_SECRET: 'Xy8Q~client-secret-value',
};

describe('single sign-on settings (OIDC_*)', () => {
  it('are off when no OIDC_ variable is set', () => {
    expect(configFromEnv({}).oidc).toBeUndefined();
  });

  it('read an Entra ID tenant with its defaults: a generic button, every domain, only people already added', () => {
    expect(configFromEnv(ENTRA).oidc).toEqual({
      issuer: ENTRA.OIDC_ISSUER,
      clientId: ENTRA.OIDC_CLIENT_ID,
      clientSecret: ENTRA.OIDC_CLIENT_SECRET,
      buttonLabel: 'Sign in with single sign-on',
      allowedDomains: [],
      defaultRole: undefined,
    });
  });

  it('read the button label, the allowed domains in any case and form, and the role for new people', () => {
    const oidc = configFromEnv({
      ...ENTRA,
      OIDC_ISSUER: 'https://accounts.google.com/',
      OIDC_BUTTON_LABEL: 'Sign in with Google',
      OIDC_ALLOWED_DOMAINS: ' Northwind-IT.example, @northwind.co.uk ,northwind-it.example',
      OIDC_DEFAULT_ROLE: 'finance',
    }).oidc;
    expect(oidc).toMatchObject({
      issuer: 'https://accounts.google.com/',
      buttonLabel: 'Sign in with Google',
      allowedDomains: ['northwind-it.example', 'northwind.co.uk'],
      defaultRole: 'finance',
    });
  });

  it('stop the start naming what is missing when only part is set', () => {
    expect(() => configFromEnv({ OIDC_ISSUER: ENTRA.OIDC_ISSUER })).toThrow(
      'Single sign-on needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET as well (OIDC_ISSUER is set)',
    );
    expect(() => configFromEnv({ ...ENTRA, OIDC_CLIENT_SECRET: ' ' })).toThrow(
      'Single sign-on needs OIDC_CLIENT_SECRET as well',
    );
  });

  it('refuse admin as the role for people added by sign-in, and any role but pm or finance', () => {
    expect(() => configFromEnv({ ...ENTRA, OIDC_DEFAULT_ROLE: 'admin' })).toThrow(/cannot be admin/);
    expect(() => configFromEnv({ ...ENTRA, OIDC_DEFAULT_ROLE: 'owner' })).toThrow(
      'OIDC_DEFAULT_ROLE must be pm or finance, got owner',
    );
  });

  it('take a plain http issuer only on this machine', () => {
    expect(configFromEnv({ ...ENTRA, OIDC_ISSUER: 'http://127.0.0.1:4100' }).oidc?.issuer).toBe(
      'http://127.0.0.1:4100',
    );
    expect(() => configFromEnv({ ...ENTRA, OIDC_ISSUER: 'http://login.example.com' })).toThrow(
      'OIDC_ISSUER must use https:// (plain http is accepted only on this machine), got http://login.example.com',
    );
    expect(() => configFromEnv({ ...ENTRA, OIDC_ISSUER: 'login.microsoftonline.com' })).toThrow(
      "OIDC_ISSUER must be the issuer's https:// URL, got login.microsoftonline.com",
    );
  });

  it('refuse an allowed domain that is not a domain, naming it', () => {
    expect(() => configFromEnv({ ...ENTRA, OIDC_ALLOWED_DOMAINS: 'northwind-it.example, *.contoso.com' })).toThrow(
      /not a domain: \*\.contoso\.com$/,
    );
  });
});
