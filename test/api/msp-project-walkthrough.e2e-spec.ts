import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';
import { expectRefusedWithoutAppend } from './api-helpers';

/**
 * A Microsoft 365 and network migration for one client, driven through HTTP only: the
 * project opens, its baseline is set, the client's requests arrive by every channel and are
 * assessed, declined or re-assessed, and every figure read back is checked against
 * arithmetic worked out by hand below.
 *
 * Rates (minor units per hour):
 *   engineer 15,000   architect 21,000   project_manager 12,500   security_analyst 12,345
 * Line cost = hours x rate + fixed cost, rounded half up to the cent.
 *
 * Working calendar: Monday to Friday minus the project's holidays
 *   2026-04-03 (Fri, Good Friday), 2026-05-25 (Mon, Memorial Day), 2026-07-03 (Fri, Independence Day observed).
 */
describe('an MSP project walked through the API', () => {
  let t: TestServer;
  let pmKey: string;
  let projectId: string;
  const cr: Record<'mailboxes' | 'teamsPhone' | 'hypercare' | 'cfoException' | 'firewallPort' | 'breakGlass', string> =
    {} as never;

  const pm = {
    post: (path: string, body?: unknown) =>
      request(t.http)
        .post(path)
        .set('Authorization', `Bearer ${pmKey}`)
        .send(body as object),
    get: (path: string) => request(t.http).get(path).set('Authorization', `Bearer ${pmKey}`),
  };
  const project = (path = '') => `/api/projects/${projectId}${path}`;
  const assess = (id: string, body: unknown) => pm.post(project(`/change-requests/${id}/assessment`), body);
  const refused = (send: () => Promise<request.Response>, status: number, field?: string) =>
    expectRefusedWithoutAppend(t, projectId, send, status, field);

  const dana = { name: 'Dana Whitfield', email: 'dana.whitfield@northwind.example' };
  const omar = { name: 'Omar Haddad', email: 'omar.haddad@northwind.example' };

  const baselineItems = [
    // 12.5 h x 21,000 = 262,500
    { ref: 'DISC-1', title: 'Discovery workshops and current-state assessment', role: 'architect', hours: 12.5 },
    // 1.33 h x 21,000 = 27,930
    { ref: 'DISC-2', title: 'Tenant readiness report', role: 'architect', hours: 1.33 },
    // 16.25 h x 15,000 = 243,750 + 89,900 firewall licence = 333,650
    { ref: 'NET-1', title: 'Firewall and site-to-site VPN', role: 'engineer', hours: 16.25, fixedCost: 89900 },
    // 7.75 h x 15,000 = 116,250
    { ref: 'MIG-1', title: 'Pilot mailbox migration (25 users)', role: 'engineer', hours: 7.75 },
    // 38.5 h x 15,000 = 577,500 + 48,000 migration tool licences = 625,500
    { ref: 'MIG-2', title: 'Bulk mailbox migration (240 users)', role: 'engineer', hours: 38.5, fixedCost: 48000 },
    // 6.1 h x 12,345 = 75,304.5 -> 75,305 (half up)
    { ref: 'SEC-1', title: 'MFA and conditional access rollout', role: 'security_analyst', hours: 6.1 },
    // 20.4 h x 12,500 = 255,000
    { ref: 'PM-1', title: 'Project management and status reporting', role: 'project_manager', hours: 20.4 },
    // 9.99 h x 15,000 = 149,850
    { ref: 'HC-1', title: 'Two weeks of hypercare', role: 'engineer', hours: 9.99 },
    // 0 h, 35,000 fixed = 35,000
    { ref: 'DOC-1', title: 'As-built documentation pack', role: 'architect', hours: 0, fixedCost: 35000 },
  ];
  const baselineCosts: Record<string, number> = {
    'DISC-1': 262500,
    'DISC-2': 27930,
    'NET-1': 333650,
    'MIG-1': 116250,
    'MIG-2': 625500,
    'SEC-1': 75305,
    'PM-1': 255000,
    'HC-1': 149850,
    'DOC-1': 35000,
  };
  // 262,500 + 27,930 + 333,650 + 116,250 + 625,500 + 75,305 + 255,000 + 149,850 + 35,000 = 1,880,985
  const BASELINE_TOTAL = 1880985;
  // 12.5 + 1.33 + 16.25 + 7.75 + 38.5 + 6.1 + 20.4 + 9.99 + 0 = 112.82 h
  const BASELINE_HOURS = 112.82;

  const milestones = [
    { ref: 'M1', name: 'Discovery signed off', due: '2026-03-20' }, // Friday
    { ref: 'M2', name: 'Pilot migrated', due: '2026-04-01' }, // Wednesday
    { ref: 'M3', name: 'Bulk migration complete', due: '2026-05-20' }, // Wednesday
    { ref: 'M4', name: 'Hypercare closed', due: '2026-06-30' }, // Tuesday
  ];

  beforeAll(async () => {
    t = await startTestServer();
    pmKey = await t.keyFor('pm');
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens the project with its rate card and holidays', async () => {
    const opened = await pm
      .post('/api/projects', {
        name: 'Northwind M365 and network migration',
        client: { name: 'Northwind Traders', email: 'it@northwind.example' },
        manager: { name: 'Priya Raman', email: 'priya@msp.example' },
        currency: 'USD',
        rates: { engineer: 15000, architect: 21000, project_manager: 12500, security_analyst: 12345 },
        startDate: '2026-03-02',
        // Unsorted and with a repeat: the project keeps each day once, in order.
        holidays: ['2026-07-03', '2026-04-03', '2026-05-25', '2026-04-03'],
      })
      .expect(201);
    projectId = opened.body.id;
    expect(opened.body.events).toEqual(['ProjectOpened']);
    const summary = await pm.get(project()).expect(200);
    expect(summary.body).toMatchObject({
      name: 'Northwind M365 and network migration',
      currency: 'USD',
      rates: { engineer: 15000, architect: 21000, project_manager: 12500, security_analyst: 12345 },
      startDate: '2026-03-02',
      holidays: ['2026-04-03', '2026-05-25', '2026-07-03'],
      baselineEstablished: false,
    });
  });

  it('logs the first request, by email, before the baseline exists, and refuses to assess it yet', async () => {
    const logged = await pm
      .post(project('/change-requests'), {
        title: 'Shared mailboxes for accounts payable',
        description: 'Four shared mailboxes (AP, AR, payroll, procurement) with delegated access.',
        source: 'email',
        requestedBy: dana,
        receivedAt: '2026-03-02T16:40:00+01:00',
        ticketRef: 'NW-1001',
      })
      .expect(201);
    cr.mailboxes = logged.body.id;
    expect(logged.body.number).toBe('CR-1');
    expect(logged.headers.location).toBe(project(`/change-requests/${cr.mailboxes}`));

    const refusal = await refused(
      () =>
        assess(cr.mailboxes, {
          lines: [{ op: 'add', ref: 'MIG-3', title: 'Shared mailboxes', role: 'engineer', hours: 2.75 }],
        }),
      409,
    );
    expect(refusal.body.detail).toMatch(/baseline/i);
  });

  it('refuses baselines that break the rules, naming the field, and appends nothing', async () => {
    const withItems =
      (items: unknown[], ms: unknown[] = milestones) =>
      () =>
        pm.post(project('/baseline'), { items, milestones: ms });

    const unknownRole = await refused(
      withItems([
        ...baselineItems.slice(0, 3),
        { ref: 'X-1', title: 'Licensing review', role: 'consultant', hours: 2 },
      ]),
      422,
      'items[3].role',
    );
    expect(unknownRole.body.detail).toMatch(/consultant/);

    await refused(
      withItems([...baselineItems.slice(0, 2), { ...baselineItems[0], title: 'Again' }]),
      422,
      'items[2].ref',
    );
    await refused(
      withItems([{ ref: 'EMPTY-1', title: 'Nothing to do', role: 'engineer', hours: 0 }]),
      422,
      'items[0].hours',
    );
    const early = await refused(
      withItems(baselineItems, [{ ref: 'M0', name: 'Kick-off', due: '2026-02-27' }]),
      422,
      'milestones[0].due',
    );
    expect(early.body.detail).toMatch(/2026-03-02/);
    await refused(withItems(baselineItems, [milestones[0], { ...milestones[1], ref: 'M1' }]), 422, 'milestones[1].ref');
  });

  it('establishes the baseline: nine priced items and four milestones', async () => {
    const established = await pm.post(project('/baseline'), { items: baselineItems, milestones }).expect(201);
    // One board card per baseline item, in the same atomic append.
    expect(established.body.events).toEqual(['BaselineEstablished', ...baselineItems.map(() => 'BoardCardAdded')]);
    const events = (await pm.get(project('/events')).expect(200)).body as {
      type: string;
      data: { items?: { ref: string; cost: number }[]; total?: number };
    }[];
    const baseline = events.find((e) => e.type === 'BaselineEstablished')!;
    expect(Object.fromEntries(baseline.data.items!.map((i) => [i.ref, i.cost]))).toEqual(baselineCosts);
    expect(baseline.data.total).toBe(BASELINE_TOTAL);
  });

  it('refuses a second baseline with 409', async () => {
    const refusal = await refused(() => pm.post(project('/baseline'), { items: baselineItems, milestones }), 409);
    expect(refusal.body.detail).toMatch(/already established/);
  });

  it('logs requests from the phone, a meeting, the ticket system and the client portal', async () => {
    const phone = await pm
      .post(project('/change-requests'), {
        title: 'Teams Phone for the sales floor',
        description: 'Port 30 numbers and set up auto attendants; raised on the weekly call.',
        source: 'phone',
        requestedBy: omar,
        receivedAt: '2026-03-09T14:05:00Z',
      })
      .expect(201);
    cr.teamsPhone = phone.body.id;

    // No receivedAt: the request was received when it was logged.
    const loggedFrom = new Date().toISOString();
    const meeting = await pm
      .post(project('/change-requests'), {
        title: "Client's helpdesk takes over hypercare",
        description: 'Agreed in the steering meeting: Northwind staff cover the two hypercare weeks.',
        source: 'meeting',
        requestedBy: omar,
      })
      .expect(201);
    const loggedUntil = new Date().toISOString();
    cr.hypercare = meeting.body.id;

    const ticket = await pm
      .post(project('/change-requests'), {
        title: "Conditional-access exception for the CFO's travel laptop",
        description: 'Allow sign-in from the hotel network in Lisbon for one week.',
        source: 'ticket',
        requestedBy: dana,
        receivedAt: '2026-03-16T08:12:00Z',
        ticketRef: 'TCK-4821',
      })
      .expect(201);
    cr.cfoException = ticket.body.id;

    const portal = await pm
      .post(project('/change-requests'), {
        title: 'Replace the failed firewall port',
        description: 'Port 7 on the edge firewall stopped linking.',
        source: 'portal',
        requestedBy: dana,
        receivedAt: '2026-03-18T11:30:00-05:00',
        ticketRef: 'PORTAL-77',
      })
      .expect(201);
    cr.firewallPort = portal.body.id;

    const email = await pm
      .post(project('/change-requests'), {
        title: 'Break-glass admin accounts',
        description: 'Two emergency global admin accounts excluded from conditional access.',
        source: 'email',
        requestedBy: dana,
        receivedAt: '2026-03-20T09:00:00Z',
        ticketRef: 'NW-1002',
      })
      .expect(201);
    cr.breakGlass = email.body.id;

    expect([phone, meeting, ticket, portal, email].map((r) => r.body.number)).toEqual([
      'CR-2',
      'CR-3',
      'CR-4',
      'CR-5',
      'CR-6',
    ]);

    const list = (await pm.get(project('/change-requests')).expect(200)).body as Record<string, unknown>[];
    expect(list.map((r) => [r.number, r.source, r.receivedAt, r.ticketRef ?? null, r.status])).toEqual([
      // 16:40 at UTC+01:00 is 15:40 UTC.
      ['CR-1', 'email', '2026-03-02T15:40:00.000Z', 'NW-1001', 'logged'],
      ['CR-2', 'phone', '2026-03-09T14:05:00.000Z', null, 'logged'],
      ['CR-3', 'meeting', expect.any(String), null, 'logged'],
      ['CR-4', 'ticket', '2026-03-16T08:12:00.000Z', 'TCK-4821', 'logged'],
      // 11:30 at UTC-05:00 is 16:30 UTC.
      ['CR-5', 'portal', '2026-03-18T16:30:00.000Z', 'PORTAL-77', 'logged'],
      ['CR-6', 'email', '2026-03-20T09:00:00.000Z', 'NW-1002', 'logged'],
    ]);
    const meetingReceivedAt = list[2].receivedAt as string;
    expect(meetingReceivedAt >= loggedFrom && meetingReceivedAt <= loggedUntil).toBe(true);
    expect(list[1]).toMatchObject({ requestedBy: omar, changeOrder: null });
  });

  it('refuses a request received in the future', async () => {
    await refused(
      () =>
        pm.post(project('/change-requests'), {
          title: 'From the future',
          description: '',
          source: 'email',
          requestedBy: dana,
          receivedAt: '2099-01-05T09:00:00Z',
        }),
      422,
      'receivedAt',
    );
  });

  it('assesses an added item (CR-1)', async () => {
    const answer = await assess(cr.mailboxes, {
      // 2.75 h x 15,000 = 41,250
      lines: [{ op: 'add', ref: 'MIG-3', title: 'Shared mailboxes for AP (4)', role: 'engineer', hours: 2.75 }],
      notes: 'Same tooling as the bulk migration.',
    }).expect(200);
    expect(answer.body.changeRequest).toMatchObject({
      number: 'CR-1',
      status: 'assessed',
      assessment: {
        noCharge: false,
        costDelta: 41250,
        notes: 'Same tooling as the bulk migration.',
        lines: [{ op: 'add', ref: 'MIG-3', role: 'engineer', hours: 2.75, hoursDelta: 2.75, costDelta: 41250 }],
        schedule: [],
      },
    });
  });

  it('assesses an addition, a modification and a shift of a middle milestone (CR-2)', async () => {
    const answer = await assess(cr.teamsPhone, {
      lines: [
        // 4.33 h x 21,000 = 90,930 + 12,000 calling-plan set-up = 102,930
        {
          op: 'add',
          ref: 'VOICE-1',
          title: 'Teams Phone set-up and number porting',
          role: 'architect',
          hours: 4.33,
          fixedCost: 12000,
        },
        // PM-1 20.4 h -> 22.4 h: 22.4 x 12,500 = 280,000; 280,000 - 255,000 = +25,000
        { op: 'modify', ref: 'PM-1', hours: 22.4 },
      ],
      // M2 2026-04-01 (Wed) + 3 working days: Thu 04-02 (1), Fri 04-03 holiday, Sat, Sun, Mon 04-06 (2), Tue 04-07 (3).
      // Once signed it moves M2, M3 and M4 (later milestones) and leaves M1 (earlier) where it is.
      schedule: [{ milestone: 'M2', workingDays: 3 }],
    }).expect(200);
    // 102,930 + 25,000 = 127,930
    expect(answer.body.changeRequest.assessment).toMatchObject({
      costDelta: 127930,
      lines: [
        { op: 'add', ref: 'VOICE-1', hours: 4.33, hoursDelta: 4.33, costDelta: 102930 },
        {
          op: 'modify',
          ref: 'PM-1',
          title: 'Project management and status reporting',
          role: 'project_manager',
          hours: 22.4,
          hoursDelta: 2,
          costDelta: 25000,
        },
      ],
      schedule: [{ milestone: 'M2', workingDays: 3 }],
    });
  });

  it('assesses a removal that pulls the last milestone in (CR-3)', async () => {
    const answer = await assess(cr.hypercare, {
      // HC-1 removed: -149,850, -9.99 h
      lines: [{ op: 'remove', ref: 'HC-1' }],
      // M4 2026-06-30 (Tue) - 2 working days: Mon 06-29 (1), Fri 06-26 (2).
      schedule: [{ milestone: 'M4', workingDays: -2 }],
    }).expect(200);
    expect(answer.body.changeRequest.assessment).toMatchObject({
      costDelta: -149850,
      lines: [{ op: 'remove', ref: 'HC-1', hours: 9.99, hoursDelta: -9.99, costDelta: -149850 }],
      schedule: [{ milestone: 'M4', workingDays: -2 }],
    });
  });

  it('assesses a small request as no-charge goodwill, priced all the same (CR-4)', async () => {
    const answer = await assess(cr.cfoException, {
      // 0.05 h x 12,345 = 617.25 -> 617 (rounds down)
      lines: [
        { op: 'add', ref: 'SEC-2', title: 'CFO travel sign-in exception', role: 'security_analyst', hours: 0.05 },
      ],
      noCharge: true,
      notes: 'Goodwill: a five-minute policy change.',
    }).expect(200);
    expect(answer.body.changeRequest.assessment).toMatchObject({
      noCharge: true,
      costDelta: 617,
      lines: [{ costDelta: 617 }],
    });
  });

  it('declines a warranty request with its category (CR-5)', async () => {
    const answer = await pm
      .post(project(`/change-requests/${cr.firewallPort}/decline`), {
        reason: "Covered by the vendor's hardware warranty; RMA raised with the vendor.",
        category: 'warranty',
      })
      .expect(200);
    expect(answer.body.changeRequest).toMatchObject({
      number: 'CR-5',
      status: 'declined',
      decline: {
        reason: "Covered by the vendor's hardware warranty; RMA raised with the vendor.",
        category: 'warranty',
      },
    });
  });

  it('assesses a request and then re-assesses it when the client adds detail (CR-6)', async () => {
    const first = await assess(cr.breakGlass, {
      // 0.1 h x 12,345 = 1,234.5 -> 1,235 (half up)
      lines: [{ op: 'add', ref: 'SEC-3', title: 'Break-glass accounts', role: 'security_analyst', hours: 0.1 }],
    }).expect(200);
    expect(first.body.changeRequest.assessment.costDelta).toBe(1235);

    const second = await assess(cr.breakGlass, {
      lines: [
        // 0.1 h x 12,345 = 1,234.5 -> 1,235 + 5,000 for two FIDO2 keys = 6,235
        {
          op: 'add',
          ref: 'SEC-3',
          title: 'Break-glass accounts with FIDO2 keys',
          role: 'security_analyst',
          hours: 0.1,
          fixedCost: 5000,
        },
        // SEC-1 6.1 h -> 6.15 h: 6.15 x 12,345 = 75,921.75 -> 75,922; 75,922 - 75,305 = +617
        { op: 'modify', ref: 'SEC-1', hours: 6.15 },
      ],
      // M3 2026-05-20 (Wed) + 1 working day: Thu 05-21.
      schedule: [{ milestone: 'M3', workingDays: 1 }],
      notes: 'Re-assessed after the client asked for hardware keys.',
    }).expect(200);
    // 6,235 + 617 = 6,852: the re-assessment replaces the first one.
    expect(second.body.changeRequest.assessment).toMatchObject({
      costDelta: 6852,
      lines: [
        { op: 'add', ref: 'SEC-3', costDelta: 6235 },
        { op: 'modify', ref: 'SEC-1', hours: 6.15, hoursDelta: 0.05, costDelta: 617 },
      ],
      schedule: [{ milestone: 'M3', workingDays: 1 }],
    });
    const assessed = (await pm.get(project('/events')).expect(200)).body.filter(
      (e: { type: string; data: { changeRequestId?: string } }) =>
        e.type === 'ChangeRequestAssessed' && e.data.changeRequestId === cr.breakGlass,
    );
    expect(assessed).toHaveLength(2);
  });

  it('refuses assessments that break the rules, naming the field, and appends nothing', async () => {
    const line = { title: 'Something', role: 'engineer', hours: 1 };
    const add = await refused(
      () => assess(cr.mailboxes, { lines: [{ op: 'add', ref: 'NET-1', ...line }] }),
      422,
      'lines[0].ref',
    );
    expect(add.body.detail).toMatch(/already exists; use modify/);
    await refused(
      () => assess(cr.mailboxes, { lines: [{ op: 'modify', ref: 'NET-9', hours: 2 }] }),
      422,
      'lines[0].ref',
    );
    await refused(() => assess(cr.mailboxes, { lines: [{ op: 'remove', ref: 'NET-9' }] }), 422, 'lines[0].ref');
    await refused(
      () => assess(cr.mailboxes, { lines: [{ op: 'add', ref: 'MIG-3', ...line, role: 'intern' }] }),
      422,
      'lines[0].role',
    );
    await refused(
      () => assess(cr.mailboxes, { lines: [{ op: 'add', ref: 'MIG-3', role: 'engineer', hours: 1 }] }),
      422,
      'lines[0].title',
    );
    await refused(
      () =>
        assess(cr.mailboxes, {
          lines: [
            { op: 'add', ref: 'MIG-3', ...line },
            { op: 'add', ref: 'MIG-3', ...line },
          ],
        }),
      422,
      'lines[1].ref',
    );
    await refused(() => assess(cr.mailboxes, { lines: [{ op: 'remove', ref: 'HC-1', hours: 2 }] }), 422, 'lines[0]');
    await refused(() => assess(cr.mailboxes, { lines: [{ op: 'modify', ref: 'NET-1' }] }), 422, 'lines[0]');
    await refused(() => assess(cr.mailboxes, { lines: [] }), 422, 'lines');
    const milestone = await refused(
      () => assess(cr.mailboxes, { lines: [], schedule: [{ milestone: 'M9', workingDays: 2 }] }),
      422,
      'schedule[0].milestone',
    );
    expect(milestone.body.detail).toMatch(/M9/);
    await refused(
      () => assess(cr.mailboxes, { lines: [], schedule: [{ milestone: 'M2', workingDays: 0 }] }),
      422,
      'schedule[0].workingDays',
    );
    await refused(
      () =>
        assess(cr.mailboxes, {
          lines: [],
          schedule: [
            { milestone: 'M2', workingDays: 1 },
            { milestone: 'M2', workingDays: 2 },
          ],
        }),
      422,
      'schedule[1].milestone',
    );
  });

  it('refuses to assess or decline a declined request, and a blank reason', async () => {
    const reassess = await refused(
      () => assess(cr.firewallPort, { lines: [{ op: 'modify', ref: 'NET-1', fixedCost: 95000 }] }),
      409,
    );
    expect(reassess.body.detail).toMatch(/CR-5 was declined/);
    await refused(() => pm.post(project(`/change-requests/${cr.firewallPort}/decline`), { reason: 'Again' }), 409);
    await refused(() => pm.post(project(`/change-requests/${cr.mailboxes}/decline`), { reason: '   ' }), 422, 'reason');
  });

  it('reads back the summary: current equals baseline until orders are signed', async () => {
    const summary = (await pm.get(project()).expect(200)).body;
    expect(summary).toMatchObject({
      baselineEstablished: true,
      baseline: { total: BASELINE_TOTAL, hours: BASELINE_HOURS, end: '2026-06-30' },
      current: { total: BASELINE_TOTAL, hours: BASELINE_HOURS, cost: BASELINE_TOTAL, end: '2026-06-30' },
      pending: { exposure: 0, orders: 0 },
      // Awaiting an order, no-charge and declined requests left out:
      //   CR-1 41,250 + CR-2 127,930 + CR-3 (-149,850) + CR-6 6,852 = 26,182
      totals: { approvedChanges: 0, absorbed: 0, awaitingOrder: 26182, invoiced: 0, uninvoiced: 0 },
      forecastEnd: '2026-06-30',
      slipWorkingDays: 0,
      changeRequests: { count: 6, byStatus: { assessed: 5, declined: 1 } },
      changeOrders: { count: 0, byStatus: {} },
      asOf: null,
    });
  });

  it('reads back the scope: every baseline item at its hand-worked price', async () => {
    const scope = (await pm.get(project('/scope')).expect(200)).body;
    expect(scope.items.map((i: { ref: string }) => i.ref)).toEqual(baselineItems.map((i) => i.ref));
    for (const item of scope.items) {
      const input = baselineItems.find((i) => i.ref === item.ref)!;
      expect(item).toEqual({
        ref: input.ref,
        title: input.title,
        role: input.role,
        hours: input.hours,
        fixedCost: input.fixedCost ?? 0,
        rate: { engineer: 15000, architect: 21000, project_manager: 12500, security_analyst: 12345 }[input.role],
        cost: baselineCosts[input.ref],
        // No item names a milestone: each is due by the project's last one.
        milestone: null,
        state: 'baseline',
        baseline: {
          title: input.title,
          role: input.role,
          hours: input.hours,
          fixedCost: input.fixedCost ?? 0,
          cost: baselineCosts[input.ref],
          milestone: null,
        },
        changedBy: [],
      });
    }
    expect(scope.totals).toEqual({
      baselineHours: BASELINE_HOURS,
      currentHours: BASELINE_HOURS,
      baselineCost: BASELINE_TOTAL,
      currentCost: BASELINE_TOTAL,
      pendingCostDelta: 0,
    });
  });

  it('reads back the budget: assessed deltas wait for an order', async () => {
    const budget = (await pm.get(project('/budget')).expect(200)).body;
    expect(budget).toEqual({
      projectId,
      currency: 'USD',
      baseline: BASELINE_TOTAL,
      approvedChanges: 0,
      current: BASELINE_TOTAL,
      variance: 0,
      pendingExposure: 0,
      pendingCredits: 0,
      absorbed: 0,
      currentCost: BASELINE_TOTAL,
      awaitingOrder: 26182,
      onDraftOrders: { amount: 0, count: 0 },
      invoiced: 0,
      // No products: no recurring monthly charges.
      monthly: { baseline: 0, approved: 0, current: 0, pending: 0, margin: { oneOff: 0, monthly: 0 } },
      signedOrders: [],
      pendingOrders: [],
      asOf: null,
    });
  });

  it('reads back the timeline: baseline dates, no slip while nothing is signed', async () => {
    const timeline = (await pm.get(project('/timeline')).expect(200)).body;
    expect(timeline).toEqual({
      projectId,
      startDate: '2026-03-02',
      holidays: ['2026-04-03', '2026-05-25', '2026-07-03'],
      milestones: milestones.map((m) => ({
        ref: m.ref,
        name: m.name,
        baselineDue: m.due,
        currentDue: m.due,
        slipWorkingDays: 0,
      })),
      baselineEnd: '2026-06-30',
      forecastEnd: '2026-06-30',
      slipWorkingDays: 0,
      asOf: null,
    });
  });

  it('keeps a complete, chained audit trail with the PM as actor', async () => {
    const events = (await pm.get(project('/events')).expect(200)).body as {
      revision: number;
      type: string;
      actor: { kind: string; name: string };
      occurredAt: string;
      hash: string;
    }[];
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    const types = events.map((e) => e.type).filter((type) => type !== 'BoardCardAdded');
    expect(types).toEqual([
      'ProjectOpened',
      'ChangeRequestLogged',
      'BaselineEstablished',
      'ChangeRequestLogged',
      'ChangeRequestLogged',
      'ChangeRequestLogged',
      'ChangeRequestLogged',
      'ChangeRequestLogged',
      'ChangeRequestAssessed',
      'ChangeRequestAssessed',
      'ChangeRequestAssessed',
      'ChangeRequestAssessed',
      'ChangeRequestDeclined',
      'ChangeRequestAssessed',
      'ChangeRequestAssessed',
    ]);
    expect(events.filter((e) => e.type === 'BoardCardAdded')).toHaveLength(9);
    expect(new Set(events.map((e) => `${e.actor.kind}:${e.actor.name}`))).toEqual(new Set(['staff:pm tester']));
    expect(new Set(events.map((e) => e.hash)).size).toBe(events.length);
    const verified = (await pm.get(project('/audit/verify')).expect(200)).body;
    expect(verified).toMatchObject({ valid: true, events: events.length, headHash: events[events.length - 1].hash });
  });

  describe('once an order with the schedule changes is issued', () => {
    let orderId: string;
    let issuedAt: string;

    it('drafts and issues CO-1 for CR-2 and CR-6', async () => {
      const drafted = await pm
        .post(project('/change-orders'), { changeRequestIds: [cr.teamsPhone, cr.breakGlass], signer: dana })
        .expect(201);
      orderId = drafted.body.id;
      // 127,930 + 6,852 = 134,782
      expect(drafted.body).toMatchObject({
        number: 'CO-1',
        status: 'draft',
        amount: 134782,
        absorbed: 0,
        changeRequests: ['CR-2', 'CR-6'],
      });
      issuedAt = new Date().toISOString();
      await pm.post(project(`/change-orders/${orderId}/issue`)).expect(200);
    });

    it('shows the shifted dates as pending, cascading to later milestones only', async () => {
      const timeline = (await pm.get(project('/timeline')).expect(200)).body;
      // Pending slips: M2 +3 (CR-2); M3 +3 (cascade) +1 (CR-6) = +4; M4 +3 +1 = +4; M1 untouched.
      expect(timeline.milestones).toEqual([
        {
          ref: 'M1',
          name: 'Discovery signed off',
          baselineDue: '2026-03-20',
          currentDue: '2026-03-20',
          slipWorkingDays: 0,
        },
        // 04-01 (Wed) + 3: Thu 04-02, [Fri 04-03 holiday, Sat, Sun], Mon 04-06, Tue 04-07
        {
          ref: 'M2',
          name: 'Pilot migrated',
          baselineDue: '2026-04-01',
          currentDue: '2026-04-01',
          slipWorkingDays: 0,
          pendingDue: '2026-04-07',
          pendingSlipWorkingDays: 3,
        },
        // 05-20 (Wed) + 4: Thu 05-21, Fri 05-22, [Sat, Sun, Mon 05-25 holiday], Tue 05-26, Wed 05-27
        {
          ref: 'M3',
          name: 'Bulk migration complete',
          baselineDue: '2026-05-20',
          currentDue: '2026-05-20',
          slipWorkingDays: 0,
          pendingDue: '2026-05-27',
          pendingSlipWorkingDays: 4,
        },
        // 06-30 (Tue) + 4: Wed 07-01, Thu 07-02, [Fri 07-03 holiday, Sat, Sun], Mon 07-06, Tue 07-07
        {
          ref: 'M4',
          name: 'Hypercare closed',
          baselineDue: '2026-06-30',
          currentDue: '2026-06-30',
          slipWorkingDays: 0,
          pendingDue: '2026-07-07',
          pendingSlipWorkingDays: 4,
        },
      ]);
      // Nothing is signed: the forecast does not move.
      expect(timeline).toMatchObject({ forecastEnd: '2026-06-30', slipWorkingDays: 0 });
    });

    it('shows the order as pending exposure and the rest as still awaiting an order', async () => {
      const budget = (await pm.get(project('/budget')).expect(200)).body;
      expect(budget).toMatchObject({
        current: BASELINE_TOTAL,
        approvedChanges: 0,
        pendingExposure: 134782,
        // CR-1 41,250 + CR-3 (-149,850) = -108,600 (CR-4 is no-charge)
        awaitingOrder: -108600,
        pendingOrders: [{ changeOrder: 'CO-1', amount: 134782 }],
      });
      expect(budget.pendingOrders[0].issuedAt >= issuedAt).toBe(true);

      const scope = (await pm.get(project('/scope')).expect(200)).body;
      const byRef = Object.fromEntries(scope.items.map((i: { ref: string }) => [i.ref, i]));
      expect(byRef['PM-1']).toMatchObject({
        state: 'baseline',
        cost: 255000,
        pending: { changeOrder: 'CO-1', op: 'modify', hours: 22.4, cost: 280000, costDelta: 25000 },
      });
      expect(byRef['SEC-1']).toMatchObject({
        state: 'baseline',
        cost: 75305,
        pending: { op: 'modify', hours: 6.15, cost: 75922, costDelta: 617 },
      });
      expect(byRef['VOICE-1']).toMatchObject({
        state: 'pending',
        hours: 0,
        cost: 0,
        pending: { op: 'add', hours: 4.33, cost: 102930, costDelta: 102930 },
      });
      expect(byRef['SEC-3']).toMatchObject({
        state: 'pending',
        hours: 0,
        cost: 0,
        pending: { op: 'add', hours: 0.1, cost: 6235, costDelta: 6235 },
      });
      expect(scope.items.map((i: { ref: string }) => i.ref).slice(-2)).toEqual(['VOICE-1', 'SEC-3']);
      // 102,930 + 25,000 + 6,235 + 617 = 134,782
      expect(scope.totals).toMatchObject({
        currentCost: BASELINE_TOTAL,
        currentHours: BASELINE_HOURS,
        pendingCostDelta: 134782,
      });

      const summary = (await pm.get(project()).expect(200)).body;
      expect(summary).toMatchObject({
        pending: { exposure: 134782, orders: 1 },
        changeRequests: { count: 6, byStatus: { assessed: 3, ordered: 2, declined: 1 } },
        changeOrders: { count: 1, byStatus: { issued: 1 } },
      });
    });

    it('refuses to re-assess, decline or re-order a request that sits on the issued order', async () => {
      const reassess = await refused(
        () => assess(cr.teamsPhone, { lines: [{ op: 'modify', ref: 'PM-1', hours: 21 }] }),
        409,
      );
      expect(reassess.body.detail).toMatch(/CO-1/);
      await refused(
        () => pm.post(project(`/change-requests/${cr.teamsPhone}/decline`), { reason: 'Changed our mind' }),
        409,
      );
      await refused(() => pm.post(project('/change-orders'), { changeRequestIds: [cr.breakGlass], signer: dana }), 409);
      // CR-1 is free, but a request that was never assessed cannot go on an order either.
      const fresh = await pm
        .post(project('/change-requests'), {
          title: 'Printer mapping',
          description: '',
          source: 'ticket',
          requestedBy: dana,
          ticketRef: 'TCK-4900',
        })
        .expect(201);
      await refused(() => pm.post(project('/change-orders'), { changeRequestIds: [fresh.body.id], signer: dana }), 409);
    });
  });
});
