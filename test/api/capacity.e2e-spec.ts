import request from 'supertest';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';
import { moveClockTo } from '../support/moved-clock';
import { signedInAgent } from '../support/staff-session';
import { changeRequest, expectProblem, expectRefusedWithoutAppend } from './api-helpers';

const client = { name: 'Northwind Traders', email: 'it@northwind.example' };
const rates = { 'Network engineer': 15000, Architect: 21000 };
const signer = { name: 'Priya Raman', email: 'priya@northwind.example' };

/**
 * Two projects share one network engineer. The clock stands on Wednesday 4 March 2026, 09:00 UTC.
 *
 * Fibre cut-over: 30 h of network work; Friday 6 March is a holiday; its milestone is Monday 16 March. From today
 * that is 8 working days (Wed 4, Thu 5, Mon 9 … Fri 13, Mon 16): 3.75 h a day, so 7.50 h this week, 18.75 h the
 * week of 9 March and 3.75 h on the 16th.
 *
 * Firewall refresh: 25 h of network work and 8 h for the architect, due Friday 13 March, no holidays: 8 working
 * days (Wed 4 … Fri 13). 25 h: 9.38 h this week (25 × 3 / 8 = 9.375, rounded), 15.62 h the next. 8 h: 3 h, 5 h.
 *
 * Ada (40 h a week) is off Friday 13 March and loses 6 h to an outage that week: 40 × 4 / 5 − 6 = 26 h, against
 * 18.75 + 15.62 = 34.37 h of cards: 132 %.
 */
describe('capacity across projects', () => {
  let t: TestServer;
  let fibre: string;
  let firewall: string;
  const put = (path: string, body: unknown) =>
    request(t.http)
      .put(path)
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send(body as object);
  const at = (time: string) => moveClockTo(Date.parse(`2026-03-04T${time}:00.000Z`));

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
  });
  afterAll(async () => {
    await t.close();
    jest.useRealTimers();
  });

  it('keeps people with roles and capacity, time off and reactive work; bad input appends nothing', async () => {
    const ada = await t.api
      .post('/api/team/people', {
        name: 'Ada Quinn',
        email: 'ada@msp.example',
        role: 'Network engineer',
        weeklyCapacityHours: 40,
      })
      .expect(201);
    expect(ada.headers.location).toBe('/api/team/people/P-1');
    expect(ada.body.person).toMatchObject({ personId: 'P-1', role: 'Network engineer', weeklyCapacityHours: 40 });
    await t.api
      .post('/api/team/people', { name: 'Ben Okafor', role: 'Architect', weeklyCapacityHours: 32 })
      .expect(201);

    const dayOff = await t.api
      .post('/api/team/people/P-1/time-off', { from: '2026-03-13', to: '2026-03-13' })
      .expect(201);
    expect(dayOff.body.person.timeOff).toEqual([expect.objectContaining({ timeOffId: 'T-1', from: '2026-03-13' })]);
    await t.api
      .post('/api/team/people/P-1/reactive-work', {
        weekOf: '2026-03-09',
        hours: 6,
        kind: 'outage',
        note: 'Core switch',
      })
      .expect(201);
    expect((await t.api.get('/api/team/people/P-1/reactive-work').expect(200)).body).toMatchObject({
      entries: [{ entryId: 'R-1', weekOf: '2026-03-09', hours: 6, kind: 'outage' }],
      totalHours: 6,
    });

    const before = (await t.api.get('/api/team/people').expect(200)).body;
    expectProblem(
      await t.api.post('/api/team/people', { name: 'Cy', role: 'Technician', weeklyCapacityHours: 'forty' }),
      400,
      'weeklyCapacityHours',
    );
    const notMonday = await t.api.post('/api/team/people/P-1/reactive-work', {
      weekOf: '2026-03-11',
      hours: 2,
      kind: 'ticket',
    });
    expectProblem(notMonday, 422, 'weekOf');
    expect(notMonday.body.detail).toContain('2026-03-11 is a Wednesday; its week begins 2026-03-09');
    expectProblem(await t.api.post('/api/team/people/P-9/time-off', { from: '2026-03-13', to: '2026-03-13' }), 404);
    expect((await t.api.get('/api/team/people').expect(200)).body).toEqual(before);
  });

  it('assigns cards to people on the team and refuses anyone else without appending', async () => {
    const assigned = await put(`/api/projects/${fibre}/board/cards/C-1/assignee`, { personId: 'P-1' }).expect(200);
    expect(assigned.body.events).toEqual(['BoardCardAssigned']);
    expect(assigned.body.board.columns[0].cards[0]).toMatchObject({ id: 'C-1', assignee: 'P-1' });

    await expectRefusedWithoutAppend(
      t,
      firewall,
      () => put(`/api/projects/${firewall}/board/cards/C-1/assignee`, { personId: 'P-9' }),
      422,
      'personId',
    );
    await expectRefusedWithoutAppend(
      t,
      firewall,
      () => put(`/api/projects/${firewall}/board/cards/C-1/assignee`, { personId: 'Ada' }),
      400,
      'personId',
    );
    const card = (await t.api.get(`/api/projects/${fibre}/board/cards/C-1`).expect(200)).body;
    expect(card.assignee).toBe('P-1');
  });

  let beforeSecondAssignment: string;

  it('over-books the engineer both projects share in the week of 9 March; asOf gives the earlier picture', async () => {
    at('10:00');
    beforeSecondAssignment = new Date().toISOString();
    at('11:00');
    await put(`/api/projects/${firewall}/board/cards/C-1/assignee`, { personId: 'P-1' }).expect(200);

    const plan = (await t.api.get('/api/capacity?from=2026-03-04&weeks=3').expect(200)).body;
    expect(plan.from).toBe('2026-03-02');
    expect(plan.weeks).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
    const ada = plan.people.find((p: { personId: string }) => p.personId === 'P-1');
    expect(ada.weeks).toEqual([
      expect.objectContaining({ weekOf: '2026-03-02', capacityHours: 40, loadHours: 16.88, overAllocated: false }),
      {
        weekOf: '2026-03-09',
        capacityHours: 26,
        loadHours: 34.37,
        reactiveHours: 6,
        timeOffDays: 1,
        utilisation: 1.32,
        overAllocated: true,
      },
      expect.objectContaining({ weekOf: '2026-03-16', capacityHours: 40, loadHours: 3.75, overAllocated: false }),
    ]);
    // The architect's card is assigned to no one: unassigned demand of its role.
    expect(plan.unassigned).toEqual([
      {
        role: 'Architect',
        weeks: [
          { weekOf: '2026-03-02', hours: 3 },
          { weekOf: '2026-03-09', hours: 5 },
          { weekOf: '2026-03-16', hours: 0 },
        ],
        hours: 8,
      },
    ]);
    expect(plan.reactive).toMatchObject({
      total: 6,
      perPerson: [
        { personId: 'P-1', hours: 6 },
        { personId: 'P-2', hours: 0 },
      ],
    });

    const cell = (await t.api.get('/api/capacity/people/P-1/weeks/2026-03-09').expect(200)).body;
    expect(cell.week).toMatchObject({ capacityHours: 26, loadHours: 34.37, overAllocated: true });
    expect(cell.cards).toEqual([
      expect.objectContaining({ projectId: fibre, projectName: 'Fibre cut-over', cardId: 'C-1', hours: 18.75 }),
      expect.objectContaining({ projectId: firewall, projectName: 'Firewall refresh', cardId: 'C-1', hours: 15.62 }),
    ]);

    // Before the firewall card was hers, Ada carried only the cut-over and the firewall work was unassigned.
    const then = (
      await t.api
        .get(`/api/capacity?from=2026-03-02&weeks=3&asOf=${encodeURIComponent(beforeSecondAssignment)}`)
        .expect(200)
    ).body;
    expect(then.asOf).toBe(beforeSecondAssignment);
    expect(then.people[0].weeks[1]).toMatchObject({ loadHours: 18.75, capacityHours: 26, overAllocated: false });
    expect(then.unassigned.map((u: { role: string; hours: number }) => [u.role, u.hours])).toEqual([
      ['Architect', 8],
      ['Network engineer', 25],
    ]);
  });

  it("assigns from the card's page with a choice of the people on the team", async () => {
    const { agent, csrf } = await signedInAgent(t, 'pm');
    const cardPage = `/app/projects/${firewall}/board/cards/C-2`;
    const page = (await agent.get(cardPage).expect(200)).text;
    expect(page).toContain(`action="${cardPage}/assignee"`);
    expect(page).toContain('<option value="P-2">Ben Okafor (P-2, Architect)</option>');
    await agent.post(`${cardPage}/assignee`).type('form').send({ _csrf: csrf, personId: 'P-2' }).expect(303);
    expect((await agent.get(`${cardPage}?done=assigned&ref=C-2`).expect(200)).text).toContain('C-2 assigned.');
    expect((await t.api.get(`/api/projects/${firewall}/board/cards/C-2`).expect(200)).body.assignee).toBe('P-2');
    const refused = await agent.post(`${cardPage}/assignee`).type('form').send({ _csrf: csrf, personId: 'P-8' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Person P-8 is not on the team');
    // Back to no one, so the plans below count the architect's card as unassigned demand.
    await agent.post(`${cardPage}/assignee`).type('form').send({ _csrf: csrf, personId: '' }).expect(303);
    expect((await t.api.get(`/api/projects/${firewall}/board/cards/C-2`).expect(200)).body.assignee).toBeNull();
  });

  it('refuses bad windows with 400', async () => {
    expectProblem(await t.api.get('/api/capacity?weeks=53'), 400, 'weeks');
    expectProblem(await t.api.get('/api/capacity?from=2026-02-30'), 400, 'from');
    expectProblem(await t.api.get('/api/capacity/people/P-1/weeks/next'), 400, 'weekOf');
    expectProblem(await t.api.get('/api/capacity/people/P-7/weeks/2026-03-09'), 404);
  });

  it('shows who a pending order would push over capacity before it is signed', async () => {
    // 8 more hours of network work on the cut-over: 1 h a day over its 8 working days, all to Ada, its only engineer.
    const cr = await t.api
      .post(`/api/projects/${fibre}/change-requests`, changeRequest('Second site cut-over'))
      .expect(201);
    await t.api
      .post(`/api/projects/${fibre}/change-requests/${cr.body.id}/assessment`, {
        lines: [{ op: 'add', ref: 'NET-2', title: 'Second site cut-over', role: 'Network engineer', hours: 8 }],
        schedule: [],
      })
      .expect(200);
    const ofRequest = (
      await t.api.get(`/api/projects/${fibre}/change-requests/${cr.body.id}/capacity-impact`).expect(200)
    ).body;
    expect(ofRequest).toMatchObject({ changeRequest: 'CR-1', goingOver: [{ personId: 'P-1', weekOf: '2026-03-09' }] });

    const order = await t.api
      .post(`/api/projects/${fibre}/change-orders`, { changeRequestIds: [cr.body.id], signer })
      .expect(201);
    const impact = (
      await t.api.get(`/api/projects/${fibre}/change-orders/${order.body.id}/capacity-impact`).expect(200)
    ).body;
    expect(impact).toMatchObject({
      changeOrder: 'CO-1',
      from: '2026-03-02',
      weeks: ['2026-03-02', '2026-03-09', '2026-03-16'],
      cards: [{ cardId: 'C-2', change: 'added', role: 'Network engineer', estimateHoursAfter: 8, assignees: ['P-1'] }],
      people: [{ personId: 'P-1', name: 'Ada Quinn', weeks: ['2026-03-09'] }],
    });
    // This week 16.88 → 18.88 of 40; the week of 9 March 34.37 → 39.37 of 26, further over; the 16th 3.75 → 4.75.
    expect(impact.changes).toEqual([
      expect.objectContaining({
        weekOf: '2026-03-02',
        loadHoursBefore: 16.88,
        loadHoursAfter: 18.88,
        overAllocated: false,
      }),
      expect.objectContaining({
        weekOf: '2026-03-09',
        capacityHours: 26,
        loadHoursBefore: 34.37,
        loadHoursAfter: 39.37,
        utilisationAfter: 1.51,
        overAllocated: true,
        wasOverAllocated: true,
      }),
      expect.objectContaining({ weekOf: '2026-03-16', loadHoursBefore: 3.75, loadHoursAfter: 4.75 }),
    ]);
    // Nothing was signed: the live plan is as it was.
    const plan = (await t.api.get('/api/capacity?from=2026-03-02&weeks=3').expect(200)).body;
    expect(plan.people[0].weeks[1].loadHours).toBe(34.37);
  });

  it('loads the weeks before a card’s own milestone rather than spreading it to the project’s end', async () => {
    // Wi-Fi survey, no holidays: M1 on Monday 9 March, M2 (the end) on Friday 20 March. Ben (architect, 32 h) does
    // both cards. SITE-1, 10 h due by M1: Wed 4, Thu 5, Fri 6, Mon 9 = 4 working days, 2.5 h a day, so 7.5 h this
    // week and 2.5 h on the 9th. REPORT-1, 13 h naming no milestone: Wed 4 … Fri 20 = 13 working days, 1 h a day:
    // 3 h, 5 h, 5 h. Ben: 10.5 h, 7.5 h, 5 h. Spread to the end like REPORT-1, SITE-1 would have been 2.31 h,
    // 3.84 h, 3.85 h.
    const project = { name: 'Wi-Fi survey', client, currency: 'USD', rates, startDate: '2026-03-02', holidays: [] };
    const wifi = (await t.api.post('/api/projects', project).expect(201)).body.id as string;
    const milestones = [
      { ref: 'M1', name: 'Site walked', due: '2026-03-09' },
      { ref: 'M2', name: 'Report accepted', due: '2026-03-20' },
    ];
    const items = [
      { ref: 'SITE-1', title: 'Walk the site', role: 'Architect', hours: 10, milestone: 'M1' },
      { ref: 'REPORT-1', title: 'Write the survey report', role: 'Architect', hours: 13 },
    ];
    await expectRefusedWithoutAppend(
      t,
      wifi,
      () =>
        t.api.post(`/api/projects/${wifi}/baseline`, {
          items: [items[1], { ...items[0], milestone: 'M3' }],
          milestones,
        }),
      422,
      'items[1].milestone',
    );
    await t.api.post(`/api/projects/${wifi}/baseline`, { items, milestones }).expect(201);
    const site = (await t.api.get(`/api/projects/${wifi}/board/cards/C-1`).expect(200)).body;
    expect(site).toMatchObject({ ref: 'SITE-1', milestone: 'M1' });
    expect((await t.api.get(`/api/projects/${wifi}/board/cards/C-2`).expect(200)).body.milestone).toBeNull();
    await put(`/api/projects/${wifi}/board/cards/C-1/assignee`, { personId: 'P-2' }).expect(200);
    await put(`/api/projects/${wifi}/board/cards/C-2/assignee`, { personId: 'P-2' }).expect(200);

    const plan = (await t.api.get('/api/capacity?from=2026-03-02&weeks=3').expect(200)).body;
    const ben = plan.people.find((p: { personId: string }) => p.personId === 'P-2');
    expect(ben.weeks.map((w: { loadHours: number }) => w.loadHours)).toEqual([10.5, 7.5, 5]);
    const cell = (await t.api.get('/api/capacity/people/P-2/weeks/2026-03-02').expect(200)).body;
    expect(cell.cards).toEqual([
      expect.objectContaining({ cardId: 'C-1', hours: 7.5, milestone: 'M1', dueBy: '2026-03-09' }),
      expect.objectContaining({ cardId: 'C-2', hours: 3, milestone: null, dueBy: '2026-03-20' }),
    ]);

    // A card moved to done carries no load: Ben keeps REPORT-1's 3 h, 5 h, 5 h. One with all its hours logged
    // carries none either: 13 h logged on REPORT-1 leaves him nothing.
    const loads = async () => {
      const now = (await t.api.get('/api/capacity?from=2026-03-02&weeks=3').expect(200)).body;
      return now.people
        .find((p: { personId: string }) => p.personId === 'P-2')
        .weeks.map((w: { loadHours: number }) => w.loadHours);
    };
    await t.api.post(`/api/projects/${wifi}/board/cards/C-1/move`, { to: 'done' }).expect(200);
    expect(await loads()).toEqual([3, 5, 5]);
    await t.api.post(`/api/projects/${wifi}/board/cards/C-2/time`, { hours: 13, date: '2026-03-04' }).expect(201);
    expect(await loads()).toEqual([0, 0, 0]);
  });

  it('refuses capacity and reactive hours outside more than 0 to 168 with one 400 naming the field', async () => {
    const before = (await t.api.get('/api/team/people').expect(200)).body;
    for (const weeklyCapacityHours of [-5, 10.123, 0, 200, '-4']) {
      const refused = await t.api.post('/api/team/people', { name: 'Cy', role: 'Technician', weeklyCapacityHours });
      expectProblem(refused, 400, 'weeklyCapacityHours');
      expect(refused.body.detail).toBe(
        'weeklyCapacityHours must be more than 0 and at most 168 hours, with at most two decimals',
      );
    }
    expectProblem(await t.api.patch('/api/team/people/P-1', { weeklyCapacityHours: 0 }), 400, 'weeklyCapacityHours');
    for (const hours of [0, 168.5, -1]) {
      const refused = await t.api.post('/api/team/people/P-1/reactive-work', {
        weekOf: '2026-03-09',
        hours,
        kind: 'ticket',
      });
      expectProblem(refused, 400, 'hours');
      expect(refused.body.detail).toBe('hours must be more than 0 and at most 168 hours, with at most two decimals');
    }
    expect((await t.api.get('/api/team/people').expect(200)).body).toEqual(before);
  });

  it('reads reactive work from any day’s Monday and refuses a range that ends before it starts', async () => {
    const backwards = await t.api.get('/api/team/people/P-1/reactive-work?from=2026-12-22&to=2026-12-14');
    expectProblem(backwards, 400, 'from');
    expect(backwards.body.detail).toBe('from must not be after to');
    // Wednesday 11 March belongs to the week of Monday 9 March, where Ada's 6 h outage is logged.
    const wednesday = await t.api.get('/api/team/people/P-1/reactive-work?from=2026-03-11&to=2026-03-11').expect(200);
    expect(wednesday.body).toMatchObject({
      entries: [{ entryId: 'R-1', weekOf: '2026-03-09', hours: 6 }],
      totalHours: 6,
    });
    // Sunday 8 March belongs to the week before: nothing logged there.
    const sunday = await t.api.get('/api/team/people/P-1/reactive-work?from=2026-03-08&to=2026-03-08').expect(200);
    expect(sunday.body).toMatchObject({ entries: [], totalHours: 0 });
  });

  it('names the order a request sits on when showing the impact of signing it', async () => {
    const [cr] = (await t.api.get(`/api/projects/${fibre}/change-requests`).expect(200)).body;
    expect(cr).toMatchObject({ number: 'CR-1', changeOrder: 'CO-1' });
    const impact = (await t.api.get(`/api/projects/${fibre}/change-requests/${cr.id}/capacity-impact`).expect(200))
      .body;
    expect(impact).toMatchObject({ changeRequest: 'CR-1', changeOrder: 'CO-1' });
  });

  it('shows the milestone each assessed line, order line and scope item is due by before signing', async () => {
    const project = { name: 'Site survey', client, currency: 'USD', rates, startDate: '2026-03-02', holidays: [] };
    const survey = (await t.api.post('/api/projects', project).expect(201)).body.id as string;
    await t.api
      .post(`/api/projects/${survey}/baseline`, {
        items: [
          { ref: 'WALK-1', title: 'Walk the site', role: 'Architect', hours: 4, milestone: 'M1' },
          { ref: 'REP-1', title: 'Report', role: 'Architect', hours: 6 },
        ],
        milestones: [
          { ref: 'M1', name: 'Site walked', due: '2026-03-09' },
          { ref: 'M2', name: 'Report accepted', due: '2026-03-20' },
        ],
      })
      .expect(201);
    const cr = await t.api.post(`/api/projects/${survey}/change-requests`, changeRequest('Second floor')).expect(201);
    const lines = [
      { op: 'add', ref: 'WALK-2', title: 'Walk the second floor', role: 'Architect', hours: 2, milestone: 'M1' },
      { op: 'add', ref: 'REP-2', title: 'Second floor notes', role: 'Architect', hours: 1 },
    ];
    await t.api
      .post(`/api/projects/${survey}/change-requests/${cr.body.id}/assessment`, { lines, schedule: [] })
      .expect(200);
    const assessed = (await t.api.get(`/api/projects/${survey}/change-requests/${cr.body.id}`).expect(200)).body;
    expect(assessed.assessment.lines).toEqual([
      expect.objectContaining({ ref: 'WALK-2', milestone: 'M1' }),
      expect.objectContaining({ ref: 'REP-2', milestone: null }),
    ]);
    const order = await t.api
      .post(`/api/projects/${survey}/change-orders`, { changeRequestIds: [cr.body.id], signer })
      .expect(201);
    const drafted = (await t.api.get(`/api/projects/${survey}/change-orders/${order.body.id}`).expect(200)).body;
    expect(drafted.lines).toEqual([
      expect.objectContaining({ ref: 'WALK-2', milestone: 'M1' }),
      expect.objectContaining({ ref: 'REP-2', milestone: null }),
    ]);
    const scope = (await t.api.get(`/api/projects/${survey}/scope`).expect(200)).body;
    expect(scope.items).toEqual([
      expect.objectContaining({ ref: 'WALK-1', state: 'baseline', milestone: 'M1' }),
      expect.objectContaining({ ref: 'REP-1', state: 'baseline', milestone: null }),
    ]);
  });
});
