import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';
import {
  assessedRequest,
  draftOrder,
  issuedScenario,
  issueOrder,
  openProject,
  signAsClient,
} from '../change-orders/change-order-scenario';
import { issuedProductOrder, kitRequest, products } from '../change-orders/product-order-scenario';

/** The body's lines without the byte order mark, checked for CRLF line ends. */
function csvLines(text: string): string[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(1, -2).split('\r\n');
}

/**
 * Finance downloads the signed order of the change-order scenario as invoice import files:
 * VPN-2 7.50 h x 150.00 + fixed 125.00, DOC-1 +1.75 h x 210.00, WIFI-1 removed (-644.63),
 * PRN-1 no charge: 1,125.00 + 125.00 + 367.50 - 644.63 + 0 = 972.87.
 */
describe('bookkeeping invoice import files', () => {
  let t: TestServer;
  let financeKey: string;
  let invoiceNo: string;
  let memo: string;

  beforeAll(async () => {
    t = await startTestServer();
    financeKey = await t.keyFor('finance');
    const { projectId, issued } = await issuedScenario(t);
    await signAsClient(t.http, issued);
    const unsigned = await openProject(t, 'Unsigned order elsewhere');
    await draftOrder(t, unsigned, [await assessedRequest(t, unsigned, 'mfa')]);
    invoiceNo = `CO-1-${projectId.slice(0, 8).toUpperCase()}`;
    const list = await t.api.get('/api/finance/change-orders').expect(200);
    const signedOn = (list.body.changeOrders[0].signedAt as string).slice(0, 10);
    memo = `"CO-1 Harbour office network refresh, signed by Morgan Ellery on ${signedOn}"`;
    // Issuing and signing render and seal PDFs: slow on a busy machine.
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const get = (path: string, key = financeKey) => request(t.http).get(path).set('Authorization', `Bearer ${key}`);

  it('writes a QuickBooks Online invoice with one line per order line, adding up to the signed amount', async () => {
    const response = await get('/api/finance/exports/quickbooks.csv?invoiceDate=2026-04-30').expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="quickbooks-invoices.csv"');
    const head = `${invoiceNo},Harbour Freight Logistics,04/30/2026,05/30/2026,,,${memo},,`;
    expect(csvLines(response.text)).toEqual([
      'InvoiceNo,Customer,InvoiceDate,DueDate,Terms,Location,Memo,Item(Product/Service),ItemDescription,' +
        'ItemQuantity,ItemRate,ItemAmount,Taxable,TaxRate,Service Date',
      `${head}VPN-2 Site-to-site VPN to Dockside,7.50,150.00,1125.00,,,`,
      `${head}VPN-2 Site-to-site VPN to Dockside: fixed cost,1,125.00,125.00,,,`,
      `${head}DOC-1 As-built documentation: 3.50 h to 5.25 h,1.75,210.00,367.50,,,`,
      `${head}"WIFI-1 Wireless site survey: removed, 6.75 h",1,-644.63,-644.63,,,`,
      `${head}"PRN-1 Remove stale printer drivers: no charge, 1.50 h",1,0.00,0.00,,,`,
    ]);
  });

  it('writes a Xero sales invoice with the account code, tax rate, date format and due days asked for', async () => {
    const response = await get(
      '/api/finance/exports/xero.csv?invoiceDate=2026-04-30&dueInDays=14&accountCode=4000&taxType=No%20VAT',
    ).expect(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="xero-invoices.csv"');
    const head =
      `Harbour Freight Logistics,,,,,,,,,,${invoiceNo},` +
      'CO-1 Harbour office network refresh,30/04/2026,14/05/2026,,,';
    expect(csvLines(response.text)).toEqual([
      '*ContactName,EmailAddress,POAddressLine1,POAddressLine2,POAddressLine3,POAddressLine4,POCity,PORegion,' +
        'POPostalCode,POCountry,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,Total,InventoryItemCode,' +
        '*Description,*Quantity,*UnitAmount,Discount,*AccountCode,*TaxType,TaxAmount,TrackingName1,' +
        'TrackingOption1,TrackingName2,TrackingOption2,Currency,BrandingTheme',
      `${head}VPN-2 Site-to-site VPN to Dockside,7.50,150.00,,4000,No VAT,,,,,,USD,`,
      `${head}VPN-2 Site-to-site VPN to Dockside: fixed cost,1,125.00,,4000,No VAT,,,,,,USD,`,
      `${head}DOC-1 As-built documentation: 3.50 h to 5.25 h,1.75,210.00,,4000,No VAT,,,,,,USD,`,
      `${head}"WIFI-1 Wireless site survey: removed, 6.75 h",1,-644.63,,4000,No VAT,,,,,,USD,`,
      `${head}"PRN-1 Remove stale printer drivers: no charge, 1.50 h",1,0.00,,4000,No VAT,,,,,,USD,`,
    ]);
    const iso = await get('/api/finance/exports/xero.csv?invoiceDate=2026-04-30&dateFormat=iso').expect(200);
    expect(csvLines(iso.text)[1]).toContain(',2026-04-30,2026-05-30,,,VPN-2 ');
    expect(csvLines(iso.text)[1]).toContain(',200,Tax Exempt,');
  });

  it('filters by client like the finance list', async () => {
    const none = await get('/api/finance/exports/quickbooks.csv?client=Someone%20Else').expect(200);
    expect(csvLines(none.text)).toHaveLength(1);
  });

  it('refuses a date format, due days or invoice date it does not know with a problem naming the field', async () => {
    for (const [query, field] of [
      ['dateFormat=german', 'dateFormat'],
      ['dueInDays=-1', 'dueInDays'],
      ['dueInDays=2.5', 'dueInDays'],
      ['invoiceDate=2026-02-30', 'invoiceDate'],
    ]) {
      const refused = await get(`/api/finance/exports/xero.csv?${query}`).expect(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(refused.body)).toContain(field);
    }
  });

  it('is for the finance role only', async () => {
    await get('/api/finance/exports/quickbooks.csv', await t.keyFor('pm')).expect(403);
    await request(t.http).get('/api/finance/exports/xero.csv').expect(401);
  });

  it('offers both files on the finance page with its filters, downloaded with the session', async () => {
    const agent = request.agent(t.http);
    const form = await agent.get('/app/sign-in').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await agent.post('/app/sign-in').type('form').send({ _csrf: csrf, key: financeKey }).expect(303);
    const page = await agent.get('/app/finance?client=Harbour%20Freight%20Logistics').expect(200);
    expect(page.text).toContain('href="/app/finance/exports/quickbooks.csv?client=Harbour+Freight+Logistics"');
    expect(page.text).toContain('href="/app/finance/exports/xero.csv?client=Harbour+Freight+Logistics"');
    const quickBooks = await agent.get('/app/finance/exports/quickbooks.csv?client=Harbour+Freight+Logistics');
    expect(quickBooks.status).toBe(200);
    expect(csvLines(quickBooks.text)).toHaveLength(6);
    const xero = await agent.get('/app/finance/exports/xero.csv?client=Nobody').expect(200);
    expect(csvLines(xero.text)).toHaveLength(1);
  });
});

/**
 * Orders with catalogue products (figures in product-order-scenario.ts): the kit order bills VPN-2
 * (7.50 h x 150.00 = 1,125.00, fixed 125.00) and 2 firewalls x 899.00 = 1,798.00 once: 3,048.00; its 25 licences
 * (550.00 a month) are billed apart. A second project's order adds one firewall and nothing else: 899.00.
 */
describe('bookkeeping import files of orders with products', () => {
  let t: TestServer;
  let financeKey: string;
  let kitInvoice: string;
  let firewallInvoice: string;

  beforeAll(async () => {
    t = await startTestServer();
    financeKey = await t.keyFor('finance');
    const kit = await issuedProductOrder(t, 'Dockside office');
    await signAsClient(t.http, kit.link);
    kitInvoice = `CO-1-${kit.projectId.slice(0, 8).toUpperCase()}`;

    const branch = await openProject(t, 'Branch firewall', {
      client: { name: 'Branch Retail', email: 'ap@branch.example' },
    });
    const logged = await t.api
      .post(`/api/projects/${branch}/change-requests`, { ...kitRequest.log, title: 'Branch firewall' })
      .expect(201);
    await t.api
      .post(`/api/projects/${branch}/change-requests/${logged.body.id}/assessment`, {
        lines: [],
        schedule: [],
        products: [{ op: 'add', sku: products.firewall.sku, quantity: 1 }],
      })
      .expect(200);
    const order = await draftOrder(t, branch, [logged.body.id as string]);
    await signAsClient(t.http, await issueOrder(t, branch, order.id));
    firewallInvoice = `CO-1-${branch.slice(0, 8).toUpperCase()}`;
    // Issuing and signing render and seal PDFs: slow on a busy machine.
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const get = (path: string) => request(t.http).get(path).set('Authorization', `Bearer ${financeKey}`);
  /** Each row's invoice number, then its description, quantity, rate and amount (none of them with a comma). */
  const quickBooksLines = (text: string) =>
    csvLines(text)
      .slice(1)
      .map((row) => {
        const cells = row.split(',');
        return [cells[0], ...cells.slice(-7, -3)];
      });

  it('bills one-off products beside the labour, adding up to the signed one-off amount', async () => {
    const list = await get('/api/finance/change-orders').expect(200);
    expect(list.body.changeOrders.map((o: { amount: number; monthly: number }) => [o.amount, o.monthly])).toEqual([
      [304800, 55000],
      [89900, 0],
    ]);
    const quickBooks = await get('/api/finance/exports/quickbooks.csv?invoiceDate=2026-12-07').expect(200);
    expect(quickBooksLines(quickBooks.text)).toEqual([
      [kitInvoice, 'VPN-2 Site-to-site VPN to Dockside', '7.50', '150.00', '1125.00'],
      [kitInvoice, 'VPN-2 Site-to-site VPN to Dockside: fixed cost', '1', '125.00', '125.00'],
      [kitInvoice, 'HW-FW-60F FortiGate 60F firewall', '2', '899.00', '1798.00'],
      [firewallInvoice, 'HW-FW-60F FortiGate 60F firewall', '1', '899.00', '899.00'],
    ]);
    expect(quickBooks.text).not.toContain('LIC-M365-BP');
  });

  it('writes the same lines for Xero', async () => {
    const xero = await get('/api/finance/exports/xero.csv?invoiceDate=2026-12-07').expect(200);
    const rows = csvLines(xero.text).slice(1);
    expect(rows).toHaveLength(4);
    expect(rows[2]).toContain(`,${kitInvoice},`);
    expect(rows[2]).toContain(',HW-FW-60F FortiGate 60F firewall,2,899.00,,200,Tax Exempt,');
    expect(rows[3]).toContain(`,${firewallInvoice},`);
    expect(rows[3]).toContain(',HW-FW-60F FortiGate 60F firewall,1,899.00,,200,Tax Exempt,');
    expect(xero.text).not.toContain('LIC-M365-BP');
  });
});
