import request from 'supertest';
import { pdfToText } from '../../libs/documents/src/testing/poppler';
import { startTestServer, TestServer } from '../support/test-server';
import { signAsClient } from './change-order-scenario';
import { issuedProductOrder } from './product-order-scenario';

/**
 * What the company pays for a product and what it keeps are for staff only: unit costs (18.70 a licence,
 * 720.00 a firewall) and margins (3.30 and 179.00 a unit; 82.50 a month and 358.00 on the order) must not
 * reach anything the client reads. Figures as in product-order-scenario.ts.
 */
const STAFF_ONLY = ['18.70', '720.00', '1,440.00', '467.50', '3.30', '179.00', '82.50', '358.00'];

function expectNoStaffFigures(text: string): void {
  for (const figure of STAFF_ONLY) expect(text).not.toContain(figure);
  expect(text).not.toMatch(/margin|unit cost/i);
}

describe('products and licences on the client documents', () => {
  let t: TestServer;
  let scenario: Awaited<ReturnType<typeof issuedProductOrder>>;

  beforeAll(async () => {
    t = await startTestServer({
      config: { mspName: 'Lighthouse Managed IT', mspEmail: 'projects@lighthouse.example' },
    });
    scenario = await issuedProductOrder(t);
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  const issuedPdf = async () =>
    (
      await t.api
        .get(`/api/projects/${scenario.projectId}/change-orders/${scenario.order.id}/pdf?copy=issued`)
        .expect(200)
    ).body as Buffer;

  it('prints one-off products in the price and a recurring monthly section with the new monthly total', async () => {
    const text = pdfToText(await issuedPdf());
    expect(text).toMatch(/HW-FW-60F — FortiGate 60F firewall\s+Add\s+\+2\s+USD 899\.00\s+USD 1,798\.00/);
    expect(text).toContain('Recurring monthly charges');
    expect(text).toMatch(/LIC-M365-BP — Microsoft 365\s+Add\s+\+25\s+USD 22\.00\s+USD 550\.00/);
    expect(text).toMatch(/Monthly charges before this order\s+USD 0\.00/);
    expect(text).toMatch(/Change per month \(CO-1\)\s+USD 550\.00/);
    expect(text).toMatch(/New monthly total\s+USD 550\.00/);
    // 1,250.00 of labour and 1,798.00 of firewalls, once; the licences are not in it.
    expect(text).toMatch(/This change order \(CO-1\)\s+USD 3,048\.00/);
    expect(text).toMatch(/New contract total\s+USD 7,764\.13/);
  });

  it('never prints a unit cost or a margin, on the issued copy or the signed and certified copy', async () => {
    expectNoStaffFigures(pdfToText(await issuedPdf()));
    const page = await request(t.http).get(scenario.link.signPath).expect(200);
    expect(page.text).toContain('Recurring monthly charges');
    expect(page.text).toContain('USD 550.00');
    expectNoStaffFigures(page.text);

    await signAsClient(t.http, scenario.link);
    const signed = (
      await t.api.get(`/api/projects/${scenario.projectId}/change-orders/${scenario.order.id}/pdf`).expect(200)
    ).body as Buffer;
    const signedText = pdfToText(signed);
    expect(signedText).toContain('Certificate of completion');
    expectNoStaffFigures(signedText);

    const emails = (await t.api.get(`/api/outbox?changeOrderId=${scenario.order.id}`).expect(200)).body as {
      text: string;
    }[];
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) expectNoStaffFigures(email.text);
    expect(emails[0].text).toContain(
      'Add LIC-M365-BP Microsoft 365 Business Premium (quantity 25): USD 550.00 per month',
    );
  });

  it('while the staff API shows the margin', async () => {
    const shown = await t.api.get(`/api/projects/${scenario.projectId}/change-orders/${scenario.order.id}`).expect(200);
    expect(shown.body.margin).toEqual({ oneOff: 35800, monthly: 8250 });
  });
});
