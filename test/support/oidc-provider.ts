import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface ProviderAccount {
  email: string;
  password: string;
  name: string;
  emailVerified?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/** A port nobody listens on now, for a server whose address must be known before it starts. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

/**
 * A real OpenID provider (the oidc-provider package) in a child process on 127.0.0.1, with one confidential
 * client whose only redirect URI is `redirectUri`, and the given accounts on its login form.
 */
export async function startOidcProvider(options: {
  redirectUri: string;
  accounts: ProviderAccount[];
}): Promise<TestOidcProvider> {
  const settings = { clientId: 'scope-ledger', clientSecret: 'test-client-secret-0123456789', ...options };
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, 'oidc-provider', 'server.mjs'), JSON.stringify(settings)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } },
  );
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`The OpenID provider did not start in 15 s: ${errors}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n')) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { issuer: string }).issuer);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The OpenID provider stopped (${code}): ${errors}`));
    });
  });
  return {
    issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
