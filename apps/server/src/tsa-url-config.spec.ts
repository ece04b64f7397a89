import { configFromEnv } from './config';

describe('TSA_URL', () => {
  it('is optional: without it the seal has no time-stamp authority', () => {
    expect(configFromEnv({}).tsaUrl).toBeUndefined();
  });

  it('takes an http or https URL', () => {
    expect(configFromEnv({ TSA_URL: 'https://tsa.example/tsr' }).tsaUrl).toBe('https://tsa.example/tsr');
    expect(configFromEnv({ TSA_URL: 'http://127.0.0.1:3180' }).tsaUrl).toBe('http://127.0.0.1:3180');
  });

  it.each(['tsa.example', 'ftp://tsa.example/', 'https://'])('stops the start on %s, naming the variable', (value) => {
    expect(() => configFromEnv({ TSA_URL: value })).toThrow(
      new Error(`TSA_URL must be an http:// or https:// URL, got ${value}`),
    );
  });
});
