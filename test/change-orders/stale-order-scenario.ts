import type { TestServer } from '../support/test-server';
import { IssuedOrder, issueOrder, signAsClient, signer } from './change-order-scenario';

/**
 * Two orders issued while nothing was signed, then signed in the other order: the case a stale order
 * must be revised for. Rates in cents per hour.
 *
 * Baseline USD 11,365.06:
 *   SI-1 engineer 10 h x 150.00 + fixed 7,865.06 = 9,365.06
 *   SI-2 engineer  4 h x 150.00 + fixed 1,400.00 = 2,000.00
 * Milestones M1 2026-11-13, M2 2026-12-02 (Wed), M3 2027-01-08 (Fri); holidays 2026-12-25, 2027-01-01.
 *   CO-1 adds SI-3: 1 h x 150.00 + fixed 838.59 = +988.59; M3 +4 working days (01-08 -> 01-14).
 *   CO-2 removes SI-2: -2,000.00; M2 +2 (12-02 -> 12-04), carrying M3 (01-08 -> 01-12).
 * CO-2 is signed first: the contract stands at 9,365.06 and M3 at 01-12. CO-1 as issued says
 * "previously signed 0.00, new total 12,353.65, M3 01-08 -> 01-14"; as revised (CO-1 R1):
 * previously signed -2,000.00, before 9,365.06, new total 10,353.65, M3 01-12 -> 01-18 (+4).
 */
export const staleOrderFigures = {
  originalContract: 1_136_506,
  co1: 98_859,
  co2: -200_000,
  contractBeforeCo1: 936_506,
  contractAfterBoth: 1_035_365,
};

const requester = { name: 'Jo Okafor', email: 'jo.okafor@harbour-freight.example' };

export async function staleOrderProject(t: TestServer) {
  const opened = await t.api
    .post('/api/projects', {
      name: 'Branch office refresh',
      client: { name: 'Harbour Freight Logistics', email: 'it@harbour-freight.example' },
      currency: 'USD',
      rates: { engineer: 15_000 },
      startDate: '2026-10-01',
      holidays: ['2026-12-25', '2027-01-01'],
    })
    .expect(201);
  const projectId = opened.body.id as string;
  await t.api
    .post(`/api/projects/${projectId}/baseline`, {
      items: [
        { ref: 'SI-1', title: 'Network refresh', role: 'engineer', hours: 10, fixedCost: 786_506 },
        { ref: 'SI-2', title: 'Wireless survey', role: 'engineer', hours: 4, fixedCost: 140_000 },
      ],
      milestones: [
        { ref: 'M1', name: 'Design agreed', due: '2026-11-13' },
        { ref: 'M2', name: 'Network live', due: '2026-12-02' },
        { ref: 'M3', name: 'Handover', due: '2027-01-08' },
      ],
    })
    .expect(201);
  const guestVlan = await assessed(t, projectId, 'Guest VLAN', {
    lines: [{ op: 'add', ref: 'SI-3', title: 'Guest VLAN', role: 'engineer', hours: 1, fixedCost: 83_859 }],
    schedule: [{ milestone: 'M3', workingDays: 4 }],
  });
  const noSurvey = await assessed(t, projectId, 'Drop the wireless survey', {
    lines: [{ op: 'remove', ref: 'SI-2' }],
    schedule: [{ milestone: 'M2', workingDays: 2 }],
  });
  const co1 = await draft(t, projectId, guestVlan);
  const co2 = await draft(t, projectId, noSurvey);
  const co1Link = await issueOrder(t, projectId, co1);
  const co2Link = await issueOrder(t, projectId, co2);
  return { projectId, co1, co2, co1Link, co2Link };
}

/** Both issued, then the client signs CO-2 first. */
export async function staleOrderAfterCo2Signed(t: TestServer) {
  const project = await staleOrderProject(t);
  await signAsClient(t.http, project.co2Link);
  return project;
}

/** The PM revises an order; answers the new link as issueOrder does. */
export async function reviseOrder(t: TestServer, projectId: string, changeOrderId: string) {
  const revised = await t.api.post(`/api/projects/${projectId}/change-orders/${changeOrderId}/revise`).expect(200);
  const { signingUrl, documentSha256, expiresAt } = revised.body as IssuedOrder;
  const signPath = new URL(signingUrl).pathname;
  const link: IssuedOrder = { signingUrl, documentSha256, expiresAt, signPath, token: signPath.slice('/sign/'.length) };
  return { link, body: revised.body as Record<string, unknown> };
}

async function assessed(t: TestServer, projectId: string, title: string, assessment: Record<string, unknown>) {
  const logged = await t.api
    .post(`/api/projects/${projectId}/change-requests`, {
      title,
      description: 'Asked for by email.',
      source: 'email',
      requestedBy: requester,
    })
    .expect(201);
  await t.api.post(`/api/projects/${projectId}/change-requests/${logged.body.id}/assessment`, assessment).expect(200);
  return logged.body.id as string;
}

async function draft(t: TestServer, projectId: string, changeRequestId: string): Promise<string> {
  const drafted = await t.api
    .post(`/api/projects/${projectId}/change-orders`, { changeRequestIds: [changeRequestId], signer })
    .expect(201);
  return drafted.body.id as string;
}
