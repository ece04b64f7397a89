import { RedactingLogger, redactSigningTokens } from './redacting-logger';

const TOKEN = 'Qm9vcy1ub25jZS1mb3ItdGhlLXNpZ25pbmctbGluay0';

describe('signing tokens in logs', () => {
  it('keeps only the first four characters of a token in a signing path or URL', () => {
    expect(redactSigningTokens(`GET /sign/${TOKEN}/document.pdf failed`)).toBe('GET /sign/Qm9v…/document.pdf failed');
    expect(redactSigningTokens(`sent https://ledger.example/sign/${TOKEN} to the signer`)).toBe(
      'sent https://ledger.example/sign/Qm9v… to the signer',
    );
  });

  it('masks messages and stacks written by the Nest logger', () => {
    const written: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      const logger = new RedactingLogger({ colors: false });
      logger.log(`Opened /sign/${TOKEN}`, 'Signing');
      logger.error(`Could not render /sign/${TOKEN}`, `Error: boom\n    at /sign/${TOKEN}`, 'HTTP');
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    const output = written.join('');
    expect(output).toContain('/sign/Qm9v…');
    expect(output).not.toContain(TOKEN);
  });
});
