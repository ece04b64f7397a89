import request from 'supertest';
import { ChangeOrderDocumentModel } from '@scope-ledger/documents';
import { DocumentStore } from '../../apps/server/src/change-orders/document-store';
import { expectProblem, expectRefusedWithoutAppend } from '../api/api-helpers';
import { csrfOf, signedInAgent } from '../support/staff-session';
import { startTestServer, TestServer } from '../support/test-server';
import { signAsClient } from './change-order-scenario';
import { reviseOrder, staleOrderAfterCo2Signed, staleOrderFigures } from './stale-order-scenario';

const STALE =
  'CO-1 was prepared before CO-2 was signed, so its totals and dates are out of date. ' +
  'The sender must send a revised order; nothing was signed.';

/**
 * What a client signs is true when signed: CO-1 and CO-2 issued while nothing was signed, CO-2
 * signed first; CO-1 as issued is refused, the PM sends CO-1 R1, the old link is gone, the new
 * one signs, and the signed order states the contract and dates as they stood.
 */
describe('an order whose figures changed since it was issued', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  const orderOf = async (projectId: string, orderId: string) =>
    (await t.api.get(`/api/projects/${projectId}/change-orders/${orderId}`).expect(200)).body;
  const staffAgent = async () => (await signedInAgent(t, 'pm')).agent;
  const modelOf = async (sha256: string) =>
    (await t.server.app.get(DocumentStore).get(sha256))!.model as ChangeOrderDocumentModel;

  it('is refused with 409 and appends nothing until revised; the revision signs with true figures', async () => {
    const { projectId, co1, co1Link } = await staleOrderAfterCo2Signed(t);

    // As issued, CO-1 stated a contract and dates that no longer hold.
    const asIssued = await modelOf(co1Link.documentSha256);
    expect(asIssued.price).toMatchObject({ previouslyApproved: 0, newContractTotal: 1_235_365 });

    await request(t.http).get(co1Link.signPath).expect(200);
    // Neither consent nor a signature is taken for figures that no longer hold.
    const noConsent = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => request(t.http).post(`${co1Link.signPath}/consent`).send({}),
      409,
    );
    expect(noConsent.body.detail).toBe(STALE);
    const refused = await expectRefusedWithoutAppend(
      t,
      projectId,
      () =>
        request(t.http).post(co1Link.signPath).send({ name: 'Morgan Ellery', documentSha256: co1Link.documentSha256 }),
      409,
    );
    expect(refused.body.detail).toBe(STALE);
    // The client's page says so before they try: no consent or signature form, only declining.
    const stalePage = await request(t.http).get(co1Link.signPath).expect(200);
    expect(stalePage.text).toContain(`<p class="error" id="out-of-date" role="alert">${STALE}</p>`);
    expect(stalePage.text).not.toContain('id="consent-button"');
    expect(stalePage.text).not.toContain('id="sign-button"');
    expect(stalePage.text).toContain('id="decline-button"');
    expect(await orderOf(projectId, co1)).toMatchObject({ status: 'issued', number: 'CO-1', needsRevision: STALE });

    const { link, body } = await reviseOrder(t, projectId, co1);
    expect(body).toMatchObject({
      number: 'CO-1 R1',
      documentSha256: link.documentSha256,
      events: ['ChangeOrderRevised'],
    });
    expect(link.signingUrl).not.toBe(co1Link.signingUrl);
    expect(link.documentSha256).not.toBe(co1Link.documentSha256);
    const revised = await orderOf(projectId, co1);
    expect(revised).toMatchObject({ number: 'CO-1 R1', revision: 1, needsRevision: null });
    expect(revised.issues.map((i: { number: string; documentSha256: string }) => [i.number, i.documentSha256])).toEqual(
      [
        ['CO-1', co1Link.documentSha256],
        ['CO-1 R1', link.documentSha256],
      ],
    );

    // The old link is gone, on the page, the PDF and the signing route alike.
    const sentOn = new Date().toISOString().slice(0, 10);
    const gone = `A newer revision of CO-1 (CO-1 R1) was sent on ${sentOn}; use the link in that email.`;
    const page = await request(t.http).get(co1Link.signPath).expect(410);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain(gone);
    const pdf = await request(t.http).get(`${co1Link.signPath}/document.pdf`);
    expectProblem(pdf, 410);
    expect(pdf.body.detail).toBe(gone);
    const oldSign = await request(t.http)
      .post(co1Link.signPath)
      .send({ name: 'Morgan Ellery', documentSha256: co1Link.documentSha256 });
    expectProblem(oldSign, 410);
    expect(oldSign.body.detail).toBe(gone);

    // Both documents stay available; the client is emailed the new link.
    const issuedCopy = await t.api.get(`/api/projects/${projectId}/change-orders/${co1}/pdf?copy=issued`).expect(200);
    expect(issuedCopy.headers['x-document-sha256']).toBe(link.documentSha256);
    expect(await t.server.app.get(DocumentStore).get(co1Link.documentSha256)).toBeDefined();
    const outbox = await t.api.get(`/api/outbox?changeOrderId=${co1}`).expect(200);
    const revisedEmail = (outbox.body as { subject: string; text: string }[]).find((m) =>
      m.subject.includes('Revised'),
    );
    expect(revisedEmail?.subject).toBe('Revised change order CO-1 R1 for Branch office refresh: please sign this one');
    expect(revisedEmail?.text).toContain(link.signingUrl);

    // The new link signs; the signed order states the contract and the dates as they stood.
    const signed = await signAsClient(t.http, link);
    expect(signed.body).toMatchObject({ status: 'signed', changeOrder: 'CO-1 R1' });
    const model = await modelOf(link.documentSha256);
    expect(model.order.number).toBe('CO-1 R1');
    expect(model.price).toEqual({
      originalContract: staleOrderFigures.originalContract,
      previouslyApproved: staleOrderFigures.co2,
      contractBefore: staleOrderFigures.contractBeforeCo1,
      thisOrder: staleOrderFigures.co1,
      newContractTotal: staleOrderFigures.contractAfterBoth,
      absorbed: 0,
    });
    expect(model.schedule).toEqual([
      {
        milestone: 'M3',
        name: 'Handover',
        baselineDue: '2027-01-08',
        dueBefore: '2027-01-12',
        newDue: '2027-01-18',
        workingDays: 4,
      },
    ]);
    const budget = await t.api.get(`/api/projects/${projectId}/budget`).expect(200);
    expect(budget.body.current).toBe(staleOrderFigures.contractAfterBoth);
  });

  it('shows the revision to finance and in the audit trail', async () => {
    const { projectId, co1, co1Link } = await staleOrderAfterCo2Signed(t);
    await request(t.http).get(co1Link.signPath).expect(200);
    const { link } = await reviseOrder(t, projectId, co1);
    await signAsClient(t.http, link);

    const finance = await t.api.get('/api/finance/change-orders').expect(200);
    const numbers = (finance.body.changeOrders as { projectId: string; number: string }[])
      .filter((row) => row.projectId === projectId)
      .map((row) => row.number);
    expect(numbers).toEqual(['CO-2', 'CO-1 R1']);

    const events = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as {
      type: string;
      data: Record<string, unknown>;
    }[];
    expect(events.filter((e) => e.type === 'ChangeOrderRevised').map((e) => e.data.revision)).toEqual([1]);
    const audit = await (await staffAgent()).get(`/app/projects/${projectId}/audit`).expect(200);
    expect(audit.text).toContain('CO-1 R1 replaces CO-1');
    // Each event names the order as it was then: the first link's steps are CO-1's, the new link's CO-1 R1's.
    expect(audit.text).toContain('CO-1 opened by the signer');
    expect(audit.text).toContain('CO-1 R1: the signer consented');
    expect(audit.text).toContain('CO-1 R1 opened by the signer');
    expect(audit.text).toContain('CO-1 R1 signed by');
  });

  it('is shown to staff on the project page as needing a revision, with a button that sends it', async () => {
    const { projectId, co1 } = await staleOrderAfterCo2Signed(t);
    const agent = await staffAgent();
    const page = await agent.get(`/app/projects/${projectId}`).expect(200);
    expect(page.text).toContain(`Needs a revision: ${STALE}`);
    expect(page.text).toContain(`action="/app/projects/${projectId}/change-orders/${co1}/revise"`);

    const sent = await agent
      .post(`/app/projects/${projectId}/change-orders/${co1}/revise`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    const after = await agent.get(sent.headers.location).expect(200);
    expect(after.text).toContain('CO-1 R1 sent to the client with a new signing link');
    expect(after.text).not.toContain('Needs a revision');
    expect((await orderOf(projectId, co1)).number).toBe('CO-1 R1');
  });

  it('is refused for an order that is not awaiting signature', async () => {
    const { projectId, co2 } = await staleOrderAfterCo2Signed(t);
    const refused = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => t.api.post(`/api/projects/${projectId}/change-orders/${co2}/revise`),
      409,
    );
    expect(refused.body.detail).toBe('CO-2 is signed; only an order awaiting signature can be revised');
  });
});
