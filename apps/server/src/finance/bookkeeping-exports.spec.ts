import { lineCost, OrderLine, OrderProductLine, PricedScopeItem, Product } from '@scope-ledger/domain';
import {
  formatDate,
  invoiceLines,
  proposedInvoiceNumber,
  quickBooksCsv,
  UninvoicedOrder,
  xeroCsv,
} from './bookkeeping-exports';

const PROJECT_ID = '1a2b3c4d-0000-4000-8000-000000000001';
const terms = { invoiceDate: '2026-04-30', dueInDays: 30, dateFormat: 'us' } as const;
const xeroTerms = { ...terms, dateFormat: 'uk', accountCode: '200', taxType: 'Tax Exempt' } as const;

function item(ref: string, title: string, centiHours: number, rate: number, fixedCost = 0): PricedScopeItem {
  return { ref, title, role: 'engineer', centiHours, rate, fixedCost, cost: lineCost(centiHours, rate, fixedCost) };
}

function added(after: PricedScopeItem, noCharge = false): OrderLine {
  const line = { op: 'add', ref: after.ref, item: after, costDelta: after.cost, centiHoursDelta: after.centiHours };
  return {
    ...line,
    op: 'add',
    changeRequestId: 'cr',
    changeRequestNumber: 1,
    noCharge,
    amount: noCharge ? 0 : after.cost,
  };
}

function modified(before: PricedScopeItem, after: PricedScopeItem): OrderLine {
  const costDelta = after.cost - before.cost;
  const centiHoursDelta = after.centiHours - before.centiHours;
  return {
    ...{ op: 'modify', ref: after.ref, item: after, before, costDelta, centiHoursDelta },
    ...{ changeRequestId: 'cr', changeRequestNumber: 2, noCharge: false, amount: costDelta },
  };
}

function removed(before: PricedScopeItem): OrderLine {
  const line = { ref: before.ref, item: before, before, costDelta: -before.cost, centiHoursDelta: -before.centiHours };
  return {
    ...line,
    op: 'remove',
    changeRequestId: 'cr',
    changeRequestNumber: 3,
    noCharge: false,
    amount: -before.cost,
  };
}

const firewall: Product = {
  sku: 'HW-FW-60F',
  name: 'FortiGate 60F firewall',
  kind: 'product',
  billing: 'one_off',
  currency: 'USD',
  unitPrice: 89900,
  unitCost: 72000,
};
const licence: Product = {
  sku: 'LIC-M365-BP',
  name: 'Microsoft 365 Business Premium',
  kind: 'licence',
  billing: 'monthly',
  currency: 'USD',
  unitPrice: 2200,
  unitCost: 1870,
};

/** A product line as an order carries it: one-off lines in its amount, monthly lines in its monthly charge. */
function productLine(
  product: Product,
  op: OrderProductLine['op'],
  quantityBefore: number,
  quantity: number,
  noCharge = false,
): OrderProductLine {
  const priceDelta = (quantity - quantityBefore) * product.unitPrice;
  const charged = noCharge ? 0 : priceDelta;
  const oneOff = product.billing === 'one_off';
  return {
    ...{ op, sku: product.sku, product, quantity, quantityBefore, priceDelta, marginDelta: 0 },
    ...{ changeRequestId: 'cr', changeRequestNumber: 4, noCharge, margin: 0 },
    ...{ amount: oneOff ? charged : 0, monthly: oneOff ? 0 : charged },
  };
}

function order(lines: readonly OrderLine[], overrides: Partial<UninvoicedOrder> = {}): UninvoicedOrder {
  return {
    projectId: PROJECT_ID,
    projectName: 'Harbour network',
    client: 'Harbour Freight',
    currency: 'USD',
    number: 3,
    revision: 0,
    signedAt: '2026-04-02T09:15:00Z',
    signedBy: 'Morgan Ellery',
    amount: lines.reduce((sum, l) => sum + l.amount, 0),
    invoiced: 0,
    lines,
    ...overrides,
  };
}

/**
 * VPN-2    add     7.50 h x 150.00 = 1,125.00, fixed 125.00          = 1,250.00
 * DOC-1    modify  3.50 -> 5.25 h x 210.00: 1,102.50 - 735.00        =   367.50
 * WIFI-1   remove  6.75 h x 95.50 = 644.625, half up                 =  -644.63
 * PRN-1    add     1.50 h x 95.50 = 143.25, no charge                =     0.00
 * order                                                              =   972.87
 */
const harbour = order([
  added(item('VPN-2', 'Site-to-site VPN', 750, 15000, 12500)),
  modified(item('DOC-1', 'As-built documentation', 350, 21000), item('DOC-1', 'As-built documentation', 525, 21000)),
  removed(item('WIFI-1', 'Wireless site survey', 675, 9550)),
  added(item('PRN-1', 'Remove stale printer drivers', 150, 9550), true),
]);

const lines = (csv: string) => csv.slice(1).split('\r\n').slice(0, -1);

describe('bookkeeping invoice import files', () => {
  it('bills each order line: hours at the rate, fixed costs and no-charge work on lines of their own', () => {
    expect(harbour.amount).toBe(97287);
    expect(invoiceLines(harbour)).toEqual([
      { description: 'VPN-2 Site-to-site VPN', quantity: '7.50', unitAmount: 15000, amount: 112500 },
      { description: 'VPN-2 Site-to-site VPN: fixed cost', quantity: '1', unitAmount: 12500, amount: 12500 },
      {
        description: 'DOC-1 As-built documentation: 3.50 h to 5.25 h',
        quantity: '1.75',
        unitAmount: 21000,
        amount: 36750,
      },
      // 6.75 x 95.50 is 644.625: an importer multiplying would not arrive at the signed 644.63.
      {
        description: 'WIFI-1 Wireless site survey: removed, 6.75 h',
        quantity: '1',
        unitAmount: -64463,
        amount: -64463,
      },
      { description: 'PRN-1 Remove stale printer drivers: no charge, 1.50 h', quantity: '1', unitAmount: 0, amount: 0 },
    ]);
    expect(invoiceLines(harbour).reduce((sum, l) => sum + l.amount, 0)).toBe(97287);
  });

  it('bills one-off products at their unit price beside the labour; monthly licences are billed apart', () => {
    // Labour 2.00 h x 95.50 = 191.00; 2 firewalls x 899.00 = 1,798.00 once; 25 licences x 22.00 = 550.00 a month.
    // The order's amount: 191.00 + 1,798.00 = 1,989.00.
    const kit = order([added(item('WAN-1', 'Dockside WAN link', 200, 9550))], {
      amount: 198900,
      products: [productLine(licence, 'add', 0, 25), productLine(firewall, 'add', 0, 2)],
    });
    expect(invoiceLines(kit)).toEqual([
      { description: 'WAN-1 Dockside WAN link', quantity: '2.00', unitAmount: 9550, amount: 19100 },
      { description: 'HW-FW-60F FortiGate 60F firewall', quantity: '2', unitAmount: 89900, amount: 179800 },
    ]);
    expect(
      lines(quickBooksCsv([kit], terms))
        .slice(1)
        .map((row) => row.split(',').slice(-5, -3)),
    ).toEqual([
      ['95.50', '191.00'],
      ['899.00', '1798.00'],
    ]);
    expect(lines(xeroCsv([kit], xeroTerms))[2]).toContain(',HW-FW-60F FortiGate 60F firewall,2,899.00,,200,');
  });

  it('bills an order of products alone, and products added, reduced, removed or given at no charge', () => {
    // 2 -> 5 firewalls +2,697.00; 5 -> 3 -1,798.00; one removed -899.00; 2 at no charge 0.00; a switch +899.00:
    // 2,697.00 - 1,798.00 - 899.00 + 0.00 + 899.00 = 899.00.
    const products = [
      productLine(firewall, 'modify', 2, 5),
      productLine({ ...firewall, sku: 'HW-FW-40F', name: 'FortiGate 40F' }, 'modify', 5, 3),
      productLine({ ...firewall, sku: 'HW-FW-30E', name: 'FortiGate 30E' }, 'remove', 1, 0),
      productLine({ ...firewall, sku: 'HW-AP-231', name: 'FortiAP 231F' }, 'add', 0, 2, true),
      productLine({ ...firewall, sku: 'HW-SW-108', name: 'FortiSwitch 108F' }, 'add', 0, 1),
    ];
    const productsOnly = order([], { amount: 89900, products });
    expect(invoiceLines(productsOnly)).toEqual([
      {
        description: 'HW-FW-60F FortiGate 60F firewall: 2 to 5 units',
        quantity: '3',
        unitAmount: 89900,
        amount: 269700,
      },
      { description: 'HW-FW-40F FortiGate 40F: 5 to 3 units', quantity: '1', unitAmount: -179800, amount: -179800 },
      { description: 'HW-FW-30E FortiGate 30E: removed, 1 unit', quantity: '1', unitAmount: -89900, amount: -89900 },
      { description: 'HW-AP-231 FortiAP 231F: no charge, 2 units', quantity: '1', unitAmount: 0, amount: 0 },
      { description: 'HW-SW-108 FortiSwitch 108F', quantity: '1', unitAmount: 89900, amount: 89900 },
    ]);
    expect(lines(quickBooksCsv([productsOnly], terms))).toHaveLength(6);
  });

  it('bills an order whose lines would not add up to what was signed on one line of the signed amount', () => {
    const disagreeing = order(harbour.lines, { amount: 100000 });
    expect(invoiceLines(disagreeing)).toEqual([
      { description: 'CO-3 as signed', quantity: '1', unitAmount: 100000, amount: 100000 },
    ]);
  });

  it('writes QuickBooks Online rows with US dates, the due date 30 days on and amounts that add up', () => {
    const head =
      'CO-3-1A2B3C4D,Harbour Freight,04/30/2026,05/30/2026,,,' +
      '"CO-3 Harbour network, signed by Morgan Ellery on 2026-04-02",,';
    expect(lines(quickBooksCsv([harbour], terms))).toEqual([
      'InvoiceNo,Customer,InvoiceDate,DueDate,Terms,Location,Memo,Item(Product/Service),ItemDescription,' +
        'ItemQuantity,ItemRate,ItemAmount,Taxable,TaxRate,Service Date',
      head + 'VPN-2 Site-to-site VPN,7.50,150.00,1125.00,,,',
      head + 'VPN-2 Site-to-site VPN: fixed cost,1,125.00,125.00,,,',
      head + 'DOC-1 As-built documentation: 3.50 h to 5.25 h,1.75,210.00,367.50,,,',
      head + '"WIFI-1 Wireless site survey: removed, 6.75 h",1,-644.63,-644.63,,,',
      head + '"PRN-1 Remove stale printer drivers: no charge, 1.50 h",1,0.00,0.00,,,',
    ]);
  });

  it('bills a line repriced at a new rate, or with only its fixed cost changed, at the signed difference', () => {
    // 2.00 h x 150.00 = 300.00 -> 3.00 h x 160.00 = 480.00: +180.00; fixed 50.00 -> 80.00: +30.00
    const repriced = order([
      modified(item('NET-1', 'Firewall', 200, 15000), item('NET-1', 'Firewall', 300, 16000)),
      modified(item('LIC-1', 'Licences', 0, 15000, 5000), item('LIC-1', 'Licences', 0, 15000, 8000)),
    ]);
    expect(invoiceLines(repriced)).toEqual([
      { description: 'NET-1 Firewall: 2.00 h to 3.00 h', quantity: '1', unitAmount: 18000, amount: 18000 },
      { description: 'LIC-1 Licences: fixed cost', quantity: '1', unitAmount: 3000, amount: 3000 },
    ]);
    expect(repriced.amount).toBe(21000);
  });

  it('bills what is left of an order invoiced in part as one line', () => {
    const partly = order(harbour.lines, { invoiced: 50000 });
    expect(invoiceLines(partly)).toEqual([
      { description: 'Remaining of CO-3', quantity: '1', unitAmount: 47287, amount: 47287 },
    ]);
    expect(lines(xeroCsv([partly], xeroTerms))[1]).toBe(
      'Harbour Freight,,,,,,,,,,CO-3-1A2B3C4D,CO-3 Harbour network,30/04/2026,30/05/2026,,,' +
        'Remaining of CO-3,1,472.87,,200,Tax Exempt,,,,,,USD,',
    );
  });

  it('leaves out orders fully invoiced and orders that credit the client', () => {
    const paid = order(harbour.lines, { invoiced: 97287 });
    const credit = order([removed(item('WIFI-1', 'Wireless site survey', 675, 9550))]);
    expect(lines(quickBooksCsv([paid, credit], terms))).toHaveLength(1);
    expect(lines(xeroCsv([paid, credit], xeroTerms))).toHaveLength(1);
  });

  it('writes yen without decimals and names the currency for Xero', () => {
    // 2.50 h x 12,000 = 30,000 yen; fixed 4,500 yen
    const tokyo = order([added(item('NAS-1', 'Backup NAS', 250, 12000, 4500))], {
      currency: 'JPY',
      client: 'Tokyo Trading',
      number: 1,
    });
    expect(lines(xeroCsv([tokyo], { ...xeroTerms, dateFormat: 'iso', dueInDays: 14 })).slice(1)).toEqual([
      'Tokyo Trading,,,,,,,,,,CO-1-1A2B3C4D,CO-1 Harbour network,2026-04-30,2026-05-14,,,' +
        'NAS-1 Backup NAS,2.50,12000,,200,Tax Exempt,,,,,,JPY,',
      'Tokyo Trading,,,,,,,,,,CO-1-1A2B3C4D,CO-1 Harbour network,2026-04-30,2026-05-14,,,' +
        'NAS-1 Backup NAS: fixed cost,1,4500,,200,Tax Exempt,,,,,,JPY,',
    ]);
  });

  it('quotes a client name with a comma and keeps one starting with "=" as text', () => {
    const small = (client: string) => order([added(item('MFA-1', 'MFA', 200, 21000))], { client });
    const csv = lines(xeroCsv([small('Contoso, Ltd'), small('=cmd|calc')], xeroTerms));
    expect(csv[1].startsWith('"Contoso, Ltd",')).toBe(true);
    expect(csv[2].startsWith("'=cmd|calc,")).toBe(true);
    expect(lines(quickBooksCsv([small('=cmd|calc')], terms))[1]).toContain(",'=cmd|calc,");
  });

  it('proposes one invoice number per order and writes dates in the format asked for', () => {
    expect(proposedInvoiceNumber({ number: 12, projectId: PROJECT_ID })).toBe('CO-12-1A2B3C4D');
    expect(formatDate('2026-04-05', 'iso')).toBe('2026-04-05');
    expect(formatDate('2026-04-05', 'us')).toBe('04/05/2026');
    expect(formatDate('2026-04-05', 'uk')).toBe('05/04/2026');
  });
});
