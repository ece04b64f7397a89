import { projectStreamId, ProjectState } from '@scope-ledger/domain';
import { PostgresEventStore, RecordedEvent } from '@scope-ledger/event-store';
import { ProjectRepository } from '@scope-ledger/platform';
import { foldProjectEvents, PROJECT_STREAM_PREFIX, ProjectionRunner } from '@scope-ledger/projections';
import { logRequest, openProject, pmContext as context } from '../support/repository-commands';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const projectId = '22222222-2222-4222-8222-222222222222';

/**
 * In a server, the repository and the live projection both keep a warm state of each busy
 * project, folded from the same events. The projection reads the events this process appended
 * with the very objects the repository folded (the store keeps them for it), and takes the
 * records the repository built from them, so each request is held once, not twice.
 */
describe('records of the repository’s and the live projection’s warm states', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.create(database.sql, { pollIntervalMs: 20 });
    await ProjectionRunner.prepare(database.sql);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  /** Every project event so far, as a live subscription of this process hands them over. */
  async function liveEvents(count: number): Promise<RecordedEvent[]> {
    const seen: RecordedEvent[] = [];
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const subscription = store.subscribe(
      async (batch) => {
        seen.push(...batch);
        if (seen.length >= count) done();
      },
      { streamPrefix: PROJECT_STREAM_PREFIX },
    );
    await all;
    await subscription.stop();
    return seen;
  }

  const requests = (state: ProjectState) => state.changeRequestOrder.map((id) => state.changeRequests[id]);

  it('are the same objects for the requests this process logged, and equal copies for events read back', async () => {
    const projects = new ProjectRepository(store);
    await projects.record(projectId, openProject(projectId, '2026-03-02T09:00:00.000Z'), context);
    for (let n = 1; n <= 3; n++)
      await projects.record(projectId, logRequest(n, `2026-03-02T09:00:0${n}.000Z`), context);
    const repositoryState = (await projects.load(projectId)).state;

    const [projected] = await foldProjectEvents(database.sql, await liveEvents(4), undefined, Infinity, 'reuse');
    expect(projected.state).toEqual(repositoryState);
    expect(requests(projected.state)).toHaveLength(3);
    for (const [i, request] of requests(projected.state).entries()) expect(request).toBe(requests(repositoryState)[i]);
    // The three requests come from one person, held once.
    expect(new Set(requests(projected.state).map((r) => r.requestedBy)).size).toBe(1);

    // A second server (or a rebuild) reads the events from the database: equal, not shared.
    const readBack = await store.readStream(projectStreamId(projectId));
    const [fromDatabase] = await foldProjectEvents(database.sql, readBack, undefined, Infinity, 'reuse');
    expect(fromDatabase.state).toEqual(repositoryState);
    for (const [i, request] of requests(fromDatabase.state).entries())
      expect(request).not.toBe(requests(repositoryState)[i]);
  });
});
