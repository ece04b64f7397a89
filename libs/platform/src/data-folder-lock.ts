import { mkdirSync } from 'node:fs';
import * as lockfile from 'proper-lockfile';

/**
 * Two processes opening one PGlite data folder corrupt it, so the folder is locked for the
 * life of the process. A lock left by a killed process goes stale and is taken over.
 */
export async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, { stale: 10_000, update: 2_000, realpath: false, lockfilePath: `${dataDir}/.scope-ledger.lock` });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') {
      throw new Error(
        `The data folder ${dataDir} is in use by another Scope Ledger process. Stop that process, or set DATA_DIR to another folder.`,
      );
    }
    throw error;
  }
}
