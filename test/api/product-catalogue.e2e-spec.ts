import request from 'supertest';
import {
  baselineBody,
  draftOrder,
  issueOrder,
  openProject,
  projectBody,
  signAsClient,
} from '../change-orders/change-order-scenario';
import {
  catalogueProducts,
  issuedProductOrder,
  kitRequest,
  productFigures,
  products,
} from '../change-orders/product-order-scenario';
import { startTestServer, TestServer } from '../support/test-server';
import { expectProblem, expectRefusedWithoutAppend } from './api-helpers';

describe('the product catalogue and product lines', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
    await catalogueProducts(t);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('catalogue', () => {
    it('lists products by SKU with unit price, cost and margin for staff', async () => {
      const listed = await t.api.get('/api/catalogue/products').expect(200);
      const licence = (listed.body as { sku: string }[]).find((p) => p.sku === 'LIC-M365-BP');
      expect(licence).toMatchObject({ unitPrice: 2200, unitCost: 1870, unitMargin: 330, retired: false });
      const finance = await t.keyFor('finance');
      await request(t.http).get('/api/catalogue/products').set('Authorization', `Bearer ${finance}`).expect(200);
      await request(t.http)
        .post('/api/catalogue/products')
        .set('Authorization', `Bearer ${finance}`)
        .send({ ...products.firewall, sku: 'HW-X' })
        .expect(403);
    });

    it('refuses a SKU taken in another letter case, fractional money and an unknown field', async () => {
      const duplicate = await t.api.post('/api/catalogue/products', { ...products.licence, sku: 'lic-m365-bp' });
      expectProblem(duplicate, 409, 'sku');
      expectProblem(
        await t.api.post('/api/catalogue/products', { ...products.licence, sku: 'A-1', unitPrice: 22.5 }),
        400,
        'unitPrice',
      );
      expectProblem(
        await t.api.post('/api/catalogue/products', { ...products.licence, sku: 'A-2', margin: 1 }),
        400,
        'margin',
      );
      expectProblem(
        await t.api.post('/api/catalogue/products', { ...products.licence, sku: 'A-3', billing: 'yearly' }),
        400,
        'billing',
      );
    });

    it('changes and retires a product; retired ones show only when asked for; asOf is refused', async () => {
      await t.api
        .post('/api/catalogue/products', { ...products.firewall, sku: 'HW-SW-24', name: 'Switch' })
        .expect(201);
      const changed = await t.api.patch('/api/catalogue/products/hw-sw-24', { unitPrice: 45000 }).expect(200);
      expect(changed.body).toMatchObject({
        product: { sku: 'HW-SW-24', unitPrice: 45000 },
        events: ['ProductUpdated'],
      });
      const same = await t.api.patch('/api/catalogue/products/HW-SW-24', { unitPrice: 45000 }).expect(200);
      expect(same.body.events).toEqual([]);
      await t.api.post('/api/catalogue/products/HW-SW-24/retire').expect(200);
      expectProblem(await t.api.post('/api/catalogue/products/HW-SW-24/retire'), 409);
      expectProblem(await t.api.patch('/api/catalogue/products/NOPE-1', { unitPrice: 1 }), 404);
      const live = (await t.api.get('/api/catalogue/products').expect(200)).body as { sku: string }[];
      expect(live.map((p) => p.sku)).not.toContain('HW-SW-24');
      const all = (await t.api.get('/api/catalogue/products?retired=true').expect(200)).body as {
        sku: string;
        retired: boolean;
      }[];
      expect(all.find((p) => p.sku === 'HW-SW-24')?.retired).toBe(true);
      expectProblem(await t.api.get('/api/catalogue/products?asOf=2026-01-01T00:00:00Z'), 400, 'asOf');
    });
  });

  describe('one product', () => {
    it('answers at the address a new product is given, in any letter case, retired ones marked retired', async () => {
      const created = await t.api
        .post('/api/catalogue/products', { ...products.firewall, sku: 'HW-AP-6', name: 'Wi-Fi 6 access point' })
        .expect(201);
      expect(created.headers.location).toBe('/api/catalogue/products/HW-AP-6');
      const found = await t.api.get(created.headers.location).expect(200);
      expect(found.body).toMatchObject({
        sku: 'HW-AP-6',
        name: 'Wi-Fi 6 access point',
        unitPrice: 89900,
        unitCost: 72000,
        unitMargin: 17900,
        retired: false,
        retiredAt: null,
      });
      expect((await t.api.get('/api/catalogue/products/hw-ap-6').expect(200)).body.sku).toBe('HW-AP-6');

      const retired = await t.api.post('/api/catalogue/products/HW-AP-6/retire').expect(200);
      const after = await t.api.get('/api/catalogue/products/HW-AP-6').expect(200);
      expect(after.body).toMatchObject({ sku: 'HW-AP-6', retired: true, retiredAt: retired.body.product.retiredAt });
      expect(typeof after.body.retiredAt).toBe('string');

      const finance = await t.keyFor('finance');
      await request(t.http)
        .get('/api/catalogue/products/HW-AP-6')
        .set('Authorization', `Bearer ${finance}`)
        .expect(200);
      expectProblem(await t.api.get('/api/catalogue/products/NOPE-1'), 404);
      expectProblem(await t.api.get('/api/catalogue/products/HW-AP-6?asOf=2026-01-01T00:00:00Z'), 400, 'asOf');
    });
  });

  describe('changing a product', () => {
    const sku = 'HW-UPS-1';
    beforeAll(async () => {
      await t.api.post('/api/catalogue/products', { ...products.firewall, sku, name: 'Rack UPS 1500 VA' }).expect(201);
    });

    it.each([
      ['name', null],
      ['currency', null],
      ['kind', null],
      ['billing', null],
      ['unitPrice', null],
      ['unitCost', null],
      ['name', 42],
      ['currency', 840],
      ['kind', ['product']],
      ['billing', true],
      ['unitPrice', '45000'],
      ['unitCost', { amount: 100 }],
    ])('refuses %s set to %p with 400 naming it, and changes nothing', async (field, value) => {
      const response = await t.api.patch(`/api/catalogue/products/${sku}`, { [field]: value });
      expectProblem(response, 400, field);
      const product = await t.api.get(`/api/catalogue/products/${sku}`).expect(200);
      expect(product.body).toMatchObject({
        name: 'Rack UPS 1500 VA',
        kind: 'product',
        billing: 'one_off',
        currency: 'USD',
        unitPrice: 89900,
        unitCost: 72000,
        updatedAt: null,
      });
    });
  });

  describe('assessing with products', () => {
    let projectId: string;
    let path: string;

    beforeAll(async () => {
      projectId = await openProject(t, 'Product refusals');
      const logged = await t.api.post(`/api/projects/${projectId}/change-requests`, kitRequest.log).expect(201);
      path = `/api/projects/${projectId}/change-requests/${logged.body.id}/assessment`;
    });

    const assess = (product: Record<string, unknown>) => () =>
      t.api.post(path, { lines: [], products: [{ op: 'add', sku: 'HW-FW-60F', quantity: 1 }, product] });

    it('refuses an unknown, retired or foreign-currency SKU and a bad quantity, appending nothing', async () => {
      await expectRefusedWithoutAppend(
        t,
        projectId,
        assess({ op: 'add', sku: 'NOPE-9', quantity: 1 }),
        422,
        'products[1].sku',
      );
      await expectRefusedWithoutAppend(
        t,
        projectId,
        assess({ op: 'add', sku: 'HW-SW-24', quantity: 1 }),
        422,
        'products[1].sku',
      );
      await expectRefusedWithoutAppend(
        t,
        projectId,
        assess({ op: 'add', sku: 'LIC-EU-1', quantity: 1 }),
        422,
        'products[1].sku',
      );
      await expectRefusedWithoutAppend(
        t,
        projectId,
        assess({ op: 'add', sku: 'LIC-M365-BP', quantity: 2.5 }),
        422,
        'products[1].quantity',
      );
      await expectRefusedWithoutAppend(
        t,
        projectId,
        assess({ op: 'add', sku: 'LIC-M365-BP', quantity: -3 }),
        422,
        'products[1].quantity',
      );
      await expectRefusedWithoutAppend(
        t,
        projectId,
        assess({ op: 'add', sku: 'LIC-M365-BP', quantity: '3' }),
        400,
        'products[1].quantity',
      );
    });
  });

  describe('an order with a licence and a firewall, signed', () => {
    let projectId: string;
    let order: { id: string; amount: number };
    let link: Awaited<ReturnType<typeof issuedProductOrder>>['link'];

    beforeAll(async () => {
      ({ projectId, order, link } = await issuedProductOrder(t));
    });

    it('counts the firewalls in the amount once and the licences per month, with margin for staff', async () => {
      expect(order.amount).toBe(productFigures.orderAmount);
      const shown = await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}`).expect(200);
      expect(shown.body).toMatchObject({
        amount: 304800,
        monthly: { change: 55000, before: 0, after: 55000 },
        margin: { oneOff: 35800, monthly: 8250 },
      });
      expect(shown.body.products).toEqual([
        expect.objectContaining({ sku: 'LIC-M365-BP', quantity: 25, amount: 0, monthly: 55000, margin: 8250 }),
        expect.objectContaining({ sku: 'HW-FW-60F', quantity: 2, amount: 179800, monthly: 0, margin: 35800 }),
      ]);
      const budget = await t.api.get(`/api/projects/${projectId}/budget`).expect(200);
      expect(budget.body.monthly).toMatchObject({ baseline: 0, approved: 0, current: 0, pending: 55000 });
    });

    it('keeps the priced figures when the catalogue changes afterwards', async () => {
      await t.api.patch('/api/catalogue/products/HW-FW-60F', { unitPrice: 99900 }).expect(200);
      const shown = await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}`).expect(200);
      expect(shown.body.products[1]).toMatchObject({ unitPrice: 89900, amount: 179800 });
      await t.api.patch('/api/catalogue/products/HW-FW-60F', { unitPrice: 89900 }).expect(200);
    });

    it('signing puts only the labour line on the board and the monthly charge in budget and finance', async () => {
      await signAsClient(t.http, link);
      const board = await t.api.get(`/api/projects/${projectId}/board`).expect(200);
      const refs = (board.body.columns as { cards: { ref: string }[] }[]).flatMap((c) =>
        c.cards.map((card) => card.ref),
      );
      expect(refs).toContain('VPN-2');
      expect(refs.some((ref) => ref === 'LIC-M365-BP' || ref === 'HW-FW-60F')).toBe(false);

      const summary = await t.api.get(`/api/projects/${projectId}`).expect(200);
      expect(summary.body.current.total).toBe(productFigures.contractAfter);
      expect(summary.body.monthly).toMatchObject({ baseline: 0, approved: 55000, current: 55000, pending: 0 });
      const reconciliation = await t.api.get(`/api/finance/projects/${projectId}/reconciliation`).expect(200);
      expect(reconciliation.body).toMatchObject({ signedChanges: 304800, recurringMonthlySigned: 55000 });
      const ledger = await t.api.get('/api/finance/change-orders').expect(200);
      const row = (ledger.body.changeOrders as { changeOrderId: string }[]).find((r) => r.changeOrderId === order.id);
      expect(row).toMatchObject({ amount: 304800, monthly: 55000 });
    });

    it('a later request modifies the licences at the agreed unit price and removes the firewalls', async () => {
      const logged = await t.api.post(`/api/projects/${projectId}/change-requests`, kitRequest.log).expect(201);
      const assessed = await t.api
        .post(`/api/projects/${projectId}/change-requests/${logged.body.id}/assessment`, {
          lines: [],
          products: [
            { op: 'modify', sku: 'LIC-M365-BP', quantity: 20 },
            { op: 'remove', sku: 'hw-fw-60f' },
          ],
        })
        .expect(200);
      // 20 − 25 = −5 licences × 22.00 = −110.00 a month; two firewalls back: −1,798.00
      expect(assessed.body.changeRequest.assessment).toMatchObject({
        costDelta: -179800,
        monthlyDelta: -11000,
        margin: { oneOff: -35800, monthly: -1650 },
      });
    });
  });

  it('a baseline may start with products: one-off ones in the contract, monthly ones apart', async () => {
    const opened = await t.api.post('/api/projects', { ...projectBody, name: 'Baseline with licences' }).expect(201);
    const projectId = opened.body.id as string;
    const products = [
      { op: 'add', sku: 'LIC-M365-BP', quantity: 25 },
      { op: 'add', sku: 'hw-fw-60f', quantity: 2 },
    ];
    await t.api.post(`/api/projects/${projectId}/baseline`, { ...baselineBody, products }).expect(201);
    const summary = await t.api.get(`/api/projects/${projectId}`).expect(200);
    // 4,716.13 of scope and 2 × 899.00 of firewalls; 25 × 22.00 a month apart.
    expect(summary.body.baseline.total).toBe(651413);
    expect(summary.body.monthly).toMatchObject({ baseline: 55000, approved: 0, current: 55000 });

    const logged = await t.api.post(`/api/projects/${projectId}/change-requests`, kitRequest.log).expect(201);
    await t.api
      .post(`/api/projects/${projectId}/change-requests/${logged.body.id}/assessment`, {
        lines: [],
        products: [{ op: 'modify', sku: 'LIC-M365-BP', quantity: 20 }],
      })
      .expect(200);
    const order = await draftOrder(t, projectId, [logged.body.id]);
    await issueOrder(t, projectId, order.id);
    const shown = await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}`).expect(200);
    expect(shown.body.monthly).toEqual({ change: -11000, before: 55000, after: 44000 });
    const board = await t.api.get(`/api/projects/${projectId}/board`).expect(200);
    const refs = (board.body.columns as { cards: { ref: string }[] }[]).flatMap((c) => c.cards.map((card) => card.ref));
    expect(refs).toEqual(['NET-1', 'DOC-1', 'WIFI-1']);
  });
});
