import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Migration, SqlClient } from '@scope-ledger/event-store';
import { CommandContext } from '@scope-ledger/platform';
import { tokenSha256 } from '@scope-ledger/platform';
import { ProblemException } from './problem-details.filter';
import { nestedTooDeep } from './validation';

export const idempotencyMigrations: Migration[] = [
  {
    id: 'idempotency/001-keys',
    sql: `
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_sha256 text NOT NULL,
        status integer,
        headers jsonb,
        body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
    `,
  },
];

/** How long an answer is kept for retries. */
const KEPT_FOR = '24 hours';
/** How long a retry waits for the answer of a first request running in another process. */
const WAIT_FOR_OTHER_PROCESS_MS = 2_000;
/** An answer still missing after this long belongs to a request that died with its process. */
const ABANDONED_AFTER = '15 seconds';
const REPLAYED_HEADERS = ['etag', 'location'];
const KEY = /^[\x21-\x7e]{1,255}$/;
const SIGNING_LINK = /^\/sign\/([^/]+)/;

/** A key taken for a new request, or taken over from one that never answered. */
type Claim = 'fresh' | 'abandoned';

interface StoredAnswer {
  request_sha256: string;
  status: number | null;
  headers: Record<string, string> | null;
  body: unknown;
}

/** The staff member a request authenticates as (its API key or page session), if any. */
export type StaffIdOf = (request: Request) => Promise<string | undefined>;

/** The key a request holds, for the command it runs (see CommandContext.idempotency). */
export function idempotencyOf(request: Request): CommandContext['idempotency'] {
  return (request as Request & { idempotency?: CommandContext['idempotency'] }).idempotency;
}

/**
 * `Idempotency-Key` on POST commands: a client that retries after a lost answer gets the first
 * answer again, and nothing is appended twice. Keys belong to one staff key or one signing
 * link. Only answers that applied something (2xx) are remembered: a refused request appended
 * nothing, so it may be retried with the same key, corrected or not.
 *
 * It is Express middleware, after the body parsers, so that requests without the header (nearly
 * all) pass straight through; a Nest interceptor would wrap every request of every route.
 *
 * The key also travels with the command into its events' metadata, and ids of what it creates
 * derive from it: a process killed between appending and remembering the answer leaves the key
 * unanswered, and a retry after ABANDONED_AFTER finds the events the first attempt appended and
 * answers from them instead of appending again.
 */
export function idempotencyKeys(sql: SqlClient, staffIdOf: StaffIdOf): RequestHandler {
  const keys = new IdempotencyKeys(sql, staffIdOf);
  return (request, response, next) => {
    if (request.method !== 'POST' || request.headers['idempotency-key'] === undefined) return next();
    keys.handle(request, response, next).catch(next);
  };
}

class IdempotencyKeys {
  /** Requests of this process holding a key, settled once their answer is remembered or released. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private lastPurge = 0;

  constructor(
    private readonly sql: SqlClient,
    private readonly staffIdOf: StaffIdOf,
  ) {}

  async handle(request: Request, response: Response, next: NextFunction): Promise<void> {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new ProblemException(
        400,
        'Invalid request',
        'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID',
      );
    }
    const scope = await this.scopeOf(request);
    // Unauthenticated requests are refused by the routes' guards; a body nested beyond reason by
    // validation. Neither is worth a fingerprint.
    if (!scope || nestedTooDeep(request.body)) return next();
    this.purgeExpired();

    const fingerprint = createHash('sha256')
      .update(canonicalize({ method: request.method, path: request.originalUrl, body: request.body ?? null })!)
      .digest('hex');
    const id = `${scope}\n${key}`;
    const giveUpAt = Date.now() + WAIT_FOR_OTHER_PROCESS_MS;
    for (;;) {
      // A request of this process with the same key goes first; its outcome decides.
      const first = this.inFlight.get(id);
      if (first) {
        await first;
        continue;
      }
      // Held from before the claim is sent, so that a request arriving meanwhile waits for this one.
      const held = this.hold(id);
      let claimed: Claim | undefined;
      try {
        claimed = await this.claim(scope, key, fingerprint);
      } finally {
        if (!claimed) held.settle();
      }
      if (claimed) {
        const owned = createHash('sha256').update(`${scope}\n${key}`).digest('hex');
        Object.assign(request, { idempotency: { key: owned, retried: claimed === 'abandoned' } });
        this.rememberAnswer(scope, key, response, held);
        return next();
      }
      const stored = await this.find(scope, key);
      if (!stored) continue; // the first request was refused meanwhile: this one may run
      if (stored.request_sha256 !== fingerprint) {
        throw new ProblemException(
          422,
          'Unprocessable content',
          'This Idempotency-Key was already used for a different request; use a new key for a new request',
        );
      }
      if (stored.status !== null) return replay(stored, response);
      // The first request is running in another process: wait a little for its answer.
      if (Date.now() >= giveUpAt) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new ProblemException(
      409,
      'Conflict',
      'A request with this Idempotency-Key is still being processed; retry in a moment',
    );
  }

  /** Marks a key as taken by a request of this process until `settle` is called. */
  private hold(id: string): { settle(): void } {
    let settled!: () => void;
    const holding = new Promise<void>((resolve) => (settled = resolve));
    this.inFlight.set(id, holding);
    return {
      settle: () => {
        if (this.inFlight.get(id) === holding) this.inFlight.delete(id);
        settled();
      },
    };
  }

  /** Whose key it is: a staff key (or page session), or the signing link the request came through. */
  private async scopeOf(request: Request): Promise<string | undefined> {
    const link = SIGNING_LINK.exec(request.path);
    if (link) {
      try {
        return `signing-link:${tokenSha256(decodeURIComponent(link[1]))}`;
      } catch {
        return undefined; // not a token the routes could match either
      }
    }
    const staffId = await this.staffIdOf(request);
    return staffId === undefined ? undefined : `staff:${staffId}`;
  }

  /** Keeps the answer the route gives (2xx) for retries, or frees the key when it refused; then lets go of `held`. */
  private rememberAnswer(scope: string, key: string, response: Response, held: { settle(): void }): void {
    // Command answers are JSON objects; problems and empty answers are not kept.
    let body: unknown;
    const json = response.json.bind(response);
    response.json = (value: unknown) => {
      body = value;
      return json(value);
    };
    // The status and headers are final once the answer is written.
    onceWritten(response, () => {
      const status = response.statusCode;
      const remembered =
        status >= 200 && status < 300 && body !== undefined
          ? this.remember(scope, key, status, headersOf(response), body)
          : this.release(scope, key);
      void remembered
        .catch(() => this.release(scope, key))
        .catch(() => undefined)
        .finally(held.settle);
    });
  }

  /** Takes the key, unless a live answer (or a request still running) already holds it. */
  private async claim(scope: string, key: string, fingerprint: string): Promise<Claim | undefined> {
    // The key is taken over when its answer expired, or when the same request was claimed but never
    // answered: its process died, maybe after appending, which the command then finds and answers.
    const { rows } = await this.sql.query<{ abandoned: boolean }>(
      `WITH previous AS (SELECT status FROM idempotency_keys WHERE scope = $1 AND key = $2)
       INSERT INTO idempotency_keys (scope, key, request_sha256) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO UPDATE
         SET request_sha256 = EXCLUDED.request_sha256, status = NULL, headers = NULL, body = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - interval '${KEPT_FOR}'
            OR (idempotency_keys.status IS NULL AND idempotency_keys.request_sha256 = EXCLUDED.request_sha256
                AND idempotency_keys.created_at < now() - interval '${ABANDONED_AFTER}')
       RETURNING EXISTS (SELECT 1 FROM previous WHERE status IS NULL) AS abandoned`,
      [scope, key, fingerprint],
    );
    if (rows.length === 0) return undefined;
    return rows[0].abandoned ? 'abandoned' : 'fresh';
  }

  private async find(scope: string, key: string): Promise<StoredAnswer | undefined> {
    const { rows } = await this.sql.query<StoredAnswer>(
      `SELECT request_sha256, status, headers, body FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    return rows[0];
  }

  private async remember(
    scope: string,
    key: string,
    status: number,
    headers: Record<string, string>,
    body: unknown,
  ): Promise<void> {
    await this.sql.query(
      `UPDATE idempotency_keys SET status = $3, headers = $4::jsonb, body = $5::jsonb WHERE scope = $1 AND key = $2`,
      [scope, key, status, JSON.stringify(headers), JSON.stringify(body)],
    );
  }

  private async release(scope: string, key: string): Promise<void> {
    await this.sql.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL`, [scope, key]);
  }

  private purgeExpired(): void {
    if (Date.now() - this.lastPurge < 3_600_000) return;
    this.lastPurge = Date.now();
    void this.sql
      .query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '${KEPT_FOR}'`)
      .catch(() => undefined);
  }
}

function replay(stored: StoredAnswer, response: Response): void {
  for (const [name, value] of Object.entries(stored.headers ?? {})) response.setHeader(name, value);
  response.setHeader('Idempotent-Replayed', 'true');
  response.status(stored.status!).json(stored.body);
}

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

function onceWritten(response: Response, then: () => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    then();
  };
  response.once('finish', once);
  response.once('close', once);
}
