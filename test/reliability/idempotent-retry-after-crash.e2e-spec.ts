import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteSqlClient } from '@scope-ledger/event-store';
import { changeRequest, sleep, smallBaseline, smallProject } from '../api/api-helpers';
import { testDatabaseKind } from '../support/test-database';
import { ADMIN_KEY } from '../support/test-server';
import { buildServer, ServerProcess } from './server-process';

const onEmbeddedFolder = testDatabaseKind === 'pglite' ? describe : describe.skip;
if (testDatabaseKind !== 'pglite') {
  console.info(
    'idempotent-retry-after-crash.e2e-spec: skipped with TEST_DATABASE=postgres; it kills an embedded server',
  );
}

/** How long a key claimed by a request that never answered stays taken (idempotency-keys.ts). */
const ABANDONED_AFTER_MS = 15_000;

function logRequest(server: ServerProcess, projectId: string, key: string, title: string) {
  return fetch(`${server.url}/api/projects/${projectId}/change-requests`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify(changeRequest(title)),
  });
}

/**
 * A server killed (SIGKILL) after appending a request's events but before remembering its
 * answer for retries: the client's retry with the same Idempotency-Key gets that request, never a
 * second one.
 */
onEmbeddedFolder('a retry with the same Idempotency-Key after a crash', () => {
  let build: ReturnType<typeof buildServer>;
  const folders: string[] = [];
  const running: ServerProcess[] = [];

  beforeAll(() => {
    build = buildServer();
  }, 60_000);

  afterAll(async () => {
    for (const server of running) {
      server.kill('SIGKILL');
      await server.exited;
    }
    build?.remove();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('answers the requests the dead process appended from their events and appends nothing twice', async () => {
    // The kill has to land between an append and its answer; a round tries again until it did.
    for (let round = 1; ; round++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'scope-ledger-idempotent-'));
      folders.push(dataDir);
      const first = await ServerProcess.start(build.main, dataDir);
      running.push(first);
      const projectId = (await first.api('POST', '/api/projects', smallProject(`Crash round ${round}`))).body
        .id as string;
      await first.api('POST', `/api/projects/${projectId}/baseline`, smallBaseline);

      const titles = Array.from({ length: 60 }, (_, i) => `Request ${i + 1}`);
      const keys = titles.map((_, i) => `retry-${round}-${i + 1}`);
      const answered = new Map<string, string>();
      let killed = false;
      await Promise.all(
        titles.map(async (title, i) => {
          const response = await logRequest(first, projectId, keys[i], title).catch(() => undefined);
          if (response?.status === 201) answered.set(title, ((await response.json()) as { id: string }).id);
          if (!killed && answered.size >= 5) {
            killed = true;
            first.kill('SIGKILL');
          }
        }),
      );
      await first.exited;

      // Which requests the dead process appended without remembering their answer for a retry.
      const folder = await PgliteSqlClient.open(join(dataDir, 'pglite'));
      const claims = await folder.query<{ scope: string; key: string }>(
        `SELECT scope, key FROM idempotency_keys WHERE status IS NULL`,
      );
      const appended = await folder.query<{ key: string }>(
        `SELECT metadata->>'idempotencyKey' AS key FROM events WHERE metadata ? 'idempotencyKey'`,
      );
      await folder.close();
      const appendedKeys = new Set(appended.rows.map((r) => r.key));
      const appendedUnremembered = claims.rows.filter((c) =>
        appendedKeys.has(createHash('sha256').update(`${c.scope}\n${c.key}`).digest('hex')),
      );

      const second = await ServerProcess.start(build.main, dataDir);
      running.push(second);

      // Retried after the claims of the dead process are given up: every request exactly once.
      await sleep(ABANDONED_AFTER_MS + 1_000);
      const retried = await Promise.all(
        titles.map(async (title, i) => {
          const response = await logRequest(second, projectId, keys[i], title);
          return { title, status: response.status, body: (await response.json()) as { id: string; number: string } };
        }),
      );
      expect(retried.filter((r) => r.status !== 201).map((r) => [r.title, r.status, r.body])).toEqual([]);
      const after = (await second.api('GET', `/api/projects/${projectId}/change-requests`)).body as {
        id: string;
        title: string;
        number: string;
      }[];
      expect(after.map((r) => r.title).sort()).toEqual([...titles].sort());
      expect(after.map((r) => r.number)).toEqual(after.map((_, i) => `CR-${i + 1}`));
      for (const { title, body } of retried) {
        const request = after.find((r) => r.title === title)!;
        expect(body).toMatchObject({ id: request.id, number: request.number });
        if (answered.has(title)) expect(body.id).toBe(answered.get(title));
      }
      await second.stop();
      if (appendedUnremembered.length > 0 || round >= 5) {
        expect(appendedUnremembered.length).toBeGreaterThan(0);
        return;
      }
    }
  }, 300_000);
});
