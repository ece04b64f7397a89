import { foldEvents, projectStreamId, ProjectState, upcastProjectEvent } from '@scope-ledger/domain';
import { PostgresEventStore } from '@scope-ledger/event-store';
import { ProjectCommands } from '@scope-ledger/platform';
import { logRequest as logRequestAt, openProject, pmContext as context } from '../support/repository-commands';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const now = '2026-03-02T09:00:00.000Z';
const logRequest = (n: number) => logRequestAt(n, now);

/**
 * The command path keeps each project's state warm between commands. Whatever it answers must
 * never change afterwards, and what it keeps must always be what the stream folds to, also when
 * another process writes meanwhile.
 */
describe('the command path’s warm states', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let commands: ProjectCommands;
  const projectId = '11111111-1111-4111-8111-111111111111';

  beforeEach(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.create(database.sql);
    commands = new ProjectCommands(store);
    await commands.execute(projectId, openProject(projectId, now), context);
  });
  afterEach(async () => {
    await database.drop();
  });

  async function streamFold(): Promise<ProjectState> {
    const events = await store.readStream(projectStreamId(projectId));
    return foldEvents(events.map((e) => upcastProjectEvent(e.type, e.schemaVersion, e.data, e.metadata.occurredAt)!));
  }

  it('never changes a state it answered, whichever commands follow', async () => {
    const answered: { state: ProjectState; requests: number }[] = [];
    for (let n = 1; n <= 12; n++) {
      const { state } = await commands.execute(projectId, logRequest(n), context);
      answered.push({ state, requests: state.changeRequests.size });
      if (n % 4 === 0) answered.push({ state: (await commands.load(projectId)).state, requests: n });
    }
    expect(answered.map((a) => a.state.changeRequests.size)).toEqual(answered.map((a) => a.requests));
    expect((await commands.load(projectId)).state).toEqual(await streamFold());
  });

  it('reads what another process appended before deciding, and numbers on from there', async () => {
    await commands.execute(projectId, logRequest(1), context);
    const elsewhere = new ProjectCommands(store);
    await elsewhere.execute(projectId, logRequest(2), context);
    await elsewhere.execute(projectId, logRequest(3), context);
    const outcome = await commands.execute(projectId, logRequest(4), context);
    expect([...outcome.state.changeRequests.values()].map((r) => r.number)).toEqual([1, 2, 3, 4]);
    expect(outcome.state).toEqual(await streamFold());
  });
});

describe('the ids of the events the command path appends', () => {
  let database: TestDatabase;

  afterEach(async () => {
    await database.drop();
  });

  it('are time-ordered: the log sorted by event id is the log in the order it was written', async () => {
    database = await createTestDatabase();
    const store = await PostgresEventStore.create(database.sql);
    const commands = new ProjectCommands(store);
    const ids = ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
    for (const projectId of ids) await commands.execute(projectId, openProject(projectId, now), context);
    // Two projects' commands interleaved, as a server's are.
    for (let n = 1; n <= 40; n++) await commands.execute(ids[n % 2], logRequest(n), context);
    const written = (await store.readAll()).map((e) => e.id);
    expect(written).toHaveLength(42);
    for (const id of written) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    const { rows } = await database.sql.query<{ event_id: string }>(
      'SELECT event_id::text AS event_id FROM events ORDER BY event_id',
    );
    expect(rows.map((r) => r.event_id)).toEqual(written);
  });
});
