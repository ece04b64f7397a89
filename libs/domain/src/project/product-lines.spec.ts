import { CatalogueProduct } from '../catalogue/state';
import { decide } from './decide';
import { event, OrderProductLine, ProductChangeLine, ProjectEvent } from './events';
import { staleFiguresRefusal } from './change-orders';
import { ProjectCommand } from './commands';
import { productHoldings } from './product-lines';
import { foldEvents } from './state';
import { given } from '../testing/decider-specification';
import {
  ASSESSED_AT,
  baselineEstablished,
  ESTABLISHED_AT,
  projectOpened,
  CO_3,
  CR_3,
  ISSUED_AT,
  baselined,
  BASELINE_TOTAL,
  CO_1,
  CO_2,
  CR_1,
  CR_2,
  DRAFTED_AT,
  orderDrafted,
  orderIssued,
  ADD_SI_4,
  onOrder as labourOnOrder,
  orderSigned,
  requestLogged,
  SIGNED_AT,
  signerConsented,
  SIGNER,
  TERMS,
} from '../testing/project.fixture';

const M365: CatalogueProduct = {
  sku: 'LIC-M365-BP',
  name: 'Microsoft 365 Business Premium',
  kind: 'licence',
  billing: 'monthly',
  currency: 'USD',
  unitPrice: 2_200,
  unitCost: 1_870,
  cataloguedAt: '2026-03-01T09:00:00.000Z',
};
const FIREWALL: CatalogueProduct = {
  sku: 'HW-FW-60F',
  name: 'FortiGate 60F firewall',
  kind: 'product',
  billing: 'one_off',
  currency: 'USD',
  unitPrice: 89_900,
  unitCost: 72_000,
  cataloguedAt: '2026-03-01T09:00:00.000Z',
};
const { cataloguedAt: _m, ...m365 } = M365;
const { cataloguedAt: _f, ...firewall } = FIREWALL;

// 25 licences × 22.00 = 550.00 a month, margin 25 × 3.30 = 82.50
const ADD_LICENCES: ProductChangeLine = {
  op: 'add',
  sku: 'LIC-M365-BP',
  product: m365,
  quantity: 25,
  quantityBefore: 0,
  priceDelta: 55_000,
  marginDelta: 8_250,
};
// 2 firewalls × 899.00 = 1,798.00 once, margin 2 × 179.00 = 358.00
const ADD_FIREWALLS: ProductChangeLine = {
  op: 'add',
  sku: 'HW-FW-60F',
  product: firewall,
  quantity: 2,
  quantityBefore: 0,
  priceDelta: 179_800,
  marginDelta: 35_800,
};

const readToSign = (changeOrderId: string): ProjectEvent[] => [
  event('ChangeOrderViewed', { changeOrderId, viewedAt: '2026-03-09T13:50:00.000Z' }),
  signerConsented(changeOrderId),
];

const logged: ProjectEvent[] = [...baselined, requestLogged(CR_1, 1), requestLogged(CR_2, 2)];

const assessProducts = (
  products: NonNullable<Extract<Parameters<typeof decide>[0], { type: 'AssessChangeRequest' }>['products']>,
  changeRequestId = CR_1,
) => ({
  type: 'AssessChangeRequest' as const,
  now: ASSESSED_AT,
  changeRequestId,
  lines: [],
  products,
  schedule: [],
  noCharge: false,
});

const assessedWithProducts = event('ChangeRequestAssessed', {
  changeRequestId: CR_1,
  lines: [],
  schedule: [],
  noCharge: false,
  costDelta: 179_800,
  products: [ADD_LICENCES, ADD_FIREWALLS],
  monthlyDelta: 55_000,
  assessedAt: ASSESSED_AT,
});

const onOrder = (line: ProductChangeLine, amount: number, monthly: number, margin: number): OrderProductLine => ({
  ...line,
  changeRequestId: CR_1,
  changeRequestNumber: 1,
  noCharge: false,
  amount,
  monthly,
  margin,
});

const drafted = event('ChangeOrderDrafted', {
  ...orderDrafted(CO_1, 1, [CR_1], [], { amount: 179_800 }).data,
  products: [onOrder(ADD_LICENCES, 0, 55_000, 8_250), onOrder(ADD_FIREWALLS, 179_800, 0, 35_800)],
  monthly: 55_000,
});

describe('product lines on assessments and orders', () => {
  it('prices products with the catalogue snapshot: one-off in the price change, monthly apart', () => {
    given(logged)
      .when(
        assessProducts([
          { op: 'add', sku: 'lic-m365-bp', quantity: 25, product: M365 },
          { op: 'add', sku: 'HW-FW-60F', quantity: 2, product: FIREWALL },
        ]),
      )
      .then([assessedWithProducts]);
  });

  it('refuses an unknown or retired SKU, another currency, a bad quantity, naming the field', () => {
    const when = (line: Parameters<typeof assessProducts>[0][number]) =>
      given(logged).when(assessProducts([{ op: 'add', sku: 'HW-FW-60F', quantity: 1, product: FIREWALL }, line]));
    when({ op: 'add', sku: 'NOPE', quantity: 1 }).thenThrows(
      'invalid',
      'SKU NOPE is not in the catalogue',
      'products[1].sku',
    );
    when({ op: 'add', sku: M365.sku, quantity: 1, product: { ...M365, retiredAt: ASSESSED_AT } }).thenThrows(
      'invalid',
      'is retired',
      'products[1].sku',
    );
    when({ op: 'add', sku: M365.sku, quantity: 1, product: { ...M365, currency: 'EUR' } }).thenThrows(
      'invalid',
      'priced in EUR; this project is in USD',
      'products[1].sku',
    );
    when({ op: 'add', sku: M365.sku, quantity: 2.5, product: M365 }).thenThrows(
      'invalid',
      'whole number',
      'products[1].quantity',
    );
    when({ op: 'add', sku: M365.sku, quantity: 0, product: M365 }).thenThrows(
      'invalid',
      'whole number',
      'products[1].quantity',
    );
    when({ op: 'add', sku: 'hw-fw-60f', quantity: 3, product: FIREWALL }).thenThrows(
      'invalid',
      'appears twice',
      'products[1].sku',
    );
  });

  it('drafts an order whose amount counts one-off products and whose monthly change stands apart', () => {
    given([...logged, assessedWithProducts])
      .when({
        type: 'DraftChangeOrder',
        now: DRAFTED_AT,
        changeOrderId: CO_1,
        changeRequestIds: [CR_1],
        signer: SIGNER,
        terms: TERMS,
      })
      .then([drafted]);
  });

  it('signing puts the labour line on the board and no product', () => {
    const mixed = event('ChangeRequestAssessed', {
      ...assessedWithProducts.data,
      lines: [ADD_SI_4],
      costDelta: 296_800,
    });
    const mixedDraft = event('ChangeOrderDrafted', {
      ...drafted.data,
      lines: [labourOnOrder(ADD_SI_4, CR_1, 1)],
      amount: 296_800,
    });
    const issued = orderIssued(CO_1, { originalContract: BASELINE_TOTAL, previouslyApproved: 0 });
    const events = decide(
      {
        type: 'SignChangeOrder',
        now: SIGNED_AT,
        changeOrderId: CO_1,
        name: SIGNER.name,
        consent: true,
        documentSha256: issued.data.documentSha256,
        signature: 'typed',
        signedDocumentSha256: 'a'.repeat(64),
        consentVersion: 'esign-consent-1',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
      },
      foldEvents([...logged, mixed, mixedDraft, issued, ...readToSign(CO_1)]),
    );
    const cards = events.filter((e) => e.type === 'BoardCardAdded').map((e) => e.data.ref);
    expect(cards).toEqual(['SI-4']);
    expect(events.map((e) => e.type)).toEqual(['ChangeOrderSigned', 'BoardCardAdded']);
  });

  it('a modify keeps the agreed unit price after the catalogue changes; a removal names no quantity', () => {
    const signed = [
      ...logged,
      assessedWithProducts,
      drafted,
      orderIssued(CO_1, { originalContract: BASELINE_TOTAL, previouslyApproved: 0 }),
      orderSigned(CO_1),
    ];
    expect(productHoldings(foldEvents(signed)).get('LIC-M365-BP')?.quantity).toBe(25);
    // 30 − 25 = 5 more licences at the agreed 22.00: 110.00 a month, margin 5 × 3.30 = 16.50
    const raised = { ...M365, unitPrice: 2_500 };
    given(signed)
      .when(assessProducts([{ op: 'modify', sku: M365.sku, quantity: 30, product: raised }], CR_2))
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_2,
          lines: [],
          schedule: [],
          noCharge: false,
          costDelta: 0,
          products: [
            { ...ADD_LICENCES, op: 'modify', quantity: 30, quantityBefore: 25, priceDelta: 11_000, marginDelta: 1_650 },
          ],
          monthlyDelta: 11_000,
          assessedAt: ASSESSED_AT,
        }),
      ]);
    given(signed)
      .when(assessProducts([{ op: 'remove', sku: 'HW-FW-60F', quantity: 1 }], CR_2))
      .thenThrows('invalid', 'A removal names only the SKU', 'products[0].quantity');
  });

  it('an assessment stored before products existed still folds, with no products and no monthly change', () => {
    const old = event('ChangeRequestAssessed', {
      changeRequestId: CR_1,
      lines: [],
      schedule: [{ milestone: 'M2', workingDays: 1 }],
      noCharge: false,
      costDelta: 0,
      assessedAt: ASSESSED_AT,
    });
    const state = foldEvents([...logged, old]);
    expect(state.changeRequests.get(CR_1)?.assessment?.products ?? []).toEqual([]);
    expect(productHoldings(state).size).toBe(0);
  });
});

describe('an issued order and the monthly total it printed', () => {
  const BACKUP: CatalogueProduct = {
    ...M365,
    sku: 'LIC-BACKUP',
    name: 'Cloud backup seat',
    unitPrice: 500,
    unitCost: 300,
  };
  const then = (events: ProjectEvent[], command: ProjectCommand) => [...events, ...decide(command, foldEvents(events))];
  const issue = (changeOrderId: string): ProjectCommand => ({
    type: 'IssueChangeOrder',
    now: ISSUED_AT,
    changeOrderId,
    documentSha256: 'b'.repeat(64),
    signingTokenSha256: 'c'.repeat(64),
    signingTokenNonce: changeOrderId,
  });
  const draft = (changeOrderId: string, changeRequestId: string): ProjectCommand => ({
    type: 'DraftChangeOrder',
    now: DRAFTED_AT,
    changeOrderId,
    changeRequestIds: [changeRequestId],
    signer: SIGNER,
    terms: TERMS,
  });

  it('goes stale when another order signs a monthly change, unless it carries no products', () => {
    let events: ProjectEvent[] = [...logged, requestLogged(CR_3, 3)];
    events = then(events, assessProducts([{ op: 'add', sku: M365.sku, quantity: 25, product: M365 }], CR_1));
    events = then(events, assessProducts([{ op: 'add', sku: BACKUP.sku, quantity: 10, product: BACKUP }], CR_2));
    events = then(events, {
      ...assessProducts([], CR_3),
      lines: [{ op: 'add', ref: 'SI-4', title: 'Conditional access', role: 'architect', hours: 6 }],
    });
    for (const [order, request] of [
      [CO_1, CR_1],
      [CO_2, CR_2],
      [CO_3, CR_3],
    ])
      events = then(events, draft(order, request));
    for (const order of [CO_1, CO_2, CO_3]) events = then(events, issue(order));
    // CO-1 is licences only: it changes no one-off figure, only the monthly total (0 → 550.00).
    events = [...events, ...readToSign(CO_1), orderSigned(CO_1)];
    const state = foldEvents(events);
    expect(state.changeOrders.get(CO_1)).toMatchObject({ amount: 0, monthly: 55_000 });
    expect(staleFiguresRefusal(state, state.changeOrders.get(CO_2)!)?.message).toContain('CO-1 was signed');
    expect(staleFiguresRefusal(state, state.changeOrders.get(CO_3)!)).toBeUndefined();
  });
});

describe('a baseline with products', () => {
  const { total, items, milestones } = baselineEstablished.data;
  const established = event('BaselineEstablished', {
    items,
    milestones,
    // 7,495.00 of scope and 1,798.00 of firewalls, once; the licences' 550.00 a month apart.
    total: total + 179_800,
    products: [ADD_LICENCES, ADD_FIREWALLS],
    monthly: 55_000,
    establishedAt: ESTABLISHED_AT,
  });

  it('counts one-off products in the contract and starts the monthly charges', () => {
    given([projectOpened])
      .when({
        type: 'EstablishBaseline',
        now: ESTABLISHED_AT,
        items: items.map(({ ref, title, role, centiHours, fixedCost }) => ({
          ref,
          title,
          role,
          hours: centiHours / 100,
          fixedCost,
        })),
        milestones,
        products: [
          { op: 'add', sku: M365.sku, quantity: 25, product: M365 },
          { op: 'add', sku: FIREWALL.sku, quantity: 2, product: FIREWALL },
        ],
      })
      .then([established, ...baselined.slice(2)]);
  });

  it('holds its products: a later request changes them at the unit price the baseline agreed', () => {
    const events = [projectOpened, established, ...baselined.slice(2), requestLogged(CR_1, 1)];
    expect(productHoldings(foldEvents(events)).get('LIC-M365-BP')?.quantity).toBe(25);
    // 20 − 25 = −5 licences × 22.00 = −110.00 a month, though the catalogue now asks 25.00
    given(events)
      .when(assessProducts([{ op: 'modify', sku: M365.sku, quantity: 20, product: { ...M365, unitPrice: 2_500 } }]))
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_1,
          lines: [],
          schedule: [],
          noCharge: false,
          costDelta: 0,
          products: [
            {
              ...ADD_LICENCES,
              op: 'modify',
              quantity: 20,
              quantityBefore: 25,
              priceDelta: -11_000,
              marginDelta: -1_650,
            },
          ],
          monthlyDelta: -11_000,
          assessedAt: ASSESSED_AT,
        }),
      ]);
    given(events)
      .when(assessProducts([{ op: 'add', sku: FIREWALL.sku, quantity: 1, product: FIREWALL }]))
      .thenThrows('invalid', 'already in the current scope', 'products[0].sku');
  });
});
