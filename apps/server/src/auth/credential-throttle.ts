import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { migrate, Migration, SqlClient } from '@scope-ledger/event-store';

/** How long failures are counted: an address over the limit waits until its first failure is this old. */
export const FAILURE_WINDOW_SECONDS = 15 * 60;

const TABLE = 'credential_failures';

const migrations: Migration[] = [
  {
    id: 'auth/001-credential-failures',
    // The layout rate-limiter-flexible's PostgreSQL store reads and writes; expire is epoch milliseconds.
    sql: `CREATE TABLE ${TABLE} (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`,
  },
];

/** Whether the address may go on, or how long it must wait. */
export type ThrottleAnswer = { blocked: false } | { blocked: true; retryAfterSeconds: number };

/**
 * Failed sign-ins and unknown API keys, counted per client address in the database, so every server process
 * shares one count. Once an address has failed `limit` times in the window, each further bad credential from it
 * is answered 429 with Retry-After until the window ends. A valid key always passes: behind a proxy many
 * people share an address, and a stranger's guesses must not lock them out. Keys are 192 random bits, so the
 * limit is about noise and probing, not about guessing one.
 */
export class CredentialThrottle {
  private readonly failures: RateLimiterPostgres;

  constructor(
    private readonly sql: SqlClient,
    readonly limit: number,
  ) {
    this.failures = new RateLimiterPostgres({
      // The store speaks node-postgres's query objects; the platform's client takes text and values.
      storeClient: { query: (q: { text: string; values?: unknown[] }) => sql.query(q.text, q.values ?? []) },
      storeType: 'client',
      tableName: TABLE,
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: 'address',
      points: limit,
      duration: FAILURE_WINDOW_SECONDS,
    });
  }

  /** Creates the table, and clears the windows that ended while no server ran. */
  async prepare(): Promise<void> {
    await migrate(this.sql, migrations);
    await this.forgetEnded();
  }

  /** Counts a failed attempt; blocked when the address is over the limit, counting every process's failures. */
  async failed(address: string): Promise<ThrottleAnswer> {
    try {
      await this.failures.consume(address);
      return { blocked: false };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  }

  /** Rows of windows that ended: the table holds only live counts. */
  private async forgetEnded(now = Date.now()): Promise<void> {
    await this.sql.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [now]);
  }
}

/** The problem detail for a throttled address, the same for the pages and the API. */
export function throttledDetail(what: string, retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many ${what} from your address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
