import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Migration, SqlClient } from '@scope-ledger/event-store';
import { CommandContext, tokenSha256 } from '@scope-ledger/platform';
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
 * `Idempotency-Key` on POST commands, per staff member or signing link: a retry gets the first 2xx
 * answer again; a refused request appended nothing and may be retried. The key goes into the events'
 * metadata, so a retry after a process died before keeping the answer is answered from those events.
 */
export function idempotencyKeys(sql: SqlClient, staffIdOf: StaffIdOf): RequestHandler {
  const keys = new IdempotencyKeys(sql, staffIdOf);
  // Express middleware, not a Nest interceptor, so that requests without the header pass straight through.
  return (request, response, next) => {
    if (request.method !== 'POST' || request.headers['idempotency-key'] === undefined) return next();
    keys.handle(request, response, next).catch(next);
  };
}

class IdempotencyKeys {
  /** Requests of this process holding a key, settled once their answer is kept or released. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private lastPurge = 0;

  constructor(
    private readonly sql: SqlClient,
    private readonly staffIdOf: StaffIdOf,
  ) {}

  async handle(request: Request, response: Response, next: NextFunction): Promise<void> {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !KEY.test(key)) {
      const detail = 'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID';
      throw new ProblemException(400, 'Invalid request', detail);
    }
    const scope = await this.scopeOf(request);
    // The routes' guards refuse unauthenticated requests, and validation a body nested beyond reason.
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
      const letGo = this.hold(id);
      let claimed: 'fresh' | 'abandoned' | undefined;
      try {
        claimed = await this.claim(scope, key, fingerprint);
      } finally {
        if (!claimed) letGo();
      }
      if (claimed) {
        const owned = createHash('sha256').update(id).digest('hex');
        Object.assign(request, { idempotency: { key: owned, retried: claimed === 'abandoned' } });
        this.keepAnswer(scope, key, response, letGo);
        return next();
      }
      const { rows } = await this.sql.query<StoredAnswer>(
        `SELECT request_sha256, status, headers, body FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key],
      );
      const stored = rows[0];
      if (!stored) continue; // the first request was refused meanwhile: this one may run
      if (stored.request_sha256 !== fingerprint) {
        const detail = 'This Idempotency-Key was already used for a different request; use a new key for a new request';
        throw new ProblemException(422, 'Unprocessable content', detail);
      }
      if (stored.status !== null) return replay(stored, response);
      // The first request is running in another process: wait a little for its answer.
      if (Date.now() >= giveUpAt) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const detail = 'A request with this Idempotency-Key is still being processed; retry in a moment';
    throw new ProblemException(409, 'Conflict', detail);
  }

  /** Marks a key as taken by a request of this process; the function returned lets go of it. */
  private hold(id: string): () => void {
    let settle!: () => void;
    const holding = new Promise<void>((resolve) => (settle = resolve));
    this.inFlight.set(id, holding);
    return () => {
      if (this.inFlight.get(id) === holding) this.inFlight.delete(id);
      settle();
    };
  }

  /** Whose key it is: a staff member's, or the signing link's the request came through. */
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

  /** Keeps the route's answer (2xx) for retries, or frees the key when it refused; then calls `letGo`. */
  private keepAnswer(scope: string, key: string, response: Response, letGo: () => void): void {
    // Command answers are JSON objects; problems and empty answers are not kept.
    let body: unknown;
    const json = response.json.bind(response);
    response.json = (value: unknown) => {
      body = value;
      return json(value);
    };
    // 'close' comes once the answer is written (its status and headers final) or the connection is gone.
    response.once('close', () => {
      const status = response.statusCode;
      const kept =
        status >= 200 && status < 300 && body !== undefined
          ? this.sql.query(
              `UPDATE idempotency_keys SET status = $3, headers = $4::jsonb, body = $5::jsonb
               WHERE scope = $1 AND key = $2`,
              [scope, key, status, JSON.stringify(replayedHeaders(response)), JSON.stringify(body)],
            )
          : this.release(scope, key);
      void kept
        .catch(() => this.release(scope, key))
        .catch(() => undefined)
        .finally(letGo);
    });
  }

  /** Takes the key, unless a live answer or running request holds it; takes over one expired or abandoned. */
  private async claim(scope: string, key: string, fingerprint: string): Promise<'fresh' | 'abandoned' | undefined> {
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

function replayedHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}
