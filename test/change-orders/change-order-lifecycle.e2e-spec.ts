import { createHash } from 'node:crypto';
import request from 'supertest';
import { ChangeOrderService } from '../../apps/server/src/change-orders/change-order.service';
import { CONSENT_VERSION } from '../../apps/server/src/change-orders/consent';
import { expectProblem, expectRefusedWithoutAppend } from '../api/api-helpers';
import { startTestServer, TestServer } from '../support/test-server';
import {
  assessedRequest,
  draftOrder,
  figures,
  guessedToken,
  issuedScenario,
  issueOrder,
  openProject,
  readAndConsent,
  signer,
} from './change-order-scenario';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const SIGNER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) ScopeLedgerTest/1.0';

/**
 * The change-order lifecycle through the HTTP API and the signing link, on one server:
 * draft, issue, view, sign or decline, void, expire; what each does to the figures a PM and
 * finance read, and what a signing link answers in each state.
 */
describe('change order lifecycle', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  const signerRequest = () => request(t.http);
  const sign = (path: string, body: Record<string, unknown>) =>
    signerRequest().post(path).set('User-Agent', SIGNER_AGENT).send(body);
  const orderOf = async (projectId: string, orderId: string) =>
    (await t.api.get(`/api/projects/${projectId}/change-orders/${orderId}`).expect(200)).body;
  const requestOf = async (projectId: string, crId: string) =>
    (await t.api.get(`/api/projects/${projectId}/change-requests/${crId}`).expect(200)).body;
  const eventsOf = async (projectId: string) =>
    (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as {
      type: string;
      ip?: string;
      userAgent?: string;
      actor: { kind: string };
      data: Record<string, unknown>;
    }[];
  const expireAll = () =>
    t.server.app.get(ChangeOrderService).expireOverdue(new Date(Date.now() + 3 * 86_400_000).toISOString());

  describe('drafting', () => {
    it('numbers orders CO-1, CO-2 within a project and keeps a request on at most one live order', async () => {
      const projectId = await openProject(t, 'Numbering');
      const vpn = await assessedRequest(t, projectId, 'vpn');
      const docs = await assessedRequest(t, projectId, 'docs');

      const first = await draftOrder(t, projectId, [vpn]);
      expect(first).toMatchObject({ number: 'CO-1', amount: figures.vpn2 });

      const refused = await expectRefusedWithoutAppend(
        t,
        projectId,
        () => t.api.post(`/api/projects/${projectId}/change-orders`, { changeRequestIds: [vpn, docs], signer }),
        409,
      );
      expect(refused.body.detail).toBe('CR-1 already sits on CO-1 (draft)');

      const second = await draftOrder(t, projectId, [docs]);
      expect(second).toMatchObject({ number: 'CO-2', amount: figures.doc1Delta });
      expect(await requestOf(projectId, vpn)).toMatchObject({ status: 'ordered', changeOrder: 'CO-1' });
    });

    it('frees the requests of declined, voided and expired orders for a new order', async () => {
      const projectId = await openProject(t, 'Freed requests');
      const vpn = await assessedRequest(t, projectId, 'vpn');

      // Declined by the client through the link.
      const co1 = await draftOrder(t, projectId, [vpn]);
      const link1 = await issueOrder(t, projectId, co1.id);
      await sign(`${link1.signPath}/decline`, { reason: 'We will do the VPN ourselves' }).expect(200);
      expect(await orderOf(projectId, co1.id)).toMatchObject({
        status: 'declined',
        closedReason: 'We will do the VPN ourselves',
      });
      expect(await requestOf(projectId, vpn)).toMatchObject({ status: 'assessed', changeOrder: null });

      // Voided by the PM while issued.
      const co2 = await draftOrder(t, projectId, [vpn]);
      await issueOrder(t, projectId, co2.id);
      await t.api
        .post(`/api/projects/${projectId}/change-orders/${co2.id}/void`, { reason: 'Repricing after the site visit' })
        .expect(200);
      expect(await requestOf(projectId, vpn)).toMatchObject({ status: 'assessed', changeOrder: null });

      // Expired unsigned.
      const co3 = await draftOrder(t, projectId, [vpn], { expiresInDays: 1 });
      await issueOrder(t, projectId, co3.id);
      expect(await expireAll()).toBeGreaterThanOrEqual(1);
      expect(await orderOf(projectId, co3.id)).toMatchObject({ status: 'expired' });
      expect(await requestOf(projectId, vpn)).toMatchObject({ status: 'assessed', changeOrder: null });

      const co4 = await draftOrder(t, projectId, [vpn]);
      expect(co4).toMatchObject({ number: 'CO-4', amount: figures.vpn2 });

      // None of the closed orders moved the figures.
      const budget = (await t.api.get(`/api/projects/${projectId}/budget`).expect(200)).body;
      expect(budget).toMatchObject({
        baseline: figures.baselineTotal,
        approvedChanges: 0,
        current: figures.baselineTotal,
        pendingExposure: 0,
      });
    });

    it('puts a no-charge request on an order at price 0 and counts its cost as absorbed once signed', async () => {
      const projectId = await openProject(t, 'Goodwill');
      const printers = await assessedRequest(t, projectId, 'printers');
      const order = await draftOrder(t, projectId, [printers]);
      const view = await orderOf(projectId, order.id);
      expect(view).toMatchObject({ amount: 0, absorbed: figures.prn1Absorbed });
      expect(view.lines).toEqual([
        expect.objectContaining({ ref: 'PRN-1', costDelta: figures.prn1Absorbed, amount: 0, noCharge: true }),
      ]);

      const link = await issueOrder(t, projectId, order.id);
      expect((await t.api.get(`/api/projects/${projectId}/budget`).expect(200)).body).toMatchObject({
        pendingExposure: 0,
        absorbed: 0,
      });
      await readAndConsent(t.http, link.signPath);
      await sign(link.signPath, { name: signer.name, documentSha256: link.documentSha256 }).expect(200);

      expect((await t.api.get(`/api/projects/${projectId}/budget`).expect(200)).body).toMatchObject({
        baseline: figures.baselineTotal,
        approvedChanges: 0,
        current: figures.baselineTotal,
        absorbed: figures.prn1Absorbed,
        currentCost: figures.baselineTotal + figures.prn1Absorbed,
      });
    });
  });

  describe('issuing and signing', () => {
    it(
      'issues a PDF whose SHA-256 is the one answered, ' +
        'and signing admits the work into scope, budget, timeline and board',
      async () => {
        const before = Date.now();
        const { projectId, order, issued } = await issuedScenario(t);

        expect(order).toMatchObject({ number: 'CO-1', amount: figures.orderAmount });
        expect(issued.signingUrl).toMatch(/\/sign\/[A-Za-z0-9_-]{43}$/);
        expect(issued.documentSha256).toMatch(/^[0-9a-f]{64}$/);
        // Fourteen days to sign: until the end of the 14th day after today (UTC: the project has no time zone).
        const today = new Date(before);
        const endOfDay14 = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 15);
        expect(issued.expiresAt).toBe(new Date(endOfDay14).toISOString());

        const pdf = await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}/pdf`).expect(200);
        expect(pdf.headers['content-type']).toBe('application/pdf');
        expect(sha256(pdf.body as Buffer)).toBe(issued.documentSha256);
        expect(pdf.headers['x-document-sha256']).toBe(issued.documentSha256);
        const signerCopy = await signerRequest().get(`${issued.signPath}/document.pdf`).expect(200);
        expect(sha256(signerCopy.body as Buffer)).toBe(issued.documentSha256);

        // Issued, not signed: pending only.
        const pendingBudget = (await t.api.get(`/api/projects/${projectId}/budget`).expect(200)).body;
        expect(pendingBudget).toMatchObject({
          approvedChanges: 0,
          current: figures.baselineTotal,
          pendingExposure: figures.orderAmount,
          absorbed: 0,
        });
        const pendingScope = (await t.api.get(`/api/projects/${projectId}/scope`).expect(200)).body;
        expect(pendingScope.items.find((i: { ref: string }) => i.ref === 'VPN-2')).toMatchObject({
          state: 'pending',
          pending: { changeOrder: 'CO-1', op: 'add' },
        });
        const pendingTimeline = (await t.api.get(`/api/projects/${projectId}/timeline`).expect(200)).body;
        expect(pendingTimeline.milestones.map((m: { currentDue: string }) => m.currentDue)).toEqual([
          '2026-03-20',
          '2026-04-01',
          '2026-04-15',
        ]);

        await readAndConsent(t.http, issued.signPath);
        const signed = await sign(issued.signPath, {
          name: `  ${signer.name} `,
          documentSha256: issued.documentSha256,
        }).expect(200);
        expect(signed.body).toMatchObject({
          status: 'signed',
          changeOrder: 'CO-1',
          download: `${issued.signPath}/document.pdf`,
        });
        expect(signed.body.signedDocumentSha256).toMatch(/^[0-9a-f]{64}$/);
        expect(signed.body.signedDocumentSha256).not.toBe(issued.documentSha256);

        const scope = (await t.api.get(`/api/projects/${projectId}/scope`).expect(200)).body;
        const item = (ref: string) => scope.items.find((i: { ref: string }) => i.ref === ref);
        expect(item('NET-1')).toMatchObject({ state: 'baseline', hours: 16.25, cost: 333650, changedBy: [] });
        expect(item('DOC-1')).toMatchObject({
          state: 'modified',
          hours: 5.25,
          cost: figures.doc1After,
          changedBy: ['CO-1'],
          baseline: { hours: 3.5, cost: 73500 },
        });
        expect(item('WIFI-1')).toMatchObject({ state: 'removed', hours: 0, cost: 0, changedBy: ['CO-1'] });
        expect(item('VPN-2')).toMatchObject({
          state: 'added',
          hours: 7.5,
          fixedCost: 12500,
          cost: figures.vpn2,
          changedBy: ['CO-1'],
        });
        expect(item('PRN-1')).toMatchObject({ state: 'added', hours: 1.5, cost: figures.prn1Absorbed });
        expect(scope.items.some((i: { pending?: unknown }) => i.pending)).toBe(false);
        expect(scope.totals).toMatchObject({
          baselineHours: 26.5,
          currentHours: 30.5,
          baselineCost: figures.baselineTotal,
          currentCost: 583225,
          pendingCostDelta: 0,
        });

        const budget = (await t.api.get(`/api/projects/${projectId}/budget`).expect(200)).body;
        expect(budget).toMatchObject({
          baseline: figures.baselineTotal,
          approvedChanges: figures.orderAmount,
          current: figures.contractAfter,
          pendingExposure: 0,
          absorbed: figures.prn1Absorbed,
          currentCost: 583225,
        });

        const timeline = (await t.api.get(`/api/projects/${projectId}/timeline`).expect(200)).body;
        expect(timeline.milestones).toEqual([
          expect.objectContaining({
            ref: 'M1',
            baselineDue: '2026-03-20',
            currentDue: '2026-03-24',
            slipWorkingDays: 2,
          }),
          expect.objectContaining({
            ref: 'M2',
            baselineDue: '2026-04-01',
            currentDue: '2026-04-07',
            slipWorkingDays: 3,
          }),
          expect.objectContaining({
            ref: 'M3',
            baselineDue: '2026-04-15',
            currentDue: '2026-04-20',
            slipWorkingDays: 3,
          }),
        ]);
        expect(timeline).toMatchObject({ baselineEnd: '2026-04-15', forecastEnd: '2026-04-20', slipWorkingDays: 3 });

        const summary = (await t.api.get(`/api/projects/${projectId}`).expect(200)).body;
        expect(summary).toMatchObject({
          current: { total: figures.contractAfter },
          forecastEnd: '2026-04-20',
          changeOrders: { byStatus: { signed: 1 } },
        });

        const orderView = await orderOf(projectId, order.id);
        expect(orderView).toMatchObject({ status: 'signed', signedBy: { name: signer.name, email: signer.email } });
        const signedPdf = await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}/pdf`).expect(200);
        expect(sha256(signedPdf.body as Buffer)).toBe(signed.body.signedDocumentSha256);
      },
    );

    it('keeps the PDF as issued downloadable after signing with copy=issued, for staff and the signer', async () => {
      const { projectId, order, issued } = await issuedScenario(t, 'Issued copy');
      const staffPdf = (query = '') => t.api.get(`/api/projects/${projectId}/change-orders/${order.id}/pdf${query}`);
      const signerPdf = (query = '') => signerRequest().get(`${issued.signPath}/document.pdf${query}`);
      expect(sha256((await staffPdf('?copy=issued').expect(200)).body as Buffer)).toBe(issued.documentSha256);

      await readAndConsent(t.http, issued.signPath);
      const signed = await sign(issued.signPath, { name: signer.name, documentSha256: issued.documentSha256 }).expect(
        200,
      );
      const { documentSha256 } = await orderOf(projectId, order.id);
      expect(documentSha256).toBe(issued.documentSha256);

      for (const pdfOf of [staffPdf, signerPdf]) {
        const asIssued = await pdfOf('?copy=issued').expect(200);
        expect(asIssued.headers['content-type']).toBe('application/pdf');
        expect(sha256(asIssued.body as Buffer)).toBe(documentSha256);
        expect(asIssued.headers['x-document-sha256']).toBe(documentSha256);
        expect(asIssued.headers['content-disposition']).not.toContain('-signed');

        const newest = await pdfOf().expect(200);
        expect(sha256(newest.body as Buffer)).toBe(signed.body.signedDocumentSha256);
        expect(newest.headers['content-disposition']).toContain('-signed');
      }
    });

    it('refuses any other copy with a 400 naming the copy parameter', async () => {
      const { projectId, order, issued } = await issuedScenario(t, 'Unknown copy');
      for (const query of ['?copy=signed', '?copy=ISSUED', '?copy=', '?copy=issued&copy=issued']) {
        const staff = await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}/pdf${query}`);
        expectProblem(staff, 400, 'copy');
        expect(staff.body.detail).toContain('copy must be "issued"');
        expectProblem(await signerRequest().get(`${issued.signPath}/document.pdf${query}`), 400, 'copy');
      }
    });

    it('documents the copy parameter of both PDF routes in the OpenAPI document', async () => {
      const openApi = (await request(t.http).get('/api/docs-json').expect(200)).body as {
        paths: Record<string, { get: { parameters: unknown[] } }>;
      };
      for (const path of ['/api/projects/{id}/change-orders/{coId}/pdf', '/sign/{token}/document.pdf']) {
        expect(openApi.paths[path].get.parameters).toContainEqual(
          expect.objectContaining({
            name: 'copy',
            in: 'query',
            required: false,
            schema: expect.objectContaining({ enum: ['issued'] }),
          }),
        );
      }
    });

    it('refuses to sign before the document was served and before consent, appending nothing', async () => {
      const { projectId, issued } = await issuedScenario(t, 'Consent');
      const body = { name: signer.name, documentSha256: issued.documentSha256 };
      const unread = await expectRefusedWithoutAppend(t, projectId, () => sign(issued.signPath, body), 409);
      expect(unread.body.detail).toBe('Open the change order before signing it');

      await signerRequest().get(issued.signPath).expect(200);
      const unconsented = await expectRefusedWithoutAppend(t, projectId, () => sign(issued.signPath, body), 409);
      expect(unconsented.body.detail).toBe('Give your consent to sign electronically first');
      // Consent is its own step: it is not a field of the signature.
      const inBody = () => sign(issued.signPath, { ...body, consent: true });
      await expectRefusedWithoutAppend(t, projectId, inBody, 400, 'consent');
    });

    it('refuses to sign a document other than the one issued with 409', async () => {
      const { projectId, order, issued } = await issuedScenario(t, 'Wrong document');
      const other = sha256(Buffer.from('another document'));
      await readAndConsent(t.http, issued.signPath);
      const refused = await expectRefusedWithoutAppend(
        t,
        projectId,
        () => sign(issued.signPath, { name: signer.name, documentSha256: other }),
        409,
      );
      expect(refused.body.detail).toMatch(/SHA-256/);
      expect(await orderOf(projectId, order.id)).toMatchObject({ status: 'issued' });
    });

    it("records the signer's IP address and user agent with the signature", async () => {
      const { projectId, order, issued } = await issuedScenario(t, 'Evidence');
      await readAndConsent(t.http, issued.signPath);
      await sign(issued.signPath, { name: signer.name, documentSha256: issued.documentSha256 }).expect(200);
      const signedEvent = (await eventsOf(projectId)).find((e) => e.type === 'ChangeOrderSigned')!;
      expect(signedEvent.actor.kind).toBe('signer');
      expect(signedEvent.ip).toMatch(/127\.0\.0\.1|::1/);
      expect(signedEvent.userAgent).toBe(SIGNER_AGENT);
      expect(signedEvent.data).toMatchObject({
        changeOrderId: order.id,
        documentSha256: issued.documentSha256,
        signature: 'typed',
        ip: signedEvent.ip,
        userAgent: SIGNER_AGENT,
        signer,
      });
      expect(signedEvent.data.consentVersion).toEqual(expect.any(String));
    });
  });

  describe('the signing link in each state', () => {
    it('turns read-only once signed, and a second signature is refused with 409', async () => {
      const { projectId, issued } = await issuedScenario(t, 'Read-only');
      const body = { name: signer.name, documentSha256: issued.documentSha256 };
      await readAndConsent(t.http, issued.signPath);
      await sign(issued.signPath, body).expect(200);

      const page = await signerRequest().get(issued.signPath).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain(`Signed by ${signer.name}`);
      expect(page.text).not.toContain('id="sign-button"');
      expect(page.text).not.toContain('id="consent-button"');

      const again = await expectRefusedWithoutAppend(t, projectId, () => sign(issued.signPath, body), 409);
      expect(again.body.detail).toBe('CO-1 is already signed');
      await expectRefusedWithoutAppend(
        t,
        projectId,
        () => sign(`${issued.signPath}/decline`, { reason: 'Changed my mind' }),
        409,
      );
    });

    it("answers a voided order's link with a 410 page, and signing it with a 410 problem", async () => {
      const { projectId, order, issued } = await issuedScenario(t, 'Voided link');
      await t.api
        .post(`/api/projects/${projectId}/change-orders/${order.id}/void`, { reason: 'Superseded by a revised order' })
        .expect(200);

      const page = await signerRequest().get(issued.signPath).expect(410);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('no longer open');
      expect(page.text).not.toContain('id="sign-button"');
      await signerRequest().get(`${issued.signPath}/document.pdf`).expect(410);
      const refused = await expectRefusedWithoutAppend(
        t,
        projectId,
        () => sign(issued.signPath, { name: signer.name, documentSha256: issued.documentSha256 }),
        410,
      );
      expect(refused.body.detail).toBe('CO-1 was voided');
    });

    it("answers an expired order's link with 410", async () => {
      const projectId = await openProject(t, 'Expired link');
      const vpn = await assessedRequest(t, projectId, 'vpn');
      const order = await draftOrder(t, projectId, [vpn], { expiresInDays: 1 });
      const issued = await issueOrder(t, projectId, order.id);
      // One day to sign: until the end of tomorrow.
      expect(Date.parse(issued.expiresAt) - Date.now()).toBeLessThanOrEqual(2 * 86_400_000);

      await expireAll();
      expect(await orderOf(projectId, order.id)).toMatchObject({ status: 'expired', closedAt: issued.expiresAt });
      const page = await signerRequest().get(issued.signPath).expect(410);
      expect(page.text).toContain('This change order has expired');
      expect(page.text).toContain(`CO-1 could be signed until ${issued.expiresAt.slice(0, 10)}`);
      await expectRefusedWithoutAppend(
        t,
        projectId,
        () => sign(issued.signPath, { name: signer.name, documentSha256: issued.documentSha256 }),
        410,
      );
      await expectRefusedWithoutAppend(
        t,
        projectId,
        () => sign(`${issued.signPath}/decline`, { reason: 'Too late' }),
        410,
      );
    });

    it('answers a guessed or malformed link with 404, never 500', async () => {
      await issuedScenario(t, 'Guessing');
      const guessed = `/sign/${guessedToken()}`;
      const page = await signerRequest().get(guessed).expect(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('Link not found');
      await signerRequest().get(`${guessed}/document.pdf`).expect(404);
      expectProblem(await sign(guessed, { name: signer.name, documentSha256: '0'.repeat(64) }), 404);
      expectProblem(await sign(`${guessed}/decline`, { reason: 'Not mine' }), 404);

      for (const token of [
        'abc',
        'x'.repeat(42),
        'x'.repeat(44),
        `${'a'.repeat(42)}.`,
        `${'a'.repeat(40)}%00`,
        `${'a'.repeat(41)}%E0%A4%A`,
        '..%2F..%2Fetc%2Fpasswd',
      ]) {
        const response = await signerRequest().get(`/sign/${token}`);
        expect({ token, status: response.status }).toEqual({ token, status: expect.any(Number) });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        const posted = await sign(`/sign/${token}`, { name: signer.name, documentSha256: '0'.repeat(64) });
        expect(posted.status).toBeGreaterThanOrEqual(400);
        expect(posted.status).toBeLessThan(500);
      }
      for (const token of ['abc', 'x'.repeat(44), `${'a'.repeat(42)}.`]) {
        await signerRequest().get(`/sign/${token}`).expect(404);
        await signerRequest().get(`/sign/${token}/document.pdf`).expect(404);
      }
    });

    it('shows each signer only their own order', async () => {
      const projectId = await openProject(t, 'Two orders');
      const vpn = await assessedRequest(t, projectId, 'vpn');
      const docs = await assessedRequest(t, projectId, 'docs');
      const co1 = await draftOrder(t, projectId, [vpn]);
      const co2 = await draftOrder(t, projectId, [docs]);
      const link1 = await issueOrder(t, projectId, co1.id);
      const link2 = await issueOrder(t, projectId, co2.id);
      expect(link1.token).not.toBe(link2.token);

      const page1 = (await signerRequest().get(link1.signPath).expect(200)).text;
      const page2 = (await signerRequest().get(link2.signPath).expect(200)).text;
      expect(page1).toContain('CO-1');
      expect(page1).toContain('USD 1,250.00');
      expect(page1).toContain('Site-to-site VPN to Dockside');
      expect(page1).not.toContain('CO-2');
      expect(page1).not.toContain('USD 367.50');
      expect(page1).not.toContain('Document the new VLAN plan');
      expect(page1).toContain(link1.documentSha256);
      expect(page1).not.toContain(link2.token);

      expect(page2).toContain('CO-2');
      expect(page2).toContain('USD 367.50');
      expect(page2).toContain('Document the new VLAN plan');
      expect(page2).not.toContain('CO-1');
      expect(page2).not.toContain('USD 1,250.00');
      expect(page2).not.toContain('Site-to-site VPN');
      expect(page2).toContain(link2.documentSha256);
      expect(page2).not.toContain(link1.token);

      // Signing one link leaves the other order untouched.
      await readAndConsent(t.http, link1.signPath);
      await sign(link1.signPath, { name: signer.name, documentSha256: link1.documentSha256 }).expect(200);
      expect(await orderOf(projectId, co2.id)).toMatchObject({ status: 'issued' });
      const refused = await sign(link1.signPath, { name: signer.name, documentSha256: link2.documentSha256 });
      expectProblem(refused, 409);
    });

    it('states the figures and milestone dates of the issued document', async () => {
      const { issued } = await issuedScenario(t, 'Page figures');
      const text = (await signerRequest().get(issued.signPath).expect(200)).text
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ');
      expect(text).toContain('This order USD 972.87');
      expect(text).toContain('New contract total USD 5,689.00');
      expect(text).toContain(`Respond by ${issued.expiresAt.slice(0, 10)}`);
      expect(text).toMatch(/VPN-2 · Site-to-site VPN to Dockside Add · CR-1 7\.50 USD 1,250\.00/);
      expect(text).toMatch(/WIFI-1 · Wireless site survey Remove · CR-3 -6\.75 -USD 644\.63/);
      expect(text).toMatch(/PRN-1 · Remove stale printer drivers Add · CR-4 1\.50 USD 0\.00 no charge/);
      expect(text).toMatch(/Total 4\.00 USD 972\.87/);
      expect(text).toContain('absorbed by Northwind Managed IT and not billed: USD 143.25');
      // The cascade, as the PDF prints it: M1's two days also move M2 and M3.
      expect(text).toContain('M1 · Network live 2026-03-20 2026-03-20 2026-03-24 +2');
      expect(text).toContain('M2 · Handover 2026-04-01 2026-04-01 2026-04-07 +3');
      expect(text).toContain('M3 · Warranty review 2026-04-15 2026-04-15 2026-04-20 +3');
    });

    it('shows a consent text that covers what the ESIGN Act asks to be disclosed', async () => {
      const { issued } = await issuedScenario(t, 'Consent text');
      const text = (await signerRequest().get(issued.signPath).expect(200)).text
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ');
      expect(text).toContain(`Consent to electronic records and signature (${CONSENT_VERSION})`);
      // Scope, paper copy and its fee, withdrawal and its consequences, changing contact details, what is
      // needed, and whom to contact: the company's real name and address.
      expect(text).toContain('This consent covers this change order only');
      expect(text).toContain('You may have a paper copy of this change order, before or after signing, at no charge');
      expect(text).toContain('email Northwind Managed IT at projects@northwind-it.example');
      expect(text).toContain('Withdrawing costs nothing');
      expect(text).toContain('can no longer be signed electronically through this link');
      expect(text).toContain('If your email address changes, tell');
      expect(text).toContain('a current web browser (Chrome, Edge, Firefox or Safari), a PDF reader');
      expect(text).not.toContain('Your Managed Services Provider');
    });

    it('records a view at most once per hour', async () => {
      const { projectId, order, issued } = await issuedScenario(t, 'Views');
      for (let i = 0; i < 3; i++)
        await signerRequest().get(issued.signPath).set('User-Agent', SIGNER_AGENT).expect(200);
      const views = (await eventsOf(projectId)).filter((e) => e.type === 'ChangeOrderViewed');
      expect(views).toHaveLength(1);
      expect(views[0]).toMatchObject({
        actor: { kind: 'signer' },
        userAgent: SIGNER_AGENT,
        data: { changeOrderId: order.id },
      });
      expect((await orderOf(projectId, order.id)).firstViewedAt).toBe(views[0].data.viewedAt);
    });
  });

  describe('the board', () => {
    it(
      'admits work only through the signature: direct cards are refused, ' +
        'signed lines add, revise and cancel cards',
      async () => {
        const { projectId, issued } = await issuedScenario(t, 'Board');
        const board = async () => (await t.api.get(`/api/projects/${projectId}/board`).expect(200)).body;

        const baselineOnly = await board();
        const cards = (b: typeof baselineOnly) =>
          b.columns.flatMap((c: { cards: unknown[] }) => c.cards) as {
            id: string;
            ref: string;
            estimateHours: number;
            admittedBy: string;
          }[];
        expect(cards(baselineOnly).map((c) => [c.ref, c.admittedBy])).toEqual([
          ['NET-1', 'baseline'],
          ['DOC-1', 'baseline'],
          ['WIFI-1', 'baseline'],
        ]);

        for (const ref of ['VPN-2', 'NET-1']) {
          const refused = await expectRefusedWithoutAppend(
            t,
            projectId,
            () => t.api.post(`/api/projects/${projectId}/board/cards`, { ref }),
            409,
          );
          expect(refused.body.detail).toMatch(
            ref === 'VPN-2' ? /only through a signed change order/ : /already on the board/,
          );
        }
        expect(await board()).toEqual(baselineOnly);

        await readAndConsent(t.http, issued.signPath);
        await sign(issued.signPath, { name: signer.name, documentSha256: issued.documentSha256 }).expect(200);
        const after = await board();
        expect(cards(after).map((c) => [c.ref, c.estimateHours, c.admittedBy])).toEqual([
          ['NET-1', 16.25, 'baseline'],
          ['DOC-1', 5.25, 'baseline'],
          ['VPN-2', 7.5, 'CO-1'],
          ['PRN-1', 1.5, 'CO-1'],
        ]);
        expect(after.cancelled).toEqual([expect.objectContaining({ ref: 'WIFI-1' })]);

        // The card, the estimate revision and the cancellation were appended with the signature.
        const types = (await eventsOf(projectId)).map((e) => e.type);
        const signedAt = types.indexOf('ChangeOrderSigned');
        expect(types.slice(signedAt)).toEqual([
          'ChangeOrderSigned',
          'BoardCardAdded',
          'BoardCardEstimateRevised',
          'BoardCardCancelled',
          'BoardCardAdded',
        ]);
      },
    );
  });

  describe('invoices', () => {
    it('records partial invoices up to the signed value and refuses more with 409', async () => {
      const { projectId, order, issued } = await issuedScenario(t, 'Invoicing');
      const finance = await t.keyFor('finance');
      const invoice = (invoiceNumber: string, amount: number) =>
        request(t.http)
          .post(`/api/finance/change-orders/${order.id}/invoices`)
          .set('Authorization', `Bearer ${finance}`)
          .send({ invoiceNumber, amount });

      expectProblem(await invoice('INV-0', 1000), 409);
      await readAndConsent(t.http, issued.signPath);
      await sign(issued.signPath, { name: signer.name, documentSha256: issued.documentSha256 }).expect(200);

      const first = await invoice('INV-1', 50000).expect(201);
      expect(first.body).toMatchObject({
        changeOrder: 'CO-1',
        amount: figures.orderAmount,
        invoiced: 50000,
        uninvoiced: 47287,
      });

      const over = await expectRefusedWithoutAppend(t, projectId, () => invoice('INV-2', 47288), 409);
      expect(over.body.detail).toContain('USD 472.87 remains uninvoiced');
      await expectRefusedWithoutAppend(t, projectId, () => invoice('INV-1', 100), 409);

      await invoice('INV-2', 47287).expect(201);
      await expectRefusedWithoutAppend(t, projectId, () => invoice('INV-3', 1), 409);

      const ledger = (
        await request(t.http).get('/api/finance/change-orders').set('Authorization', `Bearer ${finance}`).expect(200)
      ).body;
      const row = ledger.changeOrders.find((r: { changeOrderId: string }) => r.changeOrderId === order.id);
      expect(row).toMatchObject({
        number: 'CO-1',
        amount: figures.orderAmount,
        invoiced: figures.orderAmount,
        uninvoiced: 0,
        absorbed: figures.prn1Absorbed,
        signedBy: signer.name,
      });
    });

    it('totals the finance ledger per currency, never across currencies', async () => {
      const client = { name: 'Two Currency Holdings', email: 'ap@two-currency.example' };
      for (const currency of ['USD', 'EUR']) {
        const projectId = await openProject(t, `Ledger in ${currency}`, { client, currency });
        const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'vpn')]);
        const link = await issueOrder(t, projectId, order.id);
        await readAndConsent(t.http, link.signPath);
        await sign(link.signPath, { name: signer.name, documentSha256: link.documentSha256 }).expect(200);
        if (currency === 'EUR')
          await t.api
            .post(`/api/finance/change-orders/${order.id}/invoices`, { invoiceNumber: 'EU-1', amount: 25000 })
            .expect(201);
      }
      const ledger = (
        await t.api.get(`/api/finance/change-orders?client=${encodeURIComponent(client.name)}`).expect(200)
      ).body;
      expect(ledger.changeOrders.map((r: { currency: string; amount: number }) => [r.currency, r.amount])).toEqual([
        ['USD', figures.vpn2],
        ['EUR', figures.vpn2],
      ]);
      expect(ledger.totals).toEqual({
        USD: { amount: figures.vpn2, invoiced: 0, uninvoiced: figures.vpn2 },
        EUR: { amount: figures.vpn2, invoiced: 25000, uninvoiced: figures.vpn2 - 25000 },
      });
      expect(ledger.currencies).toEqual(['USD', 'EUR']);
    });
  });
});
