import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_KEY } from '../support/test-server';

const ROOT = join(__dirname, '..', '..');

/**
 * Compiles the server as `npm run build` does, into a folder of its own so that a build
 * running elsewhere in the checkout cannot change it under the test. Returns main.js.
 */
export function buildServer(): { main: string; remove(): void } {
  const out = mkdtempSync(join(tmpdir(), 'scope-ledger-build-'));
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'swc'),
    [
      'apps',
      'libs',
      '-d',
      join(out, 'dist'),
      '--config-file',
      '.swcrc',
      '--copy-files',
      '--extensions',
      '.ts',
      '--quiet',
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
  const main = join(out, 'dist', 'apps', 'server', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`The build did not produce ${main}`);
  return { main, remove: () => rmSync(out, { recursive: true, force: true }) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** `node dist/apps/server/src/main.js` on a data folder, as an operator runs it. */
export class ServerProcess {
  private output = '';
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts the server; resolves once it answers /health (or rejects with what it printed). */
  static async start(main: string, dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
    const server = ServerProcess.spawn(main, dataDir, await freePort(), env);
    const deadline = Date.now() + 60_000;
    let exitCode: number | null | undefined;
    void server.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`The server exited with ${exitCode}:\n${server.log}`);
      const healthy = await fetch(`${server.url}/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (healthy) return server;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    server.kill('SIGKILL');
    throw new Error(`The server did not answer /health within a minute:\n${server.log}`);
  }

  /** Starts the server without waiting for it (to watch it refuse to start). */
  static spawn(main: string, dataDir: string, port: number, env: NodeJS.ProcessEnv = {}): ServerProcess {
    const child = spawn(process.execPath, [main], {
      cwd: tmpdir(),
      env: {
        PATH: process.env.PATH,
        // The build lives outside the checkout; its packages do not.
        NODE_PATH: join(ROOT, 'node_modules'),
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        ADMIN_API_KEY: ADMIN_KEY,
        // Issuing needs the company's name and address.
        MSP_NAME: 'Northwind Managed IT',
        MSP_EMAIL: 'projects@northwind-it.example',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServerProcess(child, `http://127.0.0.1:${port}`);
  }

  get log(): string {
    return this.output;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** A graceful stop, as systemd or Ctrl-C does it. */
  async stop(): Promise<number | null> {
    this.kill('SIGTERM');
    return this.exited;
  }

  async api(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${ADMIN_KEY}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
    };
  }
}
