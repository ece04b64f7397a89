import { randomUUID } from 'node:crypto';
import express, { ErrorRequestHandler } from 'express';
import request from 'supertest';
import { HttpException } from '@nestjs/common';
import { migrate, SqlClient } from '@scope-ledger/event-store';
import { idempotencyKeys, idempotencyMigrations } from '../../apps/server/src/http/idempotency-keys';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Idempotency-Key middleware when identical requests meet: whatever order the database's
 * answers arrive in, and whichever server the first request runs on, the command runs once
 * and every request gets its answer.
 */
describe('Idempotency-Key when identical requests meet', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase();
    await migrate(db.sql, idempotencyMigrations);
  });
  afterEach(async () => {
    await db.drop();
  });

  /** A server of one command route that counts how often the command ran. */
  function server(sql: SqlClient, runs: { count: number }, answerAfterMs = 0) {
    const app = express();
    app.use(express.json());
    app.use(idempotencyKeys(sql, async () => 'staff-1'));
    app.post('/things', async (req, res) => {
      runs.count += 1;
      await sleep(answerAfterMs);
      res.status(201).json({ id: randomUUID(), name: req.body.name });
    });
    const problems: ErrorRequestHandler = (error, _req, res, _next) => {
      const status = error instanceof HttpException ? error.getStatus() : 500;
      res
        .status(status)
        .json({
          detail: error instanceof HttpException ? (error.getResponse() as { detail: string }).detail : String(error),
        });
    };
    app.use(problems);
    return app;
  }

  const send = (app: express.Express, key: string) =>
    request(app).post('/things').set('Idempotency-Key', key).send({ name: 'Guest VLAN' });

  it(
    'runs the command once when the first request learns it holds the key ' + 'only after a second one has looked',
    async () => {
      // The first claim's answer comes back late, as when the pool's connections answer out of order.
      let delayed = false;
      const sql: SqlClient = Object.create(db.sql);
      sql.query = (async (text: string, params?: readonly unknown[]) => {
        const result = await db.sql.query(text, params);
        if (!delayed && text.includes('INSERT INTO idempotency_keys') && result.rows.length > 0) {
          delayed = true;
          await sleep(150);
        }
        return result;
      }) as SqlClient['query'];
      const runs = { count: 0 };
      const app = server(sql, runs);

      const answers = await Promise.all([send(app, 'double-click'), send(app, 'double-click')]);

      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      expect(answers[0].body.id).toBe(answers[1].body.id);
      expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(1);
      expect(runs.count).toBe(1);
    },
  );

  it('waits for the answer of a first request running on another server', async () => {
    const runs = { count: 0 };
    const first = server(db.sql, runs, 300);
    const second = server(await db.connectAgain(), runs);

    // supertest sends when the answer is asked for.
    const firstAnswer = send(first, 'retry-elsewhere').then((answer) => answer);
    await sleep(100);
    const retry = await send(second, 'retry-elsewhere');

    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe((await firstAnswer).body.id);
    expect(runs.count).toBe(1);
  });
});
