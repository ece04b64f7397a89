import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * Profiles this process's CPU until stop() and writes the profile to `file` (open it in Chrome
 * DevTools). Without a file it does nothing, so callers need no branch of their own.
 */
export async function startCpuProfile(
  file: string | undefined,
  samplingIntervalMicros?: number,
): Promise<{ stop(): Promise<void> }> {
  if (!file) return { stop: async () => undefined };
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  if (samplingIntervalMicros) await post('Profiler.setSamplingInterval', { interval: samplingIntervalMicros });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
