import { mkdirSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import * as lockfile from 'proper-lockfile';

const STALE_MS = 10_000;
const UPDATE_MS = 2_000;

/**
 * Two processes opening one PGlite data folder corrupt it, so the folder is locked for the life of the process and
 * the lock refreshed every two seconds. A lock nobody refreshes was left by a killed process: it is taken over.
 */
export async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  const lockfilePath = `${dataDir}/.scope-ledger.lock`;
  for (;;) {
    try {
      return await lockfile.lock(dataDir, { stale: STALE_MS, update: UPDATE_MS, realpath: false, lockfilePath });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ELOCKED') throw error;
      // Watch the lock for longer than its owner takes to refresh it.
      const seen = lastRefreshed(lockfilePath);
      await sleep(UPDATE_MS * 1.5);
      if (seen !== 0 && lastRefreshed(lockfilePath) !== seen && lastRefreshed(lockfilePath) !== 0) {
        throw new Error(
          `The data folder ${dataDir} is in use by another Scope Ledger process. ` +
            `Stop that process, or set DATA_DIR to another folder.`,
        );
      }
    }
  }
}

/** When the lock was last refreshed, in epoch milliseconds; 0 when there is none. */
function lastRefreshed(lockfilePath: string): number {
  try {
    return statSync(lockfilePath).mtimeMs;
  } catch {
    return 0;
  }
}
