import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';
import { readAndConsent } from '../change-orders/change-order-scenario';

/**
 * Names a user types are data only: words that are also names of JavaScript's object machinery
 * (`toString`, `constructor`, `valueOf`, `hasOwnProperty`, `__proto__`) and text full of regular
 * expression characters work in every field exactly like any other name, from the rate card to
 * the signature, and leave nothing behind that prices wrong, parks or breaks the audit trail.
 */
const NAMES = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__'];
const PATTERNS = ['(A+)+$', 'a);', '[a-z*', '.*\\d{2,}?', '^$|\\'];
/** Refs are codes: letters, digits, dots, dashes and underscores, starting with a letter or digit. */
const refFor = (name: string, i: number) => (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) ? name : `ITEM-${i}`);

describe('names users type, in every field', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('work through a whole change order like any other name', async () => {
    const rates = Object.fromEntries([...NAMES, ...PATTERNS].map((role, i) => [role, 10_000 + i * 100]));
    const rate = new Map(Object.entries(rates));
    const opened = await t.api
      .post('/api/projects', {
        name: 'toString (A+)+$ project',
        client: { name: 'constructor a); client', email: 'it@client.example' },
        currency: 'USD',
        rates,
        startDate: '2026-03-02',
      })
      .expect(201);
    const projectId = opened.body.id as string;
    const summary = (await t.api.get(`/api/projects/${projectId}`).expect(200)).body;
    expect(Object.keys(summary.rates).sort()).toEqual(Object.keys(rates).sort());
    expect(new Map(Object.entries(summary.rates)).get('__proto__')).toBe(rate.get('__proto__'));

    const items = [...NAMES, ...PATTERNS].map((name, i) => ({
      ref: refFor(name, i),
      title: `${name} item`,
      role: name,
      hours: i + 1,
    }));
    const milestones = [
      { ref: 'valueOf', name: 'hasOwnProperty milestone', due: '2026-03-20' },
      { ref: 'constructor', name: '__proto__ (A+)+$ milestone', due: '2026-04-01' },
    ];
    await t.api.post(`/api/projects/${projectId}/baseline`, { items, milestones }).expect(201);
    const scope = (await t.api.get(`/api/projects/${projectId}/scope`).expect(200)).body;
    // Each item costs its hours times its role's rate: exact numbers, never null.
    for (const [i, item] of items.entries()) {
      const shown = scope.items.find((s: { ref: string }) => s.ref === item.ref);
      expect(shown).toMatchObject({
        ref: item.ref,
        role: item.role,
        hours: i + 1,
        cost: (i + 1) * rate.get(item.role)!,
      });
    }

    const logged = await t.api
      .post(`/api/projects/${projectId}/change-requests`, {
        title: 'hasOwnProperty (A+)+$',
        description: '__proto__ a); [a-z*',
        source: 'email',
        requestedBy: { name: 'valueOf', email: 'dana@client.example' },
        ticketRef: 'constructor',
      })
      .expect(201);
    const crId = logged.body.id as string;
    const assessed = await t.api
      .post(`/api/projects/${projectId}/change-requests/${crId}/assessment`, {
        lines: [
          { op: 'remove', ref: 'toString' },
          { op: 'modify', ref: 'ITEM-4', hours: 10 },
          { op: 'add', ref: 'constructor.prototype', title: 'valueOf', role: 'hasOwnProperty', hours: 2 },
        ],
        schedule: [{ milestone: 'valueOf', workingDays: 2 }],
        notes: '(A+)+$ toString',
      })
      .expect(200);
    const removed = -1 * rate.get('toString')!;
    const modified = (10 - 5) * rate.get('__proto__')!;
    const added = 2 * rate.get('hasOwnProperty')!;
    expect(assessed.body.changeRequest.assessment.costDelta).toBe(removed + modified + added);

    const drafted = await t.api
      .post(`/api/projects/${projectId}/change-orders`, {
        changeRequestIds: [crId],
        signer: { name: '__proto__ toString', email: 'signer@client.example' },
        terms: 'constructor (A+)+$ terms',
      })
      .expect(201);
    expect(drafted.body.amount).toBe(removed + modified + added);
    const issued = await t.api
      .post(`/api/projects/${projectId}/change-orders/${drafted.body.id}/issue`, {})
      .expect(200);
    const signPath = new URL(issued.body.signingUrl).pathname;
    await request(t.http).get(signPath).expect(200);
    await readAndConsent(t.http, signPath);
    await request(t.http)
      .post(signPath)
      .send({ name: 'valueOf (A+)+$', documentSha256: issued.body.documentSha256 })
      .expect(200);

    const order = (await t.api.get(`/api/projects/${projectId}/change-orders/${drafted.body.id}`).expect(200)).body;
    expect(order).toMatchObject({ status: 'signed', amount: removed + modified + added });
    const finance = (
      await t.api.get(`/api/finance/change-orders`).query({ client: 'constructor a); client' }).expect(200)
    ).body;
    expect(JSON.stringify(finance)).toContain(drafted.body.id);
    const timeline = (await t.api.get(`/api/projects/${projectId}/timeline`).expect(200)).body;
    expect(
      timeline.milestones.map((m: { ref: string; slipWorkingDays: number }) => [m.ref, m.slipWorkingDays]),
    ).toEqual([
      ['valueOf', 2],
      ['constructor', 2],
    ]);
    expect((await t.api.get(`/api/projects/${projectId}/audit/verify`).expect(200)).body.valid).toBe(true);
    expect((await t.api.get('/api/admin/projections/parked').expect(200)).body).toEqual([]);
    const board = (await t.api.get(`/api/projects/${projectId}/board`).expect(200)).body;
    expect(board.cancelled.map((c: { ref: string }) => c.ref)).toEqual(['toString']);
  });

  it('refuses a role that is not on the rate card, whatever its name, with a 422 naming the field', async () => {
    const opened = await t.api
      .post('/api/projects', {
        name: 'Plain rates',
        client: { name: 'Client', email: 'it@client.example' },
        currency: 'USD',
        rates: { engineer: 15000 },
        startDate: '2026-03-02',
      })
      .expect(201);
    for (const role of [...NAMES, ...PATTERNS]) {
      const refused = await t.api
        .post(`/api/projects/${opened.body.id}/baseline`, {
          items: [{ ref: 'A-1', title: 'Item', role, hours: 1 }],
          milestones: [],
        })
        .expect(422);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'items[0].role' })]);
    }
  });

  it('refuses a currency that is not three capital letters without ever reading it as a pattern', async () => {
    for (const currency of ['a);', '(A+)+$', 'toString']) {
      const started = Date.now();
      await t.api
        .post('/api/projects', {
          name: 'Bad currency',
          client: { name: 'Client', email: 'it@client.example' },
          currency,
          rates: { engineer: 15000 },
          startDate: '2026-03-02',
        })
        .expect(400);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('treats a finance client filter and an X-Min-Position as text', async () => {
    await t.api.get('/api/finance/change-orders').query({ client: '(A+)+$' }).expect(200);
    await t.api.get('/api/finance/change-orders').query({ client: '__proto__' }).expect(200);
    const far = await t.api
      .get('/api/projects/0b9f7f3e-0f5c-4a59-9d52-6a1f1f0c2a11/scope')
      .set('X-Min-Position', '99999999999/99999999999');
    expect(far.status).toBe(400);
    expect(far.body.errors).toEqual([expect.objectContaining({ field: 'X-Min-Position' })]);
  });
});
