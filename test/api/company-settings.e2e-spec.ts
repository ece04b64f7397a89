import request from 'supertest';
import { COMPANY_STREAM_ID, projectStreamId } from '@scope-ledger/domain';
import { listOutbox } from '@scope-ledger/notifications';
import { startSmtpTestServer, SmtpTestServer } from '../notifications/smtp-test-server';
import { eventually } from '../notifications/change-order-scenario';
import { startTestServer, TestServer } from '../support/test-server';
import {
  assessedRequest,
  draftOrder,
  issuedScenario,
  issueOrder,
  openProject,
} from '../change-orders/change-order-scenario';
import { expectProblem } from './api-helpers';
import { signedInAgent } from '../support/staff-session';

/** A 1×1 opaque PNG (grey), as a browser's file input would read it. */
const PNG_1X1 =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';
const PASSWORD = 'correct-horse-battery-staple-7';

describe('company settings', () => {
  let t: TestServer;
  let smtp: SmtpTestServer;
  let before: Awaited<ReturnType<typeof issuedScenario>>;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await startTestServer();
    before = await issuedScenario(t, 'Office move before the rename');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('starts from the environment: the name from MSP_NAME, nothing stored, no password', async () => {
    const pm = await t.keyFor('pm');
    const read = await request(t.http).get('/api/admin/company').set('Authorization', `Bearer ${pm}`).expect(200);
    expect(read.headers.etag).toBe('"-1"');
    expect(read.body).toMatchObject({
      name: 'Northwind Managed IT',
      email: 'projects@northwind-it.example',
      logo: null,
      smtpPassword: 'not set',
      sendsEmail: false,
      signerVerification: 'none',
    });
    expect(read.body.fromEnvironment).toEqual(expect.arrayContaining(['name', 'email']));
  });

  it('lets only admins change the settings', async () => {
    const pm = await t.keyFor('pm');
    await request(t.http)
      .patch('/api/admin/company')
      .set('Authorization', `Bearer ${pm}`)
      .send({ name: 'Someone Else IT' })
      .expect(403);
  });

  it('refuses a light colour, a plain-http time stamp authority and a broken logo: 400 naming the field', async () => {
    expectProblem(await t.api.patch('/api/admin/company', { brandColour: '#ffff00' }), 400, 'brandColour');
    expectProblem(await t.api.patch('/api/admin/company', { tsaUrl: 'http://tsa.example/tsr' }), 400, 'tsaUrl');
    expectProblem(await t.api.patch('/api/admin/company', { logo: 'data:image/png;base64,AAAAAAAA' }), 400, 'logo');
    expectProblem(await t.api.patch('/api/admin/company', { logo: 'https://cdn.example/logo.png' }), 400, 'logo');
    expectProblem(await t.api.patch('/api/admin/company', { expiryDays: 400 }), 400, 'expiryDays');
    expect(await t.server.platform.store.readStream(COMPANY_STREAM_ID)).toHaveLength(0);
  });

  describe('after a rename with address, logo and colour', () => {
    let after: { projectId: string; orderId: string; signPath: string };

    beforeAll(async () => {
      const changed = await t.api
        .patch('/api/admin/company', {
          name: 'Harbour Lights IT',
          address: '12 Quay Street\nPortsmouth PO1 2AB',
          phone: '+44 23 9200 0000',
          brandColour: '#0b5394',
          logo: PNG_1X1,
          paymentTerms: 'Invoiced on signature, payable within 30 days.',
          expiryDays: 21,
        })
        .set('If-Match', '"-1"')
        .expect(200);
      expect(changed.headers.etag).toBe('"0"');
      const projectId = await openProject(t, 'Office move after the rename');
      const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'vpn')]);
      const issued = await issueOrder(t, projectId, order.id);
      after = { projectId, orderId: order.id, signPath: issued.signPath };
    }, 60_000);

    it('refuses a change made over a stale ETag with 412, and appends nothing', async () => {
      const stale = await t.api.patch('/api/admin/company', { name: 'Harbour Lights' }).set('If-Match', '"-1"');
      expectProblem(stale, 412);
      expect(await t.server.platform.store.readStream(COMPANY_STREAM_ID)).toHaveLength(1);
    });

    it('records only the fields that changed, the logo by its SHA-256', async () => {
      const [event] = await t.server.platform.store.readStream(COMPANY_STREAM_ID);
      expect(event.type).toBe('CompanySettingsChanged');
      const { changes } = event.data as { changes: Record<string, unknown> };
      expect(Object.keys(changes).sort()).toEqual(
        ['address', 'brandColour', 'expiryDays', 'logo', 'name', 'paymentTerms', 'phone'].sort(),
      );
      expect(changes.logo).toMatchObject({ mediaType: 'image/png', bytes: 67 });
    });

    it('shows the new name and logo on the signing page of a new order', async () => {
      const page = await request(t.http).get(after.signPath).expect(200);
      expect(page.text).toContain('Harbour Lights IT');
      expect(page.text).toContain('src="data:image/png;base64,iVBORw0KGgo');
      expect(page.text).toContain('class="brand-rule"');
    });

    it('keeps the old name on the signing page and consent text of an order issued before', async () => {
      const page = await request(t.http).get(before.issued.signPath).expect(200);
      expect(page.text).toContain('Northwind Managed IT');
      expect(page.text).not.toContain('Harbour Lights IT');
    });

    it('drafts new orders with the company terms and expiry', async () => {
      const stream = await t.server.platform.store.readStream(projectStreamId(after.projectId));
      const drafted = stream.find((e) => e.type === 'ChangeOrderDrafted')!;
      expect((drafted.data as { terms: string }).terms).toBe('Invoiced on signature, payable within 30 days.');
      const read = await t.api.get(`/api/projects/${after.projectId}/change-orders/${after.orderId}`).expect(200);
      // Signable through the 21st day after issue: it lapses at the start of the 22nd (UTC, the project has no zone).
      const issueDay = Date.parse(read.body.issuedAt.slice(0, 10));
      expect(read.body.expiresAt).toBe(new Date(issueDay + 22 * 86_400_000).toISOString());
    });

    it('signs the new order’s email with the new name and address', async () => {
      const message = await eventually(async () =>
        (await listOutbox(t.server.platform.sql, { changeOrderId: after.orderId })).find((m) => m.kind === 'sign_link'),
      );
      expect(message.text).toContain('Harbour Lights IT asks you to review and sign');
      expect(message.text).toContain('Harbour Lights IT\n12 Quay Street\nPortsmouth PO1 2AB\n+44 23 9200 0000');
      expect(message.html).toContain('background: #0b5394');
    });
  });

  describe('SMTP', () => {
    beforeAll(async () => {
      const port = Number(new URL(smtp.url).port);
      await t.api
        .patch('/api/admin/company', {
          smtpHost: '127.0.0.1',
          smtpPort: port,
          smtpSecure: false,
          smtpUser: 'ledger',
          smtpPassword: PASSWORD,
          mailFrom: 'ledger@harbour-lights.example',
        })
        .expect(200);
    });

    it('never answers the password back, nor records it in an event', async () => {
      const read = await t.api.get('/api/admin/company').expect(200);
      expect(read.body.smtpPassword).toBe('set');
      expect(read.body.sendsEmail).toBe(true);
      expect(JSON.stringify(read.body)).not.toContain(PASSWORD);
      const events = await t.server.platform.store.readStream(COMPANY_STREAM_ID);
      expect(JSON.stringify(events.map((e) => [e.data, e.metadata]))).not.toContain(PASSWORD);
      const audit = await t.api.get(`/api/projects/${before.projectId}/events`).expect(200);
      expect(JSON.stringify(audit.body)).not.toContain(PASSWORD);
    });

    it('sends a test email through the stored server, as the company, authenticated as its user', async () => {
      const sent = await t.api
        .post('/api/admin/company/test-email', { to: 'it-admin@harbour-lights.example' })
        .expect(200);
      expect(sent.body).toMatchObject({ sent: true, to: 'it-admin@harbour-lights.example' });
      const [mail] = await smtp.waitFor((received) => received.some((m) => m.subject.startsWith('Test email')));
      expect(mail.subject).toBe('Test email from Harbour Lights IT');
      expect(mail.user).toBe('ledger');
      expect(mail.headers.get('from')).toBe('Harbour Lights IT <ledger@harbour-lights.example>');
    });

    it('reports the SMTP server’s refusal plainly', async () => {
      smtp.refuseNext(1, 550, 'Mailbox unavailable');
      const refused = await t.api.post('/api/admin/company/test-email', { to: 'nobody@harbour-lights.example' });
      expectProblem(refused, 502);
      expect(refused.body.detail).toContain('Mailbox unavailable');
    });

    it('says on the page that only the test email failed, not that the settings were not saved', async () => {
      const { agent, csrf } = await signedInAgent(t, 'admin');
      smtp.refuseNext(1, 550, 'Mailbox unavailable');
      const page = await agent
        .post('/app/admin/company/test-email')
        .type('form')
        .send({ _csrf: csrf, to: 'nobody@harbour-lights.example' })
        .expect(502);
      expect(page.text).toContain('The test email was not sent: the SMTP server answered: ');
      expect(page.text).toContain('Mailbox unavailable');
      expect(page.text).not.toContain('Not saved.');
    });

    it('sends an email held before SMTP was set on Retry now; the outbox no longer says held', async () => {
      const held = (await t.api.get(`/api/outbox?changeOrderId=${before.order.id}&status=held`).expect(200)).body;
      expect(held.length).toBeGreaterThan(0);
      const messageId = held[0].id;
      const { agent, csrf } = await signedInAgent(t, 'admin');
      const retried = await agent
        .post(`/app/admin/outbox/${messageId}/retry`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(303);
      expect(retried.headers.location).toBe('/app/admin/outbox?done=retried');
      const received = await smtp.waitFor((all) =>
        all.some((m) => m.subject.includes('Office move before the rename')),
      );
      expect(received.find((m) => m.subject.includes('Office move before the rename'))!.user).toBe('ledger');
      const page = await agent.get('/app/admin/outbox').expect(200);
      expect(page.text).not.toContain('Held: no SMTP server is configured');
    });

    it('delivers the outbox through the new transport', async () => {
      const projectId = await openProject(t, 'Office move with email');
      const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'docs')]);
      await issueOrder(t, projectId, order.id);
      const received = await smtp.waitFor((all) => all.some((m) => m.subject.includes('Office move with email')));
      const mail = received.find((m) => m.subject.includes('Office move with email'))!;
      expect(mail.headers.get('from')).toBe('Harbour Lights IT <ledger@harbour-lights.example>');
      expect(mail.text).toContain('Harbour Lights IT asks you to review and sign');
    });
  });

  describe('the page /app/admin/company', () => {
    it('is for admins only', async () => {
      const { agent } = await signedInAgent(t, 'pm');
      await agent.get('/app/admin/company').expect(403);
    });

    it('saves the form, and never shows the SMTP password', async () => {
      const { agent, csrf } = await signedInAgent(t, 'admin');
      const page = await agent.get('/app/admin/company').expect(200);
      expect(page.text).toContain('Harbour Lights IT');
      expect(page.text).not.toContain(PASSWORD);
      const version = /name="version" value="(-?\d+)"/.exec(page.text)![1];
      const saved = await agent
        .post('/app/admin/company')
        .type('form')
        .send({ _csrf: csrf, version, name: 'Harbour Lights IT Ltd', brandColour: '#0b5394', smtpHost: '127.0.0.1' })
        .expect(303);
      expect(saved.headers.location).toBe('/app/admin/company?done=saved');
      expect((await t.api.get('/api/admin/company').expect(200)).body.name).toBe('Harbour Lights IT Ltd');

      // The same form sent again over the version it was rendered from: someone else saved in between.
      const stale = await agent
        .post('/app/admin/company')
        .type('form')
        .send({ _csrf: csrf, version, name: 'Harbour Lights', phone: '+44 23 9200 0001' })
        .expect(412);
      expect(stale.text).toContain('Changed by someone else since you opened this page');
      expect(stale.text).toContain('Company name');
    });

    it('names a colour too light to read as the field at fault', async () => {
      const { agent, csrf } = await signedInAgent(t, 'admin');
      const page = await agent.get('/app/admin/company').expect(200);
      const version = /name="version" value="(-?\d+)"/.exec(page.text)![1];
      const refused = await agent
        .post('/app/admin/company')
        .type('form')
        .send({ _csrf: csrf, version, name: 'Harbour Lights IT Ltd', brandColour: '#ffff00' })
        .expect(400);
      expect(refused.text).toContain('too light to read on white');
    });
  });
});
