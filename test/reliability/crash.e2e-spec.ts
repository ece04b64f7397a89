import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changeRequest, smallBaseline, smallProject } from '../api/api-helpers';
import { rebuildReadModels } from '../support/projection-rebuild';
import { testDatabaseKind } from '../support/test-database';
import { buildServer, freePort, ServerProcess } from './server-process';

/** The read views a user sees, to compare before and after a projection rebuild. */
async function views(server: ServerProcess, projectId: string): Promise<Record<string, unknown>> {
  const paths = ['', '/scope', '/budget', '/timeline', '/board', '/change-requests'].map(
    (view) => `/api/projects/${projectId}${view}`,
  );
  const answers: Record<string, unknown> = {};
  for (const path of [...paths, '/api/projects']) {
    const response = await server.api('GET', path);
    expect(response.status).toBe(200);
    answers[path] = response.body;
  }
  return answers;
}

/**
 * The embedded server killed with SIGKILL in the middle of a burst of commands: after a
 * restart on the same data folder every command that was answered 2xx is there, nothing is
 * half-written, and the read models equal a rebuild from the events.
 */
const onEmbeddedFolder = testDatabaseKind === 'pglite' ? describe : describe.skip;
if (testDatabaseKind !== 'pglite') {
  // The folder is what is on trial here; PostgreSQL's own durability is PostgreSQL's.
  console.info('crash.e2e-spec: skipped with TEST_DATABASE=postgres; it runs the embedded PGlite folder');
}

onEmbeddedFolder('a server killed mid-burst', () => {
  let build: ReturnType<typeof buildServer>;
  let dataDir: string;
  const running: ServerProcess[] = [];

  beforeAll(() => {
    build = buildServer();
    dataDir = mkdtempSync(join(tmpdir(), 'scope-ledger-crash-'));
  }, 60_000);

  afterAll(async () => {
    for (const server of running) {
      server.kill('SIGKILL');
      await server.exited;
    }
    build?.remove();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const server = await ServerProcess.start(build.main, dataDir);
    running.push(server);
    return server;
  };

  it('keeps every acknowledged command, half of nothing, and projections equal to a rebuild', async () => {
    const first = await start();
    const opened = await first.api('POST', '/api/projects', smallProject('Crash test'));
    expect(opened.status).toBe(201);
    const projectId = opened.body.id as string;
    expect((await first.api('POST', `/api/projects/${projectId}/baseline`, smallBaseline)).status).toBe(201);

    // Eight writers log requests as fast as they can; the process is killed after forty answers.
    const acknowledged: string[] = [];
    let failed = 0;
    let killed = false;
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const answer = await first.api(
            'POST',
            `/api/projects/${projectId}/change-requests`,
            changeRequest(`Writer ${w} request ${i}`),
          );
          if (answer.status === 201) acknowledged.push(answer.body.id);
          else throw new Error(`Unexpected ${answer.status}: ${JSON.stringify(answer.body)}`);
        } catch (error) {
          if (!killed) throw error;
          failed += 1;
        }
        if (!killed && acknowledged.length >= 40) {
          killed = true;
          first.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
    await first.exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    expect(failed).toBeGreaterThan(0);

    // Restarted at once on the same folder: the dead process's lock does not hold it up.
    const second = await start();
    const stored = (await second.api('GET', `/api/projects/${projectId}/change-requests`)).body as {
      id: string;
      number: string;
    }[];
    const storedIds = new Set(stored.map((r) => r.id));
    expect(acknowledged.filter((id) => !storedIds.has(id))).toEqual([]);
    // Numbers stay gapless: nothing half-written took a number.
    expect(stored.map((r) => r.number)).toEqual(stored.map((_, i) => `CR-${i + 1}`));

    const verified = await second.api('GET', `/api/projects/${projectId}/audit/verify`);
    expect(verified.body).toMatchObject({ valid: true, firstBreak: null });
    const events = (await second.api('GET', `/api/projects/${projectId}/events`)).body as { type: string }[];
    expect(events.filter((e) => e.type === 'ChangeRequestLogged')).toHaveLength(stored.length);

    const before = await views(second, projectId);
    expect((await rebuildReadModels((method, path) => second.api(method, path))).state).toBe('done');
    expect(await views(second, projectId)).toEqual(before);

    // The server keeps working after the crash, and stops cleanly.
    expect(
      (await second.api('POST', `/api/projects/${projectId}/change-requests`, changeRequest('After the restart')))
        .status,
    ).toBe(201);
    expect(await second.stop()).toBe(0);
  }, 180_000);

  it('refuses to start a second server on a folder in use, with a clear message', async () => {
    const owner = await start();
    const intruder = ServerProcess.spawn(build.main, dataDir, await freePort());
    expect(await intruder.exited).toBe(1);
    expect(intruder.log).toContain(`The data folder ${dataDir} is in use by another Scope Ledger process`);
    // The owner is unharmed.
    expect((await owner.api('GET', '/health')).body.status).toBe('ok');
    expect((await owner.api('GET', '/api/projects')).status).toBe(200);
  }, 60_000);
});
