import { signAsClient } from '../change-orders/change-order-scenario';
import { issuedProductOrder } from '../change-orders/product-order-scenario';
import { pmContext } from '../support/repository-commands';
import { signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';

/**
 * The staff pages show an order's products apart from its one-off amount, with the margin, and the finance page
 * the recurring charges signed. Figures as in product-order-scenario.ts: USD 3,048.00 once, USD 550.00 a month,
 * product margin USD 358.00 once and USD 82.50 a month.
 */
/** Text of an HTML page with the tags taken out and the spaces folded, as a reader sees it. */
const textOf = (page: string) =>
  page
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('products on the staff pages', () => {
  let t: TestServer;
  let scenario: Awaited<ReturnType<typeof issuedProductOrder>>;

  beforeAll(async () => {
    t = await startTestServer();
    scenario = await issuedProductOrder(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('the project page shows the monthly change and margin, then the recurring monthly figure', async () => {
    const { agent } = await signedInAgent(t, 'pm');
    const before = (await agent.get(`/app/projects/${scenario.projectId}`).expect(200)).text;
    expect(before).toContain('USD 3,048.00');
    expect(before).toContain('+USD 550.00 a month');
    expect(before).toContain('margin +USD 358.00 once, +USD 82.50 a month');
    expect(before).toMatch(/Recurring monthly[\s\S]*USD 0\.00 a month[\s\S]*pending \+USD 550\.00/);

    const request = (
      await agent.get(`/app/projects/${scenario.projectId}/change-requests/${scenario.requestId}`).expect(200)
    ).text;
    // 1,250.00 of labour and 1,798.00 of firewalls; the licences' 550.00 a month stands apart.
    expect(request).toMatch(/Price of this request, one-off products included[\s\S]*\+USD 3,048\.00/);
    expect(request).toMatch(/Recurring monthly change: <strong>\+USD 550\.00<\/strong>/);

    await signAsClient(t.http, scenario.link);
    const after = (await agent.get(`/app/projects/${scenario.projectId}`).expect(200)).text;
    expect(after).toMatch(/Recurring monthly[\s\S]*USD 550\.00 a month[\s\S]*product margin \+USD 82\.50 a month/);

    const finance = await signedInAgent(t, 'finance');
    const reconciliation = (await finance.agent.get(`/app/finance/projects/${scenario.projectId}`).expect(200)).text;
    expect(reconciliation).toMatch(/Recurring monthly signed[\s\S]*USD 550\.00 a month/);
    expect(reconciliation).toMatch(/Signed changes[\s\S]*USD 3,048\.00/);
  });

  it("a retired product's page shows it read only, saying when it was retired", async () => {
    const sku = 'HW-NAS-2';
    const { catalogue } = t.server.platform;
    await catalogue.execute(
      {
        type: 'CatalogueProduct',
        now: '2026-03-02T09:00:00.000Z',
        sku,
        name: 'Two-bay NAS',
        kind: 'product',
        billing: 'one_off',
        currency: 'USD',
        unitPrice: 45_000,
        unitCost: 38_250,
      },
      pmContext,
    );
    await catalogue.execute({ type: 'RetireProduct', now: '2026-03-05T10:30:00.000Z', sku }, pmContext);

    const { agent, csrf } = await signedInAgent(t, 'pm');
    const list = (await agent.get('/app/catalogue?retired=true').expect(200)).text;
    expect(list).toContain(`<a href="/app/catalogue/${sku}">${sku}</a>`);
    const page = (await agent.get(`/app/catalogue/${sku.toLowerCase()}`).expect(200)).text;
    const text = textOf(page);
    expect(text).toContain(
      'Retired on 5 Mar 2026, 10:30 UTC . No new assessment can add it and it can no longer be changed',
    );
    // USD 450.00 a unit, costing USD 382.50: USD 67.50 of margin.
    expect(text).toContain('Unit price USD 450.00 Unit cost USD 382.50 Unit margin USD 67.50');
    expect(page).not.toContain(`action="/app/catalogue/${sku}"`);
    expect(page).not.toContain(`action="/app/catalogue/${sku}/retire"`);
    expect(page).not.toContain('name="unitPrice"');
    expect(page).not.toContain(`Retire ${sku}`);

    // A change posted anyway is refused and the page still shows the product as retired.
    const refused = await agent
      .post(`/app/catalogue/${sku}`)
      .type('form')
      .send({
        _csrf: csrf,
        name: 'NAS',
        kind: 'product',
        billing: 'one_off',
        currency: 'USD',
        unitPrice: '1',
        unitCost: '1',
      })
      .expect(409);
    expect(textOf(refused.text)).toContain('Retired on 5 Mar 2026, 10:30 UTC');
    await agent.get('/app/catalogue/NOPE-1').expect(404);
  });
});
