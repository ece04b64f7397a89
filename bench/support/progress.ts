import { nowMs } from './stats';

const started = nowMs();

/** One progress line on stderr, stamped with the seconds since the run began. */
export function progress(message: string): void {
  const seconds = ((nowMs() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds}s] ${message}\n`);
}

export function elapsedSeconds(): number {
  return (nowMs() - started) / 1000;
}
