import { randomUUID } from 'node:crypto';
import { ProjectCommand } from '@scope-ledger/domain';
import { openProject, pmContext } from '../support/repository-commands';
import { startTestServer, TestServer } from '../support/test-server';
import { expectProblem } from './api-helpers';

/**
 * The board's flow: a card's own page (its time entries and the columns it sat in), the time cards spend
 * in each column, and both as of an earlier moment. The moves happen at fixed times, so every figure is
 * worked out by hand below.
 */
describe('the board: card pages, cycle time per column, and time travel', () => {
  let t: TestServer;
  const projectId = randomUUID();
  const board = (query = '') => t.api.get(`/api/projects/${projectId}/board${query}`);
  const card = (cardId: string, query = '') => t.api.get(`/api/projects/${projectId}/board/cards/${cardId}${query}`);
  const asOf = (moment: string) => `?asOf=${encodeURIComponent(moment)}`;

  beforeAll(async () => {
    t = await startTestServer();
    const run = (command: ProjectCommand) => t.server.platform.commands.execute(projectId, command, pmContext);
    const move = (cardId: string, to: 'ready' | 'in_progress' | 'review' | 'done', now: string) =>
      run({ type: 'MoveCard', now, cardId, to });
    await run(openProject(projectId, '2026-03-02T08:00:00.000Z'));
    await run({
      type: 'EstablishBaseline',
      now: '2026-03-02T09:00:00.000Z',
      items: [
        { ref: 'NET-1', title: 'Firewall and VPN configuration', role: 'engineer', hours: 8 },
        { ref: 'NET-2', title: 'Switch stack replacement', role: 'engineer', hours: 6 },
        { ref: 'DOC-1', title: 'As-built documentation', role: 'engineer', hours: 3.5 },
      ],
      milestones: [{ ref: 'M1', name: 'Network live', due: '2026-03-20' }],
    });
    // C-1 NET-1, C-2 NET-2, C-3 DOC-1, all in Backlog from 2 Mar 09:00.
    await move('C-3', 'ready', '2026-03-02T10:00:00.000Z'); // backlog 1 h
    await move('C-1', 'ready', '2026-03-02T13:00:00.000Z'); // backlog 4 h
    await move('C-2', 'ready', '2026-03-02T15:00:00.000Z'); // backlog 6 h
    await move('C-1', 'in_progress', '2026-03-03T09:00:00.000Z'); // ready 20 h
    await run({
      type: 'LogTime',
      now: '2026-03-03T17:00:00.000Z',
      cardId: 'C-1',
      hours: 2.5,
      date: '2026-03-03',
      note: 'Racked the firewall',
    });
    await move('C-2', 'in_progress', '2026-03-04T09:00:00.000Z'); // ready 42 h
    await move('C-1', 'review', '2026-03-04T15:00:00.000Z'); // in progress 30 h
    await move('C-1', 'done', '2026-03-05T11:00:00.000Z'); // review 20 h
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives the average and median time cards spent in each column before moving on', async () => {
    const { body } = await board().expect(200);
    expect(body.cycleTimes).toEqual([
      // 1, 4 and 6 h: 11 / 3 = 3.67 h on average, 4 h in the middle.
      { column: 'backlog', moves: 3, averageHours: 3.67, medianHours: 4 },
      // C-1 20 h, C-2 42 h; C-3 is still there and does not count yet.
      { column: 'ready', moves: 2, averageHours: 31, medianHours: 31 },
      { column: 'in_progress', moves: 1, averageHours: 30, medianHours: 30 },
      { column: 'review', moves: 1, averageHours: 20, medianHours: 20 },
      { column: 'done', moves: 0, averageHours: null, medianHours: null },
    ]);
  });

  it("answers a card with its figures, the time logged against it as recorded, and each column's time", async () => {
    const pm = await t.keyFor('pm');
    const today = new Date().toISOString().slice(0, 10);
    await t.api
      .post(`/api/projects/${projectId}/board/cards/C-1/time`, { hours: 1.25, date: today, note: 'Handover notes' })
      .set('Authorization', `Bearer ${pm}`)
      .expect(201);

    const { body } = await card('C-1').expect(200);
    expect(body).toMatchObject({
      id: 'C-1',
      ref: 'NET-1',
      title: 'Firewall and VPN configuration',
      role: 'engineer',
      column: 'done',
      admittedBy: 'baseline',
      estimateHours: 8,
      // 2.5 + 1.25 = 3.75 h logged; 8 - 3.75 = 4.25 h left.
      loggedHours: 3.75,
      remainingHours: 4.25,
      addedAt: '2026-03-02T09:00:00.000Z',
      cancelled: false,
      asOf: null,
    });
    expect(body.timeEntries).toEqual([
      {
        date: '2026-03-03',
        hours: 2.5,
        note: 'Racked the firewall',
        loggedAt: '2026-03-03T17:00:00.000Z',
        loggedBy: 'Priya (PM)',
      },
      { date: today, hours: 1.25, note: 'Handover notes', loggedAt: expect.any(String), loggedBy: 'pm tester' },
    ]);
    expect(body.columns.slice(0, 4)).toEqual([
      { column: 'backlog', enteredAt: '2026-03-02T09:00:00.000Z', leftAt: '2026-03-02T13:00:00.000Z', hours: 4 },
      { column: 'ready', enteredAt: '2026-03-02T13:00:00.000Z', leftAt: '2026-03-03T09:00:00.000Z', hours: 20 },
      { column: 'in_progress', enteredAt: '2026-03-03T09:00:00.000Z', leftAt: '2026-03-04T15:00:00.000Z', hours: 30 },
      { column: 'review', enteredAt: '2026-03-04T15:00:00.000Z', leftAt: '2026-03-05T11:00:00.000Z', hours: 20 },
    ]);
    // Still in Done: the time there runs until now.
    expect(body.columns[4]).toMatchObject({ column: 'done', enteredAt: '2026-03-05T11:00:00.000Z', leftAt: null });
    expect(body.columns[4].hours).toBeGreaterThan(24 * 200);
  });

  it('shows the board and a card as they stood at an earlier moment', async () => {
    const moment = '2026-03-03T12:00:00Z';
    const then = (await board(asOf(moment)).expect(200)).body;
    const columnOf = (ref: string) =>
      (then.columns as { column: string; cards: { ref: string }[] }[]).find((c) => c.cards.some((x) => x.ref === ref))
        ?.column;
    expect([columnOf('NET-1'), columnOf('NET-2'), columnOf('DOC-1'), then.asOf]).toEqual([
      'in_progress',
      'ready',
      'ready',
      moment,
    ]);
    // By then only C-1 had left Ready (20 h), and nothing had left In progress.
    expect(then.cycleTimes.slice(0, 3)).toEqual([
      { column: 'backlog', moves: 3, averageHours: 3.67, medianHours: 4 },
      { column: 'ready', moves: 1, averageHours: 20, medianHours: 20 },
      { column: 'in_progress', moves: 0, averageHours: null, medianHours: null },
    ]);

    const c1 = (await card('C-1', asOf(moment)).expect(200)).body;
    // No time logged yet (the first entry came at 17:00); in progress for 3 h at noon.
    expect([c1.column, c1.loggedHours, c1.remainingHours, c1.timeEntries, c1.asOf]).toEqual([
      'in_progress',
      0,
      8,
      [],
      moment,
    ]);
    expect(c1.columns.at(-1)).toEqual({
      column: 'in_progress',
      enteredAt: '2026-03-03T09:00:00.000Z',
      leftAt: null,
      hours: 3,
    });
  });

  it('answers 404 for a card that does not exist, or did not yet at the moment asked', async () => {
    expectProblem(await card('C-9'), 404);
    expectProblem(await card('C-1', asOf('2026-03-02T08:30:00Z')), 404);
    expectProblem(await board(asOf('2026-03-01T00:00:00Z')), 404);
  });

  it('refuses an asOf that is not a moment, naming it', async () => {
    expectProblem(await board('?asOf=yesterday'), 400, 'asOf');
    expectProblem(await card('C-1', '?asOf=2026-02-30T00:00:00Z'), 400, 'asOf');
  });
});
