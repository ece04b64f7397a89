import { randomUUID } from 'node:crypto';
import { ProjectCommand } from '@scope-ledger/domain';
import { openProject, pmContext } from '../support/repository-commands';
import { Agent, signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';

/** Text of an HTML page with the tags taken out and the spaces folded, as a reader sees it. */
const textOf = (page: string) =>
  page
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The section of the board page that holds one column. */
const columnSection = (page: string, column: string) =>
  textOf(new RegExp(`<section class="column[^"]*"[^>]*data-column="${column}">([\\s\\S]*?)</section>`).exec(page)![1]);

/**
 * The board pages: the board as it stood at an earlier moment (read only), the cycle time per column, and a
 * card's own page with its time entries and columns. Moves happen at fixed times, so the figures are exact.
 */
describe('the board pages', () => {
  let t: TestServer;
  let pm: Agent;
  let csrf: string;
  const projectId = randomUUID();
  const boardUrl = `/app/projects/${projectId}/board`;

  beforeAll(async () => {
    t = await startTestServer();
    const run = (command: ProjectCommand) => t.server.platform.commands.execute(projectId, command, pmContext);
    await run(openProject(projectId, '2026-03-02T08:00:00.000Z'));
    await run({
      type: 'EstablishBaseline',
      now: '2026-03-02T09:00:00.000Z',
      items: [
        { ref: 'NET-1', title: 'Firewall and VPN configuration', role: 'engineer', hours: 8 },
        { ref: 'NET-2', title: 'Switch stack replacement', role: 'engineer', hours: 6 },
      ],
      milestones: [{ ref: 'M1', name: 'Network live', due: '2026-03-20' }],
    });
    await run({ type: 'MoveCard', now: '2026-03-02T13:00:00.000Z', cardId: 'C-1', to: 'ready' }); // backlog 4 h
    await run({ type: 'MoveCard', now: '2026-03-02T15:00:00.000Z', cardId: 'C-2', to: 'ready' }); // backlog 6 h
    await run({ type: 'MoveCard', now: '2026-03-03T09:00:00.000Z', cardId: 'C-1', to: 'in_progress' }); // ready 20 h
    await run({
      type: 'LogTime',
      now: '2026-03-03T17:00:00.000Z',
      cardId: 'C-1',
      hours: 2.5,
      date: '2026-03-03',
      note: 'Racked the firewall',
    });
    ({ agent: pm, csrf } = await signedInAgent(t, 'pm'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows how long cards stayed in each column, and links every card to its page', async () => {
    const page = (await pm.get(boardUrl).expect(200)).text;
    // Backlog: 4 and 6 h, so 5 h both ways; Ready: C-1's 20 h; nothing has left In progress.
    expect(columnSection(page, 'backlog')).toContain('Cycle time: 5.00 h average, 5.00 h median');
    expect(columnSection(page, 'ready')).toContain('Cycle time: 20.00 h average, 20.00 h median');
    expect(columnSection(page, 'in_progress')).toContain('Cycle time: no card has left yet');
    expect(page).toContain(`<a href="${boardUrl}/cards/C-1">Firewall and VPN configuration</a>`);
    expect(page).toContain(`data-move="${boardUrl}/cards/C-1/move"`);
  });

  it('shows the board as it stood at an earlier moment, with nothing to change and a way back', async () => {
    const page = (await pm.get(`${boardUrl}?asOf=2026-03-02T14:00`).expect(200)).text;
    expect(textOf(page)).toContain(
      'As of 2 Mar 2026, 14:00 UTC. This is the board exactly as it stood then, folded from its events. ' +
        'Nothing can be changed in this view. Back to now',
    );
    expect(page).toContain(`<a href="${boardUrl}">Back to now</a>`);
    // At 14:00 C-1 had moved to Ready, C-2 was still in Backlog.
    expect(columnSection(page, 'ready')).toContain('Firewall and VPN configuration');
    expect(columnSection(page, 'backlog')).toContain('Switch stack replacement');
    expect(columnSection(page, 'backlog')).toContain('Cycle time: 4.00 h average, 4.00 h median');
    expect(page).not.toContain('/move"');
    expect(page).not.toContain('data-move');
    expect(page).not.toContain('Log time');
    expect(page).not.toContain('Save limits');
    expect(page).toContain(`<a href="${boardUrl}/cards/C-1?asOf=2026-03-02T14%3A00%3A00Z">`);
  });

  it('refuses an as-of moment it cannot read, or one before the project, on the as-of field', async () => {
    const bad = await pm.get(`${boardUrl}?asOf=yesterday`).expect(400);
    expect(bad.text).toMatch(/<input type="datetime-local" id="as-of-asOf" name="asOf"[^>]*aria-invalid="true"/);
    expect(bad.text).toContain('id="as-of-asOf-error">Enter a date and time');
    const early = await pm.get(`${boardUrl}?asOf=2001-01-01T00:00`).expect(400);
    expect(early.text).toContain('id="as-of-asOf-error">The project did not exist yet at that moment');
  });

  it("shows a card's figures, its time entries as recorded and the time it spent in each column", async () => {
    const page = textOf((await pm.get(`${boardUrl}/cards/C-1`).expect(200)).text);
    expect(page).toContain('C-1 · Firewall and VPN configuration');
    expect(page).toContain('NET-1 · engineer · admitted by the baseline on 2 Mar 2026, 09:00 UTC');
    // 8 h estimated, 2.5 h logged: 5.5 h left.
    expect(page).toContain('Estimate 8.00 h');
    expect(page).toContain('Logged 2.50 h 1 entry');
    expect(page).toContain('Remaining 5.50 h');
    expect(page).toContain('3 Mar 2026 2.50 Priya (PM) Racked the firewall 3 Mar 2026, 17:00 UTC');
    expect(page).toContain('Backlog 2 Mar 2026, 09:00 UTC 2 Mar 2026, 13:00 UTC 4.00 h');
    expect(page).toContain('Ready 2 Mar 2026, 13:00 UTC 3 Mar 2026, 09:00 UTC 20.00 h');
    expect(page).toContain('In progress 3 Mar 2026, 09:00 UTC still there');

    const then = textOf((await pm.get(`${boardUrl}/cards/C-1?asOf=2026-03-03T12:00`).expect(200)).text);
    expect(then).toContain('This is the card exactly as it stood then');
    expect(then).toContain('No time logged by then.');
    // In progress from 09:00 to noon.
    expect(then).toContain('In progress 3 Mar 2026, 09:00 UTC still there 3.00 h');

    await pm.get(`${boardUrl}/cards/C-9`).expect(404);
    await pm.get(`${boardUrl}/cards/C-1?asOf=2026-03-02T08:30`).expect(404);
  });

  it('reads time logged as 1,5 as one and a half hours, and refuses a comma that is neither mark', async () => {
    await pm
      .post(`${boardUrl}/cards/C-2/time`)
      .type('form')
      .send({ _csrf: csrf, hours: '1,5', date: '2026-03-04', note: 'Unboxed the switches' })
      .expect(303);
    const card = textOf((await pm.get(`${boardUrl}/cards/C-2`).expect(200)).text);
    // 6 h estimated, 1.5 h logged: 4.5 h left.
    expect(card).toContain('Logged 1.50 h 1 entry');
    expect(card).toContain('Remaining 4.50 h');

    const refused = await pm
      .post(`${boardUrl}/cards/C-2/time`)
      .type('form')
      .send({ _csrf: csrf, hours: '1,5000', date: '2026-03-04' })
      .expect(400);
    expect(textOf(refused.text)).toContain('Enter a number such as 1500, 1,500.25 or 1.5');
    expect(textOf((await pm.get(`${boardUrl}/cards/C-2`).expect(200)).text)).toContain('Logged 1.50 h 1 entry');
  });
});
