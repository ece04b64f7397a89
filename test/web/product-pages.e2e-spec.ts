import { signAsClient } from '../change-orders/change-order-scenario';
import { issuedProductOrder } from '../change-orders/product-order-scenario';
import { signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';

/**
 * The staff pages show an order's products apart from its one-off amount, with the margin, and the finance page
 * the recurring charges signed. Figures as in product-order-scenario.ts: USD 3,048.00 once, USD 550.00 a month,
 * product margin USD 358.00 once and USD 82.50 a month.
 */
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
});
