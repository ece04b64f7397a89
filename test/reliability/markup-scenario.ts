import { IssuedOrder, issueOrder } from '../change-orders/change-order-scenario';
import type { TestServer } from '../support/test-server';

/**
 * Text fields that look like HTML, as a careless copy-paste or a hostile client would send
 * them. Pages must show them as text and PDFs must print them literally.
 */
export const markup = {
  mspName: 'Acme <b>Managed</b> IT & "Partners"',
  project: '<script>alert("project")</script> Office move',
  client: '"><img src=x onerror=alert(1)> Contoso',
  role: '<i>engineer</i>',
  request: "<script>alert('request')</script> Extra switch",
  line: '</td><script>alert(2)</script> Core switch',
  signer: '<img src=x onerror=alert(3)> Morgan',
  terms: '<a href="javascript:alert(4)">Pay</a> within 30 days',
} as const;

/** Pieces of the above that would run or change the page if they reached it as markup. */
export const ACTIVE_MARKUP = [
  '<script>alert(',
  '<img src=x',
  '<i>engineer',
  '<b>Managed',
  '<a href="javascript',
  '</td><script>',
];

export interface MarkupOrder {
  projectId: string;
  changeOrderId: string;
  issued: IssuedOrder;
}

/** A project, request and issued order whose every text field carries markup. */
export async function markupOrder(t: TestServer): Promise<MarkupOrder> {
  const projectId = (
    await t.api
      .post('/api/projects', {
        name: markup.project,
        client: { name: markup.client, email: 'it@contoso.example' },
        currency: 'USD',
        rates: { [markup.role]: 15000 },
        startDate: '2026-03-02',
      })
      .expect(201)
  ).body.id as string;
  await t.api
    .post(`/api/projects/${projectId}/baseline`, {
      items: [{ ref: 'NET-1', title: 'Firewall <b>and</b> VPN', role: markup.role, hours: 4 }],
      milestones: [{ ref: 'M1', name: 'Live <em>soon</em>', due: '2026-03-20' }],
    })
    .expect(201);
  const requestId = (
    await t.api
      .post(`/api/projects/${projectId}/change-requests`, {
        title: markup.request,
        description: '<p onmouseover="alert(5)">hover</p>',
        source: 'email',
        requestedBy: { name: markup.client, email: 'dana@contoso.example' },
      })
      .expect(201)
  ).body.id as string;
  await t.api
    .post(`/api/projects/${projectId}/change-requests/${requestId}/assessment`, {
      lines: [{ op: 'add', ref: 'SW-2', title: markup.line, role: markup.role, hours: 2 }],
    })
    .expect(200);
  const changeOrderId = (
    await t.api
      .post(`/api/projects/${projectId}/change-orders`, {
        changeRequestIds: [requestId],
        signer: { name: markup.signer, email: 'morgan@contoso.example' },
        terms: markup.terms,
      })
      .expect(201)
  ).body.id as string;
  return { projectId, changeOrderId, issued: await issueOrder(t, projectId, changeOrderId) };
}
