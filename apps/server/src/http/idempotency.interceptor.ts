import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, OnModuleInit } from '@nestjs/common';
import type { Response } from 'express';
import { lastValueFrom, Observable, of } from 'rxjs';
import { canonicalJson, Migration, migrate, SqlClient } from '@scope-ledger/event-store';
import { Platform, tokenSha256 } from '@scope-ledger/platform';
import { StaffRequest } from '../auth/staff-auth.guard';
import { PLATFORM } from '../platform.token';
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
/** An answer still missing after this long belongs to a request that died with its process. */
const ABANDONED_AFTER = '1 minute';
const REPLAYED_HEADERS = ['etag', 'location'];
const KEY = /^[\x21-\x7e]{1,255}$/;

interface StoredAnswer {
  request_sha256: string;
  status: number | null;
  headers: Record<string, string> | null;
  body: unknown;
}

/**
 * `Idempotency-Key` on POST commands: a client that retries after a lost answer gets the first
 * answer again, and nothing is appended twice. Keys belong to one staff key or one signing
 * link. Only answers that applied something (2xx) are remembered: a refused request appended
 * nothing, so it may be retried with the same key, corrected or not.
 *
 * A process killed between appending and remembering the answer leaves the key unanswered;
 * after a minute a retry runs the command again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor, OnModuleInit {
  private readonly inFlight = new Map<string, Promise<void>>();
  private lastPurge = 0;

  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  private get sql(): SqlClient {
    return this.platform.sql;
  }

  async onModuleInit(): Promise<void> {
    await migrate(this.sql, idempotencyMigrations);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<StaffRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new ProblemException(400, 'Invalid request', 'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID');
    }
    const scope = scopeOf(request);
    // A body nested beyond reason is refused by validation; it is not worth a fingerprint.
    if (!scope || nestedTooDeep(request.body)) return next.handle();
    this.purgeExpired();

    const fingerprint = createHash('sha256')
      .update(canonicalJson({ method: request.method, path: request.originalUrl, body: request.body ?? null }))
      .digest('hex');
    const id = `${scope}\n${key}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.claim(scope, key, fingerprint)) return this.answerAndRemember(id, scope, key, next, response);
      const stored = await this.find(scope, key);
      if (!stored) continue; // the first request was refused meanwhile: this one may run
      if (stored.request_sha256 !== fingerprint) {
        throw new ProblemException(422, 'Unprocessable content', 'This Idempotency-Key was already used for a different request; use a new key for a new request');
      }
      if (stored.status !== null) return of(replay(stored, response));
      const first = this.inFlight.get(id);
      if (!first) break;
      await first;
    }
    throw new ProblemException(409, 'Conflict', 'A request with this Idempotency-Key is still being processed; retry in a moment');
  }

  private async answerAndRemember(id: string, scope: string, key: string, next: CallHandler, response: Response): Promise<Observable<unknown>> {
    let settled!: () => void;
    this.inFlight.set(id, new Promise<void>((resolve) => (settled = resolve)));
    const done = () => {
      this.inFlight.delete(id);
      settled();
    };
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      // Refused: nothing was applied, so the key is free again. (Should that fail, the key
      // counts as abandoned after a minute.)
      await this.release(scope, key).catch(() => undefined).finally(done);
      throw error;
    }
    // The status and headers are final once the answer is written.
    onceWritten(response, () => {
      const status = response.statusCode;
      const remembered = status >= 200 && status < 300 && body !== undefined ? this.remember(scope, key, status, headersOf(response), body) : this.release(scope, key);
      void remembered.catch(() => this.release(scope, key)).catch(() => undefined).finally(done);
    });
    return of(body);
  }

  /** Takes the key, unless a live answer (or a request still running) already holds it. */
  private async claim(scope: string, key: string, fingerprint: string): Promise<boolean> {
    const { rows } = await this.sql.query(
      `INSERT INTO idempotency_keys (scope, key, request_sha256) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO UPDATE
         SET request_sha256 = EXCLUDED.request_sha256, status = NULL, headers = NULL, body = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - interval '${KEPT_FOR}'
            OR (idempotency_keys.status IS NULL AND idempotency_keys.created_at < now() - interval '${ABANDONED_AFTER}')
       RETURNING scope`,
      [scope, key, fingerprint],
    );
    return rows.length > 0;
  }

  private async find(scope: string, key: string): Promise<StoredAnswer | undefined> {
    const { rows } = await this.sql.query<StoredAnswer>(
      `SELECT request_sha256, status, headers, body FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    return rows[0];
  }

  private async remember(scope: string, key: string, status: number, headers: Record<string, string>, body: unknown): Promise<void> {
    await this.sql.query(`UPDATE idempotency_keys SET status = $3, headers = $4::jsonb, body = $5::jsonb WHERE scope = $1 AND key = $2`, [
      scope,
      key,
      status,
      JSON.stringify(headers),
      JSON.stringify(body),
    ]);
  }

  private async release(scope: string, key: string): Promise<void> {
    await this.sql.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL`, [scope, key]);
  }

  private purgeExpired(): void {
    if (Date.now() - this.lastPurge < 3_600_000) return;
    this.lastPurge = Date.now();
    void this.sql.query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '${KEPT_FOR}'`).catch(() => undefined);
  }
}

/** Whose key it is: a staff key, or the signing link the request came through. */
function scopeOf(request: StaffRequest): string | undefined {
  if (request.staff) return `staff:${request.staff.id}`;
  const token = (request.params as Record<string, string | undefined>).token;
  if (token && request.path.startsWith('/sign/')) return `signing-link:${tokenSha256(token)}`;
  return undefined;
}

function replay(stored: StoredAnswer, response: Response): unknown {
  for (const [name, value] of Object.entries(stored.headers ?? {})) response.setHeader(name, value);
  response.setHeader('Idempotent-Replayed', 'true');
  response.status(stored.status!);
  return stored.body;
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

