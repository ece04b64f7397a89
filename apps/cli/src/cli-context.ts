import { Writable } from 'node:stream';
import { openPlatform, Platform } from '@scope-ledger/platform';
import { configFromEnv, ServerConfig } from '../../server/src/config';
import { progressBar, ProgressReporter } from './output';

/** What a command needs from the process it runs in; tests supply their own. */
export interface CliContext {
  /** The server's settings, read from the same environment. */
  readonly config: ServerConfig;
  openPlatform(): Promise<Platform>;
  readonly stdout: Writable;
  readonly stderr: Writable;
  progress(label: string): ProgressReporter;
  setExitCode(code: number): void;
}

/** The storage the server would use; fails with the lock's message while a server has the data folder open. */
export function openConfiguredPlatform(config: ServerConfig): Promise<Platform> {
  return openPlatform({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    eventStoreConnectionString: config.eventStoreConnectionString,
    logger: { log: () => undefined, error: (message: string) => process.stderr.write(`${message}\n`) },
  });
}

export function processContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const config = configFromEnv(env);
  return {
    config,
    openPlatform: () => openConfiguredPlatform(config),
    stdout: process.stdout,
    stderr: process.stderr,
    progress: progressBar,
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

/** Opens the storage, runs one command on it and always closes it (releasing the data-folder lock). */
export async function withPlatform<T>(cli: CliContext, work: (platform: Platform) => Promise<T>): Promise<T> {
  const platform = await cli.openPlatform();
  try {
    return await work(platform);
  } finally {
    await platform.close();
  }
}

export function print(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
