import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import type { TestServer } from '../support/test-server';

/**
 * One small network project whose change orders are worked out by hand below, shared by
 * the change-order suites (API, PDF and browser). Rates are in cents per hour.
 *
 * Baseline (USD):
 *   NET-1  engineer   16.25 h x 150.00 + fixed 899.00 = 2,437.50 + 899.00 = 3,336.50
 *   DOC-1  architect   3.50 h x 210.00                =                      735.00
 *   WIFI-1 technician  6.75 h x  95.50 = 644.625, half up                  = 644.63
 *   total                                                                  4,716.13
 * Milestones: M1 2026-03-20 (Fri), M2 2026-04-01 (Wed), M3 2026-04-15 (Wed); 2026-04-03 is a holiday.
 *
 * Requests (numbered CR-1.. in the order a test logs them):
 *   vpn      add VPN-2     engineer 7.50 h x 150.00 + fixed 125.00 = 1,250.00; M1 +2 working days
 *   docs     modify DOC-1  architect 3.50 -> 5.25 h: 1,102.50 - 735.00 = +367.50; M2 +1 working day
 *   wifi     remove WIFI-1                                             = -644.63
 *   printers add PRN-1     technician 1.50 h x 95.50 = 143.25, no charge (absorbed)
 *   mfa      add MFA-1     architect 2.00 h x 210.00 = 420.00 (for an earlier order)
 *
 * One order with all four: 1,250.00 + 367.50 - 644.63 + 0 = 972.87; absorbed 143.25.
 * Hours on the order: 7.50 + 1.75 - 6.75 + 1.50 = 4.00.
 * After signing: contract 4,716.13 + 972.87 = 5,689.00. M1 +2 moves M1, M2 and M3 (cascade);
 * M2 +1 moves M2 and M3:
 *   M1 2026-03-20 +2 -> Mon 03-23, Tue 03-24                         = 2026-03-24
 *   M2 2026-04-01 +3 -> Thu 04-02, (Fri 04-03 holiday) Mon 04-06, Tue 04-07 = 2026-04-07
 *   M3 2026-04-15 +3 -> Thu 04-16, Fri 04-17, Mon 04-20               = 2026-04-20
 */

export const projectBody = {
  name: 'Harbour office network refresh',
  client: { name: 'Harbour Freight Logistics', email: 'it@harbour-freight.example' },
  currency: 'USD',
  rates: { engineer: 15000, architect: 21000, technician: 9550 },
  startDate: '2026-03-02',
  holidays: ['2026-04-03'],
};

export const baselineBody = {
  items: [
    { ref: 'NET-1', title: 'Firewall and VPN configuration', role: 'engineer', hours: 16.25, fixedCost: 89900 },
    { ref: 'DOC-1', title: 'As-built documentation', role: 'architect', hours: 3.5 },
    { ref: 'WIFI-1', title: 'Wireless site survey', role: 'technician', hours: 6.75 },
  ],
  milestones: [
    { ref: 'M1', name: 'Network live', due: '2026-03-20' },
    { ref: 'M2', name: 'Handover', due: '2026-04-01' },
    { ref: 'M3', name: 'Warranty review', due: '2026-04-15' },
  ],
};

export const figures = {
  baselineTotal: 471613,
  mfa1: 42000,
  vpn2: 125000,
  doc1Delta: 36750,
  doc1After: 110250,
  wifi1: 64463,
  prn1Absorbed: 14325,
  orderAmount: 97287,
  contractAfter: 568900,
};

export const signer = { name: 'Morgan Ellery', email: 'morgan.ellery@harbour-freight.example' };
const requester = { name: 'Jo Okafor', email: 'jo.okafor@harbour-freight.example' };

export const requests = {
  vpn: {
    log: {
      title: 'Second site VPN tunnel',
      description: 'Connect the Dockside warehouse to head office.',
      source: 'email',
      requestedBy: requester,
      ticketRef: 'HF-4411',
    },
    assessment: {
      lines: [
        {
          op: 'add',
          ref: 'VPN-2',
          title: 'Site-to-site VPN to Dockside',
          role: 'engineer',
          hours: 7.5,
          fixedCost: 12500,
        },
      ],
      schedule: [{ milestone: 'M1', workingDays: 2 }],
    },
  },
  docs: {
    log: {
      title: 'Document the new VLAN plan',
      description: 'Raised in the weekly call.',
      source: 'meeting',
      requestedBy: requester,
    },
    assessment: {
      lines: [{ op: 'modify', ref: 'DOC-1', hours: 5.25 }],
      schedule: [{ milestone: 'M2', workingDays: 1 }],
    },
  },
  wifi: {
    log: {
      title: 'Drop the wireless survey',
      description: 'The landlord already surveyed the floor.',
      source: 'phone',
      requestedBy: requester,
    },
    assessment: { lines: [{ op: 'remove', ref: 'WIFI-1' }], schedule: [] },
  },
  mfa: {
    log: {
      title: 'MFA for the warehouse tablets',
      description: 'Asked for after the phishing test.',
      source: 'portal',
      requestedBy: requester,
    },
    assessment: {
      lines: [{ op: 'add', ref: 'MFA-1', title: 'Multi-factor authentication roll-out', role: 'architect', hours: 2 }],
      schedule: [],
    },
  },
  printers: {
    log: {
      title: 'Printer driver clean-up',
      description: 'Old drivers on the front desk PCs.',
      source: 'ticket',
      requestedBy: requester,
    },
    assessment: {
      lines: [{ op: 'add', ref: 'PRN-1', title: 'Remove stale printer drivers', role: 'technician', hours: 1.5 }],
      schedule: [],
      noCharge: true,
    },
  },
} as const;

export type RequestName = keyof typeof requests;

export async function openProject(
  t: TestServer,
  name = projectBody.name,
  overrides: Partial<typeof projectBody> & { timeZone?: string } = {},
): Promise<string> {
  const opened = await t.api.post('/api/projects', { ...projectBody, name, ...overrides }).expect(201);
  await t.api.post(`/api/projects/${opened.body.id}/baseline`, baselineBody).expect(201);
  return opened.body.id as string;
}

/** Logs and assesses one of the requests above; returns its id. */
export async function assessedRequest(t: TestServer, projectId: string, which: RequestName): Promise<string> {
  const logged = await t.api.post(`/api/projects/${projectId}/change-requests`, requests[which].log).expect(201);
  await t.api
    .post(`/api/projects/${projectId}/change-requests/${logged.body.id}/assessment`, requests[which].assessment)
    .expect(200);
  return logged.body.id as string;
}

export async function draftOrder(
  t: TestServer,
  projectId: string,
  changeRequestIds: string[],
  options: { expiresInDays?: number; terms?: string } = {},
): Promise<{ id: string; number: string; amount: number }> {
  const drafted = await t.api
    .post(`/api/projects/${projectId}/change-orders`, { changeRequestIds, signer, ...options })
    .expect(201);
  return { id: drafted.body.id, number: drafted.body.number, amount: drafted.body.amount };
}

export interface IssuedOrder {
  signingUrl: string;
  documentSha256: string;
  expiresAt: string;
  /** The signing page's path, /sign/<token>, to use against the test server. */
  signPath: string;
  token: string;
}

export async function issueOrder(t: TestServer, projectId: string, changeOrderId: string): Promise<IssuedOrder> {
  const issued = await t.api.post(`/api/projects/${projectId}/change-orders/${changeOrderId}/issue`).expect(200);
  const { signingUrl, documentSha256, expiresAt } = issued.body as {
    signingUrl: string;
    documentSha256: string;
    expiresAt: string;
  };
  const signPath = new URL(signingUrl).pathname;
  return { signingUrl, documentSha256, expiresAt, signPath, token: signPath.slice('/sign/'.length) };
}

/** The whole scenario up to an issued order holding all four requests. */
export async function issuedScenario(t: TestServer, name?: string) {
  const projectId = await openProject(t, name);
  const requestIds = {
    vpn: await assessedRequest(t, projectId, 'vpn'),
    docs: await assessedRequest(t, projectId, 'docs'),
    wifi: await assessedRequest(t, projectId, 'wifi'),
    printers: await assessedRequest(t, projectId, 'printers'),
  };
  const order = await draftOrder(t, projectId, [requestIds.vpn, requestIds.docs, requestIds.wifi, requestIds.printers]);
  const issued = await issueOrder(t, projectId, order.id);
  return { projectId, requestIds, order, issued };
}

/** What a signer does before signing: opens the page (the document is then served to the link) and consents. */
export async function readAndConsent(http: App, signPath: string): Promise<void> {
  await request(http).get(signPath).expect(200);
  await request(http).post(`${signPath}/consent`).send({}).expect(200);
}

/** The whole ceremony through the link: read, consent, sign with a typed name. Answers the signature's response. */
export async function signAsClient(
  http: App,
  link: { signPath: string; documentSha256: string },
  name: string = signer.name,
): Promise<request.Response> {
  await readAndConsent(http, link.signPath);
  return request(http).post(link.signPath).send({ name, documentSha256: link.documentSha256 }).expect(200);
}

/** A token of the right shape that no order was issued with. */
export function guessedToken(): string {
  return randomBytes(32).toString('base64url').slice(0, 43);
}
