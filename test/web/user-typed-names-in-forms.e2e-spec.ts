import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';
import { Agent, signedInAgent } from '../support/staff-session';

const NAMES = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__'];
/** Refs are codes (letters, digits, dots, dashes, underscores, starting with a letter or digit). */
const refFor = (name: string, i: number) => (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) ? name : `ITEM-${i}`);

/**
 * The staff forms read what people type as data only: names that are also JavaScript's own and
 * regular-expression text work in every field, and a currency field holding a pattern is refused
 * quickly without ever being run as one.
 */
describe('names users type, in the staff forms', () => {
  let t: TestServer;
  let agent: Agent;
  let csrf: string;

  beforeAll(async () => {
    t = await startTestServer();
    ({ agent, csrf } = await signedInAgent(t, 'pm'));
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, fields: Record<string, string>) =>
    agent
      .post(path)
      .type('form')
      .send({ _csrf: csrf, ...fields });

  it('opens, baselines, logs and assesses with them, pricing every line exactly', async () => {
    const rateFields = Object.fromEntries(
      NAMES.flatMap((role, i) => [
        [`rates[${i}].role`, role],
        [`rates[${i}].rate`, `${100 + i}.00`],
      ]),
    );
    const opened = await post('/app/projects', {
      name: '__proto__ (A+)+$ project',
      'client.name': 'toString a); client',
      'client.email': 'it@client.example',
      currency: 'USD',
      startDate: '2026-03-02',
      holidays: '',
      ...rateFields,
    }).expect(303);
    const projectId = /\/app\/projects\/([0-9a-f-]{36})/.exec(opened.headers.location)![1];
    const summary = (await t.api.get(`/api/projects/${projectId}`).expect(200)).body;
    expect(summary.rates).toEqual(Object.fromEntries(NAMES.map((role, i) => [role, (100 + i) * 100])));

    const itemFields = Object.fromEntries(
      NAMES.flatMap((name, i) => [
        [`items[${i}].ref`, refFor(name, i)],
        [`items[${i}].title`, `${name} [a-z* item`],
        [`items[${i}].role`, name],
        [`items[${i}].hours`, String(i + 1)],
        [`items[${i}].fixedCost`, ''],
      ]),
    );
    await post(`/app/projects/${projectId}/baseline`, {
      ...itemFields,
      'milestones[0].ref': 'hasOwnProperty',
      'milestones[0].name': 'valueOf (A+)+$',
      'milestones[0].due': '2026-03-20',
    }).expect(303);
    const scope = (await t.api.get(`/api/projects/${projectId}/scope`).expect(200)).body;
    expect(scope.items.map((i: { ref: string; cost: number }) => [i.ref, i.cost])).toEqual(
      NAMES.map((name, i) => [refFor(name, i), (i + 1) * (100 + i) * 100]),
    );

    await post(`/app/projects/${projectId}/change-requests`, {
      title: 'constructor (A+)+$',
      description: '__proto__',
      source: 'phone',
      'requestedBy.name': 'valueOf',
      'requestedBy.email': 'dana@client.example',
      ticketRef: 'toString',
    }).expect(303);
    const [logged] = (await t.api.get(`/api/projects/${projectId}/change-requests`).expect(200)).body;
    await post(`/app/projects/${projectId}/change-requests/${logged.id}/assessment`, {
      'lines[0].op': 'remove',
      'lines[0].ref': 'toString',
      'lines[1].op': 'modify',
      'lines[1].ref': 'ITEM-4',
      'lines[1].hours': '10',
      'schedule[0].milestone': 'hasOwnProperty',
      'schedule[0].workingDays': '1',
      notes: 'a); [a-z*',
    }).expect(303);
    const assessed = (await t.api.get(`/api/projects/${projectId}/change-requests/${logged.id}`).expect(200)).body;
    expect(assessed.assessment.costDelta).toBe(-1 * 100 * 100 + (10 - 5) * 104 * 100);
    expect((await t.api.get('/api/admin/projections/parked').expect(200)).body).toEqual([]);
  });

  it('refuses a currency that is a pattern at once, and the server stays responsive', async () => {
    for (const currency of ['a);', '(A+)+$', '[', 'toString']) {
      const started = Date.now();
      const refused = await post('/app/projects', {
        name: 'Bad currency',
        'client.name': 'Client',
        'client.email': 'it@client.example',
        currency,
        startDate: '2026-03-02',
        holidays: '',
        'rates[0].role': 'engineer',
        'rates[0].rate': 'AAAAAAAAAAAAAAAAAAAAAAAAAAA!',
      });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    await request(t.http).get('/health').expect(200);
  });

  it('refuses a role named twice in the rate card, and never echoes a bad currency in a message', async () => {
    const refused = await post('/app/projects', {
      name: 'Twice the same role',
      'client.name': 'Client',
      'client.email': 'it@client.example',
      currency: 'a);',
      startDate: '2026-03-02',
      holidays: '',
      'rates[0].role': 'eng',
      'rates[0].rate': '1',
      'rates[1].role': 'eng',
      'rates[1].rate': '5',
      'rates[2].role': 'toString',
      'rates[2].rate': '1.5x',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('eng has a rate above; give each role one rate');
    expect(refused.text).toContain('Enter an amount with at most 2 decimals, such as 1250.00');
    expect(refused.text).not.toContain('in A);');
  });
});
