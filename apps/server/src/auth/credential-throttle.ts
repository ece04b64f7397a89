import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { migrate, Migration, SqlClient } from '@scope-ledger/event-store';

/** How long failures are counted: an address over the limit waits until its first failure is this old. */
export const FAILURE_WINDOW_SECONDS = 15 * 60;
/** Wrong passwords or codes one account may take in the window before it is refused, right password or not. */
export const ACCOUNT_FAILURE_LIMIT = 10;

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
  /** Failed password sign-ins per account (lower-cased email), known or not, so a 429 tells nobody who exists. */
  private readonly accountFailures: RateLimiterPostgres;

  constructor(
    private readonly sql: SqlClient,
    readonly limit: number,
    readonly accountLimit = ACCOUNT_FAILURE_LIMIT,
  ) {
    const store = (keyPrefix: string, points: number) =>
      new RateLimiterPostgres({
        // The store speaks node-postgres's query objects; the platform's client takes text and values. The store
        // reads rowCount after a SELECT too, which PGlite leaves at 0: count the rows then.
        storeClient: {
          query: async (q: { text: string; values?: unknown[] }) => {
            const result = await sql.query(q.text, q.values ?? []);
            return { ...result, rowCount: result.rowCount || result.rows.length };
          },
        },
        storeType: 'client',
        tableName: TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix,
        points,
        duration: FAILURE_WINDOW_SECONDS,
      });
    this.failures = store('address', limit);
    this.accountFailures = store('account', accountLimit);
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

  /**
   * Whether an account already took its limit of failures in the window: then even the right password is refused
   * until the window ends, so guessing one person's password from many addresses gets nowhere.
   */
  async accountBlocked(account: string): Promise<ThrottleAnswer> {
    const counted = await this.accountFailures.get(account.trim().toLowerCase());
    if (!counted || counted.consumedPoints < this.accountLimit) return { blocked: false };
    return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil(counted.msBeforeNext / 1000)) };
  }

  /** Counts a failed password or code for the account; the next attempt is refused once it reaches the limit. */
  async accountFailed(account: string): Promise<void> {
    await this.accountFailures.penalty(account.trim().toLowerCase());
  }

  /** A successful sign-in forgets the account's failures. */
  async accountSucceeded(account: string): Promise<void> {
    await this.accountFailures.delete(account.trim().toLowerCase());
  }

  /** Rows of windows that ended: the table holds only live counts. */
  private async forgetEnded(now = Date.now()): Promise<void> {
    await this.sql.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [now]);
  }
}

/** The problem detail for a throttled address, the same for the pages and the API. */
export function throttledDetail(what: string, retryAfterSeconds: number, from = 'from your address'): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many ${what} ${from}; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
