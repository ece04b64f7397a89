import { foldProject, projectStreamId, ProjectState } from '@scope-ledger/domain';
import { PostgresEventStore } from '@scope-ledger/event-store';
import { ProjectRepository } from '@scope-ledger/platform';
import { toProjectEvent } from '@scope-ledger/projections';
import { logRequest as logRequestAt, openProject, pmContext as context } from '../support/repository-commands';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const now = '2026-03-02T09:00:00.000Z';
const logRequest = (n: number) => logRequestAt(n, now);

/**
 * The repository keeps each project's decision state warm and, while nobody else holds it,
 * changes it in place on the next command rather than copying its records. Whatever it hands
 * out (a load, a command's outcome) must still never change, and what it keeps must always be
 * the state the stream folds to.
 */
describe('the project repository’s warm states', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let projects: ProjectRepository;
  const projectId = '11111111-1111-4111-8111-111111111111';

  beforeEach(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.create(database.sql);
    projects = new ProjectRepository(store);
    await projects.record(projectId, openProject(projectId, now), context);
  });
  afterEach(async () => {
    await database.drop();
  });

  async function streamFold(): Promise<ProjectState> {
    const events = await store.readStream(projectStreamId(projectId));
    return foldProject(events.map((e) => ({ event: toProjectEvent(e)!, occurredAt: e.metadata.occurredAt })));
  }

  it('never changes a state it handed out, whichever commands follow', async () => {
    const handedOut: { state: ProjectState; copy: ProjectState }[] = [];
    const keep = (state: ProjectState) => handedOut.push({ state, copy: structuredClone(state) });
    let n = 0;
    for (let round = 0; round < 6; round++) {
      // Commands answered from their events, which leave the state to the repository...
      for (let i = 0; i < 3; i++) await projects.record(projectId, logRequest(++n), context);
      // ...then the state handed out three ways, and more commands after each.
      if (round % 3 === 0) keep((await projects.load(projectId)).state);
      if (round % 3 === 1) keep((await projects.execute(projectId, logRequest(++n), context)).state);
      if (round % 3 === 2) keep((await projects.refresh(projectId)).state);
      await projects.record(projectId, logRequest(++n), context);
    }
    for (const { state, copy } of handedOut) expect(state).toEqual(copy);
    expect(handedOut.map((h) => h.state.changeRequestOrder.length)).toEqual([3, 8, 12, 16, 21, 25]);
    expect((await projects.load(projectId)).state).toEqual(await streamFold());
  });

  it('folds a refresh that read the stream while a command was applied onto the state as it was', async () => {
    await projects.record(projectId, logRequest(1), context);
    await projects.record(projectId, logRequest(2), context);
    // The refresh takes the warm state, then its read of the stream is held...
    const readStream = store.readStream.bind(store);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(store, 'readStream').mockImplementation(async (...args) => {
      await held;
      return readStream(...args);
    });
    const refreshing = projects.refresh(projectId);
    // ...while the next command is applied to that same state.
    await projects.record(projectId, logRequest(3), context);
    spy.mockRestore();
    release();
    const refreshed = (await refreshing).state;
    const expected = await streamFold();
    expect(refreshed.changeRequestOrder).toHaveLength(3);
    expect(refreshed).toEqual(expected);
    expect((await projects.load(projectId)).state).toEqual(expected);
  });
});

describe('the ids of the events the repository appends', () => {
  let database: TestDatabase;

  afterEach(async () => {
    await database.drop();
  });

  it('are time-ordered: the log sorted by event id is the log in the order it was written', async () => {
    database = await createTestDatabase();
    const store = await PostgresEventStore.create(database.sql);
    const projects = new ProjectRepository(store);
    const ids = ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
    for (const projectId of ids) {
      await projects.record(
        projectId,
        {
          type: 'OpenProject',
          now,
          projectId,
          name: `Project ${projectId.slice(0, 4)}`,
          client: { name: 'Contoso', email: 'it@contoso.example' },
          currency: 'USD',
          rates: { engineer: 15_000 },
          startDate: '2026-03-02',
          holidays: [],
        },
        context,
      );
    }
    // Two projects' commands interleaved, as a server's are.
    for (let n = 1; n <= 40; n++) await projects.record(ids[n % 2], logRequest(n), context);
    const written = (await store.readAll()).map((e) => e.id);
    expect(written).toHaveLength(42);
    for (const id of written)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const { rows } = await database.sql.query<{ event_id: string }>(
      'SELECT event_id::text AS event_id FROM events ORDER BY event_id',
    );
    expect(rows.map((r) => r.event_id)).toEqual(written);
  });
});
