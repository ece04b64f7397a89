import type { TestServer } from '../support/test-server';
import { draftOrder, issueOrder, openProject, requests } from './change-order-scenario';

/**
 * Catalogue products on the network project of change-order-scenario.ts (USD), worked out by hand:
 *
 *   LIC-M365-BP  licence  monthly  22.00 a unit, cost 18.70 (margin 3.30)
 *   HW-FW-60F    product  one_off  899.00 a unit, cost 720.00 (margin 179.00)
 *   LIC-EU-1     licence  monthly  priced in EUR: refused on a USD project
 *
 * One request ("Dockside office kit") adds the VPN-2 labour line of the vpn request (1,250.00),
 * 25 licences (25 × 22.00 = 550.00 a month, margin 82.50 a month) and 2 firewalls
 * (2 × 899.00 = 1,798.00 once, margin 358.00).
 *   one-off price change: 1,250.00 + 1,798.00 = 3,048.00
 *   monthly change: 550.00; monthly total after signing: 0 + 550.00 = 550.00
 *   contract after signing: 4,716.13 + 3,048.00 = 7,764.13
 */
export const products = {
  licence: {
    sku: 'LIC-M365-BP',
    name: 'Microsoft 365 Business Premium',
    kind: 'licence',
    billing: 'monthly',
    currency: 'USD',
    unitPrice: 2200,
    unitCost: 1870,
  },
  firewall: {
    sku: 'HW-FW-60F',
    name: 'FortiGate 60F firewall',
    kind: 'product',
    billing: 'one_off',
    currency: 'USD',
    unitPrice: 89900,
    unitCost: 72000,
  },
  euroLicence: {
    sku: 'LIC-EU-1',
    name: 'Backup licence (EU reseller)',
    kind: 'licence',
    billing: 'monthly',
    currency: 'EUR',
    unitPrice: 900,
    unitCost: 700,
  },
} as const;

export const productFigures = {
  orderAmount: 304800,
  monthly: 55000,
  oneOffMargin: 35800,
  monthlyMargin: 8250,
  contractAfter: 776413,
};

export const kitRequest = {
  log: {
    title: 'Dockside office kit',
    description: 'VPN, firewalls and licences for the new warehouse office.',
    source: 'email',
    requestedBy: requests.vpn.log.requestedBy,
  },
  assessment: {
    ...requests.vpn.assessment,
    products: [
      { op: 'add', sku: 'lic-m365-bp', quantity: 25 },
      { op: 'add', sku: 'HW-FW-60F', quantity: 2 },
    ],
  },
} as const;

/** Catalogues the products once per server; a second call finds them there. */
export async function catalogueProducts(t: TestServer): Promise<void> {
  const listed = await t.api.get('/api/catalogue/products?retired=true').expect(200);
  const skus = new Set((listed.body as { sku: string }[]).map((p) => p.sku));
  for (const product of Object.values(products))
    if (!skus.has(product.sku)) await t.api.post('/api/catalogue/products', product).expect(201);
}

/** The kit request logged and assessed, drafted on an order and issued. */
export async function issuedProductOrder(t: TestServer, name = 'Dockside office') {
  await catalogueProducts(t);
  const projectId = await openProject(t, name);
  const logged = await t.api.post(`/api/projects/${projectId}/change-requests`, kitRequest.log).expect(201);
  const requestId = logged.body.id as string;
  await t.api
    .post(`/api/projects/${projectId}/change-requests/${requestId}/assessment`, kitRequest.assessment)
    .expect(200);
  const order = await draftOrder(t, projectId, [requestId]);
  const link = await issueOrder(t, projectId, order.id);
  return { projectId, requestId, order, link };
}
