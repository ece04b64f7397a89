import request from 'supertest';
import { signedInAgent } from '../support/staff-session';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';
import {
  changeRequest,
  expectProblem,
  expectRefusedWithoutAppend,
  FieldError,
  smallBaseline,
  smallProject,
  streamHead,
} from './api-helpers';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const messagesFor = (errors: FieldError[], field: string) =>
  errors.filter((e) => e.field === field).map((e) => e.message);

/**
 * Input that used to be taken without complaint: a moment on a command, a body that is not JSON,
 * made-up currencies, time zones as typed, time before the project, periods that end before they
 * start, another export's parameters, and type errors drowned in contradictory limits.
 */
describe('input that used to be taken silently', () => {
  let t: TestServer;
  let projectId: string;

  beforeAll(async () => {
    t = await startTestServer();
    projectId = (await t.api.post('/api/projects', smallProject('Input handling')).expect(201)).body.id;
    await t.api.post(`/api/projects/${projectId}/baseline`, smallBaseline).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const api = () => ({
    post: (path: string) => request(t.http).post(path).set('Authorization', `Bearer ${ADMIN_KEY}`),
    patch: (path: string) => request(t.http).patch(path).set('Authorization', `Bearer ${ADMIN_KEY}`),
  });

  describe('?asOf on commands', () => {
    const voidBody = { reason: 'Billed to the wrong entity' };
    const routes = (order: string) => [
      { path: `/api/projects/${projectId}/invoices`, body: { invoiceNumber: 'INV-1', amount: 100 } },
      { path: `/api/projects/${projectId}/invoices/INV-1/void`, body: voidBody },
      { path: `/api/finance/change-orders/${order}/invoices`, body: { invoiceNumber: 'INV-2', amount: 100 } },
      { path: `/api/finance/change-orders/${order}/invoices/INV-2/void`, body: voidBody },
      { path: `/api/projects/${projectId}/change-requests`, body: changeRequest('Back-dated request') },
    ];

    it('refuses asOf on every kind of command with 400 naming asOf, and appends nothing', async () => {
      const order = '00000000-0000-4000-8000-000000000001';
      for (const asOf of ['2026-12-01T00:00:00Z', 'x']) {
        for (const { path, body } of routes(order)) {
          const response = await expectRefusedWithoutAppend(
            t,
            projectId,
            () => t.api.post(`${path}?asOf=${asOf}`, body),
            400,
            'asOf',
          );
          expect(response.body.detail).toMatch(/asOf/);
        }
      }
      await expectRefusedWithoutAppend(
        t,
        projectId,
        () => t.api.patch(`/api/projects/${projectId}?asOf=2026-12-01T00:00:00Z`, { name: 'Renamed' }),
        400,
        'asOf',
      );
      expect((await t.api.get(`/api/projects/${projectId}`).expect(200)).body.name).toBe('Input handling');
    });

    it('refuses asOf on a staff page form post, and appends nothing', async () => {
      const { agent, csrf } = await signedInAgent(t, 'pm');
      const before = await streamHead(t, projectId);
      const response = await agent
        .post(`/app/projects/${projectId}/change-requests?asOf=2026-12-01T00:00:00Z`)
        .type('form')
        .send({
          _csrf: csrf,
          title: 'Back-dated from the page',
          description: '',
          source: 'email',
          'requestedBy.name': 'Dana',
          'requestedBy.email': 'dana@northwind.example',
        });
      expect(response.status).toBe(400);
      expect(response.text).toContain('asOf is not taken by commands: they apply now; nothing was changed');
      expect(await streamHead(t, projectId)).toEqual(before);
    });
  });

  describe('bodies that are not JSON', () => {
    it('answers a JSON text sent as text/plain with 415 naming application/json, and changes nothing', async () => {
      const response = await expectRefusedWithoutAppend(
        t,
        projectId,
        () =>
          api()
            .patch(`/api/projects/${projectId}`)
            .set('Content-Type', 'text/plain')
            .send(JSON.stringify({ name: 'x' })),
        415,
        'body',
      );
      expect(response.body.detail).toContain('application/json');
      expect(response.body.detail).toContain('text/plain');
      expect((await t.api.get(`/api/projects/${projectId}`).expect(200)).body.name).toBe('Input handling');
    });

    it('answers a form-encoded body on the API with 415', async () => {
      const response = await api()
        .post('/api/projects')
        .type('form')
        .send({ name: 'Form', currency: 'USD', startDate: '2026-03-02' });
      expectProblem(response, 415, 'body');
    });

    it('still takes a command with no body at all, and JSON with a charset', async () => {
      const other = (await t.api.post('/api/projects', smallProject('Closes')).expect(201)).body.id;
      await api().post(`/api/projects/${other}/close`).expect(200);
      await api()
        .patch(`/api/projects/${other}`)
        .set('Content-Type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ name: 'Closed, renamed' }))
        .expect(200);
    });

    it('still takes a PDF to check as application/pdf on /api/verify (not refused as "not JSON")', async () => {
      const response = await api()
        .post('/api/verify')
        .set('Content-Type', 'application/pdf')
        .send(Buffer.from('%PDF-1.7\nnot really a PDF\n'));
      expect(response.status).not.toBe(415);
    });

    it('says where malformed JSON breaks, as a field error on body', async () => {
      const response = await api().post('/api/projects').set('Content-Type', 'application/json').send('{"name": 1,,}');
      expectProblem(response, 400, 'body');
      expect(response.body.detail).toBe('The request body is not valid JSON (it breaks at character 12)');
    });
  });

  describe('currencies', () => {
    it('refuses three capitals that are no ISO 4217 currency, and XXX (no currency), on the API', async () => {
      for (const currency of ['XYZ', 'ZZZ', 'XXX', 'XTS']) {
        const response = await t.api.post('/api/projects', { ...smallProject(`In ${currency}`), currency });
        expectProblem(response, 400, 'currency');
        expect(messagesFor(response.body.errors, 'currency')).toEqual([
          'currency must be the ISO 4217 code of a currency, such as USD, EUR or GBP',
        ]);
      }
      for (const currency of ['EUR', 'JPY', 'CHF']) {
        await t.api.post('/api/projects', { ...smallProject(`In ${currency}`), currency }).expect(201);
      }
    });

    it('refuses a made-up currency on a catalogue product', async () => {
      const product = {
        sku: 'LIC-XYZ',
        name: 'Licence',
        kind: 'licence',
        billing: 'monthly',
        unitPrice: 1,
        unitCost: 1,
      };
      expectProblem(await t.api.post('/api/catalogue/products', { ...product, currency: 'XYZ' }), 400, 'currency');
      await t.api.post('/api/catalogue/products', { ...product, currency: 'EUR' }).expect(201);
    });

    it('refuses a made-up currency on the new project page', async () => {
      const { agent, csrf } = await signedInAgent(t, 'pm');
      const response = await agent
        .post('/app/projects')
        .type('form')
        .send({
          _csrf: csrf,
          name: 'Page project in ZZZ',
          'client.name': 'Client',
          'client.email': 'it@client.example',
          currency: 'ZZZ',
          startDate: '2026-03-02',
          holidays: '',
          'rates[0].role': 'engineer',
          'rates[0].rate': '150.00',
        });
      expect(response.status).toBe(400);
      expect(response.text).toContain('ISO 4217 code of a currency');
    });
  });

  describe('time zones', () => {
    it('stores the IANA name as the zone database spells it, however it was typed', async () => {
      const opened = await t.api
        .post('/api/projects', { ...smallProject('Typed zone'), timeZone: 'europe/berlin' })
        .expect(201);
      expect((await t.api.get(`/api/projects/${opened.body.id}`).expect(200)).body.timeZone).toBe('Europe/Berlin');
      await t.api.patch(`/api/projects/${opened.body.id}`, { timeZone: 'utc' }).expect(200);
      expect((await t.api.get(`/api/projects/${opened.body.id}`).expect(200)).body.timeZone).toBe('UTC');
      // The same zone typed another way is no change at all.
      const before = await streamHead(t, opened.body.id);
      const again = await t.api.patch(`/api/projects/${opened.body.id}`, { timeZone: 'UTC' }).expect(200);
      expect(again.body.events).toEqual([]);
      expect(await streamHead(t, opened.body.id)).toEqual(before);
    });
  });

  describe('time before the project starts', () => {
    it('refuses time logged the day before the start date with 422 naming date', async () => {
      const start = day(-5);
      const project = await t.api.post('/api/projects', { ...smallProject('Starts later'), startDate: start });
      const id = project.body.id as string;
      await t.api
        .post(`/api/projects/${id}/baseline`, {
          items: smallBaseline.items,
          milestones: [{ ref: 'M1', name: 'Live', due: day(30) }],
        })
        .expect(201);
      const refused = await expectRefusedWithoutAppend(
        t,
        id,
        () => t.api.post(`/api/projects/${id}/board/cards/C-1/time`, { hours: 1, date: day(-6) }),
        422,
        'date',
      );
      expect(refused.body.detail).toBe(`Time cannot be logged before the project starts (${start})`);
      await t.api.post(`/api/projects/${id}/board/cards/C-1/time`, { hours: 1, date: start }).expect(201);
    });
  });

  describe('periods that end before they start', () => {
    it('answers 400 naming to on the finance list, its CSV and both exports', async () => {
      const period = 'from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z';
      for (const path of [
        `/api/finance/change-orders?${period}`,
        `/api/finance/exports/quickbooks.csv?${period}`,
        `/api/finance/exports/xero.csv?${period}`,
      ]) {
        const response = await t.api.get(path);
        expectProblem(response, 400, 'to');
        expect(messagesFor(response.body.errors, 'to')).toEqual(['to must not be earlier than from']);
      }
      expectProblem(await t.api.get(`/api/finance/change-orders?${period}`).set('Accept', 'text/csv'), 400, 'to');
      // The same moment at both ends is an empty period, not a contradiction.
      await t.api.get('/api/finance/change-orders?from=2026-04-01T00:00:00Z&to=2026-04-01T00:00:00Z').expect(200);
    });

    it("shows the finance page's period filter refused beside its end date", async () => {
      const { agent } = await signedInAgent(t, 'finance');
      const page = await agent.get('/app/finance?from=2026-04-01&to=2026-03-01').expect(400);
      expect(page.text).toContain('The end date must not be before the start date');
    });
  });

  describe("another export's parameters", () => {
    it('refuses the Xero-only accountCode and taxType on the QuickBooks export, naming each', async () => {
      expectProblem(await t.api.get('/api/finance/exports/quickbooks.csv?accountCode=400'), 400, 'accountCode');
      expectProblem(await t.api.get('/api/finance/exports/quickbooks.csv?taxType=GST'), 400, 'taxType');
      await t.api.get('/api/finance/exports/xero.csv?accountCode=400&taxType=GST').expect(200);
    });
  });

  describe('one message for a wrong type', () => {
    it('names only the missing reason on a void route, not its length limits', async () => {
      const response = await t.api.post(`/api/projects/${projectId}/invoices/INV-9/void`, {});
      expectProblem(response, 400, 'reason');
      expect(messagesFor(response.body.errors, 'reason')).toEqual(['reason must be a string']);
      expect(response.body.detail).toBe('reason must be a string');
    });

    it('names only the type of an amount sent as text', async () => {
      const response = await t.api.post(`/api/projects/${projectId}/invoices`, {
        invoiceNumber: 'INV-3',
        amount: '100',
      });
      expectProblem(response, 400, 'amount');
      expect(messagesFor(response.body.errors, 'amount')).toEqual([
        'amount must be a whole number of minor units (cents)',
      ]);
    });

    it('names only the type of a default expiry sent as text', async () => {
      const response = await t.api.patch(`/api/projects/${projectId}`, { defaultExpiryDays: '7' });
      expectProblem(response, 400, 'defaultExpiryDays');
      expect(messagesFor(response.body.errors, 'defaultExpiryDays')).toEqual([
        'defaultExpiryDays must be a whole number of days',
      ]);
    });

    it('still names every limit a value of the right type breaks', async () => {
      const response = await t.api.patch(`/api/projects/${projectId}`, { defaultExpiryDays: 400 });
      expect(messagesFor(response.body.errors, 'defaultExpiryDays')).toEqual(['defaultExpiryDays must be at most 365']);
    });
  });
});
