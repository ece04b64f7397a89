import request from 'supertest';
import { changeRequest } from '../api/api-helpers';
import { moveClockTo } from '../support/moved-clock';
import { Agent, signedInAgent } from '../support/staff-session';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';

const client = { name: 'Northwind Traders', email: 'it@northwind.example' };
const rates = { 'Network engineer': 15000, Architect: 21000 };
const signer = { name: 'Priya Raman', email: 'priya@northwind.example' };

/**
 * The team, capacity and what-if pages, on the hand-worked plan of test/api/capacity.e2e-spec.ts. The clock stands
 * on Wednesday 4 March 2026. Fibre cut-over: 30 h of network work over 8 working days to Monday 16 March (Friday 6
 * is a holiday), 18.75 h in the week of 9 March. Firewall refresh: 25 h over 8 working days to Friday 13 March,
 * 15.62 h that week. Ada (40 h) is off Friday 13 March and loses 6 h to an outage: 40 × 4 / 5 − 6 = 26 h
 * available against 18.75 + 15.62 = 34.37 h planned, 132 %. With only the cut-over: 18.75 / 26 = 72 %.
 */
describe('team and capacity pages', () => {
  let t: TestServer;
  let fibre: string;
  let firewall: string;
  let pm: { agent: Agent; csrf: string };
  let beforeSecondAssignment: string;
  const at = (time: string) => moveClockTo(Date.parse(`2026-03-04T${time}:00.000Z`));
  const assign = (projectId: string, cardId: string, personId: string) =>
    request(t.http)
      .put(`/api/projects/${projectId}/board/cards/${cardId}/assignee`)
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send({ personId })
      .expect(200);
  const post = (path: string, form: Record<string, string>) =>
    pm.agent
      .post(path)
      .type('form')
      .send({ _csrf: pm.csrf, ...form });
  const team = async () => (await t.api.get('/api/team/people?left=true').expect(200)).body as unknown[];

  beforeAll(async () => {
    t = await startTestServer();
    at('09:00');
    const open = async (name: string, holidays: string[], items: object[], due: string) => {
      const project = { name, client, currency: 'USD', rates, startDate: '2026-03-02', holidays };
      const id = (await t.api.post('/api/projects', project).expect(201)).body.id as string;
      await t.api
        .post(`/api/projects/${id}/baseline`, { items, milestones: [{ ref: 'M1', name: 'Go live', due }] })
        .expect(201);
      return id;
    };
    fibre = await open(
      'Fibre cut-over',
      ['2026-03-06'],
      [{ ref: 'NET-1', title: 'Core switch cut-over', role: 'Network engineer', hours: 30 }],
      '2026-03-16',
    );
    firewall = await open(
      'Firewall refresh',
      [],
      [
        { ref: 'FW-1', title: 'Firewall rules', role: 'Network engineer', hours: 25 },
        { ref: 'DOC-1', title: 'Network design', role: 'Architect', hours: 8 },
      ],
      '2026-03-13',
    );
    pm = await signedInAgent(t, 'pm');
  });
  afterAll(async () => {
    await t.close();
    jest.useRealTimers();
  });

  it('adds people, books and cancels time off and logs reactive work through the team forms', async () => {
    const added = await post('/app/team', {
      name: 'Ada Quinn',
      role: 'Network engineer',
      weeklyCapacityHours: '40',
      email: 'ada@msp.example',
    }).expect(303);
    expect(added.headers.location).toBe('/app/team/P-1?done=added');
    // A decimal comma reads as the API's 32.5.
    await post('/app/team', { name: 'Ben Okafor', role: 'Architect', weeklyCapacityHours: '32,5' }).expect(303);
    expect((await t.api.get('/api/team/people/P-2').expect(200)).body.weeklyCapacityHours).toBe(32.5);

    const refused = await post('/app/team', { name: 'Cy', role: 'Technician', weeklyCapacityHours: 'forty' });
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/id="add-person-weeklyCapacityHours-error">[^<]*hours/i);
    expect(refused.text).toContain('value="forty"');
    expect(await team()).toHaveLength(2);

    await post('/app/team/P-1/time-off', { from: '2026-03-13', to: '', note: 'Dentist' }).expect(303);
    await post('/app/team/P-1/time-off', { from: '2026-03-20', to: '2026-03-20' }).expect(303);
    await post('/app/team/P-1/time-off/T-2/cancel', {}).expect(303);
    await post('/app/team/P-1/reactive-work', {
      weekOf: '2026-03-09',
      hours: '6',
      kind: 'outage',
      note: 'Core switch',
    }).expect(303);
    const notMonday = await post('/app/team/P-1/reactive-work', { weekOf: '2026-03-11', hours: '2', kind: 'ticket' });
    expect(notMonday.status).toBe(422);
    expect(notMonday.text).toContain('its week begins 2026-03-09');

    const person = (await pm.agent.get('/app/team/P-1?done=reactive').expect(200)).text;
    expect(person).toContain('Reactive work logged');
    expect(person).toMatch(/T-1<\/td>\s*<td>13 Mar 2026<\/td><td>13 Mar 2026<\/td>\s*<td>Dentist/);
    expect(person).toMatch(/T-2<\/td>[\s\S]*?cancelled/);
    expect(person).toMatch(/9 Mar 2026<\/td>\s*<td>Outage<\/td>\s*<td class="num">6\.00 h/);

    const list = (await pm.agent.get('/app/team').expect(200)).text;
    expect(list).toMatch(
      /Ada Quinn<\/a>[\s\S]*?Network engineer[\s\S]*?40\.00 h[\s\S]*?ada@msp\.example[\s\S]*?6\.00 h/,
    );
    expect(list).toMatch(/Reactive work across the portfolio<\/th>\s*<td class="num strong">6\.00 h/);
    expect(list).toContain('action="/app/team"');

    await post('/app/team/P-2', {
      name: 'Ben Okafor',
      role: 'Architect',
      weeklyCapacityHours: '32',
      email: 'ben@msp.example',
    }).expect(303);
    expect((await t.api.get('/api/team/people/P-2').expect(200)).body).toMatchObject({
      weeklyCapacityHours: 32,
      email: 'ben@msp.example',
    });
  });

  it('lets finance read the team but not change it', async () => {
    const finance = await signedInAgent(t, 'finance');
    const list = (await finance.agent.get('/app/team').expect(200)).text;
    expect(list).toContain('Ada Quinn');
    expect(list).not.toContain('action="/app/team"');
    expect((await finance.agent.get('/app/team/P-1').expect(200)).text).not.toContain('Book time off');
    const before = await team();
    await finance.agent
      .post('/app/team')
      .type('form')
      .send({ _csrf: finance.csrf, name: 'Eve', role: 'Architect', weeklyCapacityHours: '40' })
      .expect(403);
    await finance.agent
      .post('/app/team/P-1/reactive-work')
      .type('form')
      .send({ _csrf: finance.csrf, weekOf: '2026-03-09', hours: '1', kind: 'ticket' })
      .expect(403);
    expect(await team()).toEqual(before);
    expect((await finance.agent.get('/app/capacity').expect(200)).text).toContain('Heat map');
  });

  it('shows the hand-worked 132 % in Ada’s week of 9 March, flagged over, with the cards behind it', async () => {
    await assign(fibre, 'C-1', 'P-1');
    at('10:00');
    beforeSecondAssignment = new Date().toISOString();
    at('11:00');
    await assign(firewall, 'C-1', 'P-1');
    // The board labels each card with who carries it.
    const board = (await pm.agent.get(`/app/projects/${firewall}/board`).expect(200)).text;
    expect(/id="card-C-1"[\s\S]*?<\/article>/.exec(board)?.[0]).toContain('<span class="assignee">Ada Quinn</span>');
    expect(/id="card-C-2"[\s\S]*?<\/article>/.exec(board)?.[0]).toContain('<span class="assignee unassigned">');

    const page = (await pm.agent.get('/app/capacity?from=2026-03-04&weeks=3').expect(200)).text;
    const cell = new RegExp(
      '<a href="/app/capacity/people/P-1/weeks/2026-03-09"[^>]*data-person="P-1" data-week="2026-03-09" ' +
        'data-band="(\\w+)"><title>([^<]*)</title>[\\s\\S]*?</a>',
    ).exec(page);
    expect(cell?.[1]).toBe('over');
    expect(cell?.[2]).toBe(
      'Ada Quinn, week of 9 Mar 2026: 34.37 h planned of 26.00 h available (132 %), over capacity, ' +
        '6.00 h reactive work, 1 day off',
    );
    expect(cell?.[0]).toContain('▲ 132 %');
    expect(cell?.[0]).toContain('R 6.00 h');
    // The week before: 7.50 + 9.38 = 16.88 of 40 h, 42 %.
    expect(page).toMatch(/data-week="2026-03-02" data-band="light"><title>[^<]*\(42 %\)/);
    // The same figures in the table for screen readers, and the architect's card as unassigned demand.
    expect(page).toMatch(/data-person="P-1" data-week="2026-03-09">\s*<a [^>]*><strong>▲ Over: 132 %<\/strong>/);
    expect(page).toMatch(/Unassigned<\/text>\s*<text[^>]*>Architect<\/text>/);
    expect(page).toMatch(/<td>Architect<\/td><td class="num">8\.00 h<\/td>/);
    expect(page).toContain('<title id="heat-map-title">');

    const drill = (await pm.agent.get('/app/capacity/people/P-1/weeks/2026-03-09').expect(200)).text;
    const rows = [
      ...drill.matchAll(/<tr>\s*<td><a href="\/app\/projects\/([^"]+)">([^<]+)<\/a><\/td>([\s\S]*?)<\/tr>/g),
    ];
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      [fibre, 'Fibre cut-over'],
      [firewall, 'Firewall refresh'],
    ]);
    expect(rows[0][3]).toMatch(
      /board\/cards\/C-1"\s*>C-1<\/a>[\s\S]*Core switch cut-over[\s\S]*18\.75 h[\s\S]*16 Mar 2026/,
    );
    expect(rows[1][3]).toMatch(/board\/cards\/C-1"\s*>C-1<\/a>[\s\S]*Firewall rules[\s\S]*15\.62 h[\s\S]*13 Mar 2026/);
    expect(drill).toMatch(/Planned that week<\/th>\s*<td class="num strong">34\.37 h/);
  });

  it('shows the earlier picture as of a past moment, and refuses a bad window beside its field', async () => {
    const asOf = encodeURIComponent(beforeSecondAssignment);
    const then = (await pm.agent.get(`/app/capacity?from=2026-03-02&weeks=3&asOf=${asOf}`).expect(200)).text;
    expect(then).toContain('This is the capacity plan exactly as it stood then');
    expect(then).toMatch(
      /data-week="2026-03-09" data-band="steady"><title>[^<]*18\.75 h planned of 26\.00 h available \(72 %\)/,
    );
    expect(then).toMatch(/<td>Network engineer<\/td><td class="num">25\.00 h<\/td>/);
    const drill = (await pm.agent.get(`/app/capacity/people/P-1/weeks/2026-03-09?asOf=${asOf}`).expect(200)).text;
    expect(drill).not.toContain('Firewall rules');

    const bad = await pm.agent.get('/app/capacity?weeks=53').expect(400);
    expect(bad.text).toMatch(/id="capacity-weeks-error">[^<]*1 to 52/);
  });

  it('says who signing a request or a pending order would push over capacity, and in which week', async () => {
    const cr = await t.api
      .post(`/api/projects/${fibre}/change-requests`, changeRequest('Second site cut-over'))
      .expect(201);
    await t.api
      .post(`/api/projects/${fibre}/change-requests/${cr.body.id}/assessment`, {
        lines: [{ op: 'add', ref: 'NET-2', title: 'Second site cut-over', role: 'Network engineer', hours: 8 }],
        schedule: [],
      })
      .expect(200);
    const requestPage = (await pm.agent.get(`/app/projects/${fibre}/change-requests/${cr.body.id}`).expect(200)).text;
    expect(requestPage).toContain('Signing CR-1 would put Ada Quinn over capacity in the week of 9 Mar 2026.');
    // 34.37 → 39.37 h of 26: 132 % → 151 %, already over.
    const row = /<td>Ada Quinn<\/td><td>9 Mar 2026<\/td>([\s\S]*?)<\/tr>/.exec(requestPage)?.[1] ?? '';
    expect(row.replace(/\s+/g, ' ')).toBe(
      ' <td class="num">26.00 h</td> <td class="num">34.37 h (132 %)</td> ' +
        '<td class="num strong">39.37 h (151 %)</td> <td>further over (already over)</td> ',
    );
    expect(requestPage).toContain('href="/app/capacity?from=2026-03-09&amp;weeks=4"');

    await t.api.post(`/api/projects/${fibre}/change-orders`, { changeRequestIds: [cr.body.id], signer }).expect(201);
    const projectPage = (await pm.agent.get(`/app/projects/${fibre}`).expect(200)).text;
    expect(projectPage).toContain('Capacity if CO-1 is signed');
    expect(projectPage).toContain('Signing CO-1 would put Ada Quinn over capacity in the week of 9 Mar 2026.');

    // A request for the architect, whose only card nobody holds yet, puts no one over.
    const small = await t.api
      .post(`/api/projects/${firewall}/change-requests`, changeRequest('Design review'))
      .expect(201);
    await t.api
      .post(`/api/projects/${firewall}/change-requests/${small.body.id}/assessment`, {
        lines: [{ op: 'add', ref: 'DOC-2', title: 'Design review', role: 'Architect', hours: 2 }],
        schedule: [],
      })
      .expect(200);
    const calm = (await pm.agent.get(`/app/projects/${firewall}/change-requests/${small.body.id}`).expect(200)).text;
    expect(calm).toContain('No one goes over capacity');
  });

  it('refuses hours outside more than 0 to 168 in the team form with the 400 the API gives', async () => {
    for (const weeklyCapacityHours of ['-4', '0', '200', '10,123']) {
      const refused = await post('/app/team', { name: 'Cy', role: 'Technician', weeklyCapacityHours });
      expect(refused.status).toBe(400);
      expect(refused.text).toMatch(
        /id="add-person-weeklyCapacityHours-error">[^<]*more than 0 and at most 168 hours, with at most two decimals/,
      );
    }
    expect(await team()).toHaveLength(2);
  });

  it('shows unassigned work by role as hours before and after signing, and each line’s milestone', async () => {
    // Nobody holds the architect's DOC-1 (8 h over 8 working days to 13 March: 3 h this week, 5 h the next).
    // Cutting it to 6 h: 6 × 3 / 8 = 2.25 h and 6 × 5 / 8 = 3.75 h.
    const cr = await t.api
      .post(`/api/projects/${firewall}/change-requests`, changeRequest('Shorter design'))
      .expect(201);
    await t.api
      .post(`/api/projects/${firewall}/change-requests/${cr.body.id}/assessment`, {
        lines: [
          { op: 'modify', ref: 'DOC-1', hours: 6 },
          { op: 'add', ref: 'FW-2', title: 'Guest VLAN rules', role: 'Network engineer', hours: 1, milestone: 'M1' },
        ],
        schedule: [],
      })
      .expect(200);
    const page = (await pm.agent.get(`/app/projects/${firewall}/change-requests/${cr.body.id}`).expect(200)).text;
    expect(page).toContain(
      'Unassigned work by role: Architect: 3.00 h → 2.25 h in the week of 2 Mar 2026; ' +
        'Architect: 5.00 h → 3.75 h in the week of 9 Mar 2026.',
    );
    expect(page).not.toContain('no one on the team has the role');
    expect(page).toMatch(/<th[^>]*>Due by<\/th>/);
    expect(page).toMatch(
      /DOC-1<\/td><td>Network design<\/td><td>Architect<\/td>\s*<td>M1 · Go live \(the last\)<\/td>/,
    );
    expect(page).toMatch(/FW-2<\/td><td>Guest VLAN rules<\/td><td>Network engineer<\/td>\s*<td>M1 · Go live<\/td>/);
  });

  it('says capacity plans each card up to its milestone’s current date', async () => {
    const capacity = (await pm.agent.get('/app/capacity?from=2026-03-02&weeks=3').expect(200)).text;
    expect(capacity).toContain(
      'up to its milestone’s current date, or its project’s last milestone when it names none',
    );
    expect(capacity).not.toContain('up to its last milestone.');
    const card = (await pm.agent.get(`/app/projects/${fibre}/board/cards/C-1`).expect(200)).text;
    expect(card).toContain('up to its milestone’s current date (the project’s last milestone when it names none)');
  });
});
