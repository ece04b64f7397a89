import { configFromEnv } from './config';

describe('SIGNER_VERIFICATION_DEFAULT', () => {
  it('defaults to none, the link alone', () => {
    expect(configFromEnv({}).signerVerificationDefault).toBe('none');
  });

  it('takes email_code when the server can email the code', () => {
    const config = configFromEnv({ SIGNER_VERIFICATION_DEFAULT: 'email_code', SMTP_URL: 'smtp://127.0.0.1:2525' });
    expect(config.signerVerificationDefault).toBe('email_code');
  });

  it('stops the start on email_code without SMTP_URL, rather than leave every signer without a code', () => {
    expect(() => configFromEnv({ SIGNER_VERIFICATION_DEFAULT: 'email_code' })).toThrow(
      new Error('SIGNER_VERIFICATION_DEFAULT=email_code needs SMTP_URL: the one-time code is emailed to the signer'),
    );
  });
});
