import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectStreamId } from '@scope-ledger/domain';
import { RebuildStatus } from '../support/projection-rebuild';
import { startTestServer, TestServer } from '../support/test-server';
import { Agent, csrfOf, signedInAgent } from '../support/staff-session';
import { SmtpTestServer, startSmtpTestServer } from '../notifications/smtp-test-server';
import { issuedScenario, openProject, projectBody, requests, signer } from '../change-orders/change-order-scenario';

/** The page's text without tags, spaces run together: what a reader sees. */
const textOf = (page: string) =>
  page
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

describe('admin pages', () => {
  let t: TestServer;
  let smtp: SmtpTestServer;
  let admin: { agent: Agent; csrf: string };
  let pm: { agent: Agent; csrf: string };

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await startTestServer({ config: { smtpUrl: smtp.url } });
    admin = await signedInAgent(t, 'admin');
    pm = await signedInAgent(t, 'pm');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  describe('access', () => {
    it('links the admin pages from the top bar for admins only', async () => {
      const asAdmin = await admin.agent.get('/app').expect(200);
      expect(asAdmin.text).toContain('<a href="/app/admin">Admin</a>');
      const asPm = await pm.agent.get('/app').expect(200);
      expect(asPm.text).not.toContain('href="/app/admin"');
    });

    it('lists the admin pages on the landing page', async () => {
      const landing = await admin.agent.get('/app/admin').expect(200);
      const pages = [
        '/app/admin/company',
        '/app/admin/keys',
        '/app/admin/outbox',
        '/app/admin/projections',
        '/app/admin/audit',
      ];
      for (const href of pages) expect(landing.text).toContain(`href="${href}"`);
    });

    it('answers a PM or finance with a 403 page saying the admin role is needed', async () => {
      const finance = await signedInAgent(t, 'finance');
      for (const agent of [pm.agent, finance.agent]) {
        for (const path of ['/app/admin', '/app/admin/keys', '/app/admin/outbox', '/app/admin/projections']) {
          const refused = await agent.get(path).expect(403);
          expect(refused.headers['content-type']).toMatch(/^text\/html/);
          expect(textOf(refused.text)).toMatch(/This page needs the admin role; you are signed in as (pm|finance)\./);
        }
      }
      // Posts too: a PM cannot revoke a key or start a rebuild from a forged form.
      const created = await t.api.post('/api/admin/api-keys', { name: 'Kept', role: 'pm' }).expect(201);
      await pm.agent
        .post(`/app/admin/keys/${created.body.id}/revoke`)
        .type('form')
        .send({ _csrf: pm.csrf })
        .expect(403);
      await pm.agent.post('/app/admin/projections/rebuild').type('form').send({ _csrf: pm.csrf }).expect(403);
      expect(
        await request(t.http).get('/api/portfolio').set('Authorization', `Bearer ${created.body.key}`),
      ).toMatchObject({ status: 200 });
    });
  });

  describe('API keys', () => {
    it('creates a key, shows it once with a copy button, and the key works', async () => {
      const page = await admin.agent
        .post('/app/admin/keys')
        .type('form')
        .send({ _csrf: admin.csrf, name: 'Dana (finance)', role: 'finance' })
        .expect(201);
      const key = /id="new-key-value"\s+class="mono" readonly value="(sl_[A-Za-z0-9_-]+)"/.exec(page.text)?.[1];
      expect(key).toBeDefined();
      expect(page.text).toContain('data-copy="new-key-value"');
      expect(textOf(page.text)).toContain('Copy it now: it is shown only this once.');
      await request(t.http).get('/api/finance/change-orders').set('Authorization', `Bearer ${key}`).expect(200);

      const list = await admin.agent.get('/app/admin/keys').expect(200);
      expect(list.text).not.toContain(key);
      const row = list.text.split('<tr>').find((r) => r.includes('Dana (finance)'))!;
      expect(row).toContain('<td>finance</td>');
      expect(textOf(row)).not.toContain('never');
    });

    it('creates a key belonging to a PM: what it logs names the PM; an admin role for it is refused', async () => {
      const added = await t.api
        .post('/api/admin/users', { name: 'Priya Shah', email: 'priya@northwind-it.example', role: 'pm' })
        .expect(201);
      const priya = added.body.id as string;
      const tooHigh = await t.api.post('/api/admin/api-keys', {
        name: 'Priya admin',
        role: 'admin',
        ownerUserId: priya,
      });
      expect(tooHigh.status).toBe(422);
      expect(tooHigh.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);

      const created = await t.api
        .post('/api/admin/api-keys', { name: 'Priya (PM)', role: 'pm', ownerUserId: priya })
        .expect(201);
      expect(created.body.ownerUserId).toBe(priya);
      const projectId = await openProject(t, 'Warehouse VPN for Priya');
      await request(t.http)
        .post(`/api/projects/${projectId}/change-requests`)
        .set('Authorization', `Bearer ${created.body.key}`)
        .send(requests.vpn.log)
        .expect(201);
      const events = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body;
      const logged = events.find((e: { type: string }) => e.type === 'ChangeRequestLogged');
      expect(logged.actor.name).toBe('Priya Shah');

      const page = await admin.agent.get('/app/admin/keys').expect(200);
      expect(page.text).toContain(`<option value="${priya}">Priya Shah (pm)</option>`);

      // Priya leaves: her key no longer works, and the list says why.
      await t.api.post(`/api/admin/users/${priya}/deactivate`).expect((r) => expect(r.status).toBeLessThan(300));
      const after = await admin.agent.get('/app/admin/keys').expect(200);
      const row = after.text.split('<tr>').find((r) => r.includes('Priya (PM)'))!;
      expect(textOf(row)).toContain('owner deactivated');
      expect(after.text).not.toContain(`<option value="${priya}">`);
    });

    it('refuses a key without a name, saying so beside the field', async () => {
      const refused = await admin.agent
        .post('/app/admin/keys')
        .type('form')
        .send({ _csrf: admin.csrf, name: '', role: 'pm' })
        .expect(400);
      expect(refused.text).toContain('id="key-name-error"');
      expect(refused.text).not.toContain('id="new-key-value"');
    });

    it('records when a key was last used, at most once a minute', async () => {
      const created = await t.api.post('/api/admin/api-keys', { name: 'Integration', role: 'pm' }).expect(201);
      const lastUsed = async () =>
        ((await t.api.get('/api/admin/api-keys').expect(200)).body as { id: string; lastUsedAt: string | null }[]).find(
          (k) => k.id === created.body.id,
        )!.lastUsedAt;
      expect(await lastUsed()).toBeNull();
      const before = Date.now();
      await request(t.http).get('/api/portfolio').set('Authorization', `Bearer ${created.body.key}`).expect(200);
      const first = await lastUsed();
      expect(first).not.toBeNull();
      expect(Date.parse(first!.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'))).toBeGreaterThanOrEqual(
        before - 1000,
      );
      // Used again within the minute: nothing is written.
      await sleep(1100);
      await request(t.http).get('/api/portfolio').set('Authorization', `Bearer ${created.body.key}`).expect(200);
      expect(await lastUsed()).toBe(first);
    });

    it('revokes a key after a confirmation step', async () => {
      const created = await t.api.post('/api/admin/api-keys', { name: 'Leaver', role: 'pm' }).expect(201);
      const list = await admin.agent.get('/app/admin/keys').expect(200);
      expect(list.text).toContain(`href="/app/admin/keys/${created.body.id}/revoke"`);
      const confirm = await admin.agent.get(`/app/admin/keys/${created.body.id}/revoke`).expect(200);
      expect(textOf(confirm.text)).toContain('Revoke the key Leaver?');
      // Nothing is revoked by looking at the confirmation.
      await request(t.http).get('/api/portfolio').set('Authorization', `Bearer ${created.body.key}`).expect(200);

      const revoked = await admin.agent
        .post(`/app/admin/keys/${created.body.id}/revoke`)
        .type('form')
        .send({ _csrf: csrfOf(confirm.text) })
        .expect(303);
      expect(revoked.headers.location).toBe('/app/admin/keys?done=revoked');
      const after = await admin.agent.get(revoked.headers.location).expect(200);
      expect(textOf(after.text)).toContain('Key revoked');
      expect(after.text).not.toContain(`href="/app/admin/keys/${created.body.id}/revoke"`);
      await request(t.http).get('/api/portfolio').set('Authorization', `Bearer ${created.body.key}`).expect(401);
      // Revoking it again: there is no active key with that id.
      await admin.agent
        .post(`/app/admin/keys/${created.body.id}/revoke`)
        .type('form')
        .send({ _csrf: admin.csrf })
        .expect(404);
    });
  });

  describe('outbox', () => {
    let messageId: string;
    let token: string;

    beforeAll(async () => {
      // The SMTP server refuses the signing link for good (550): the email is marked failed.
      smtp.refuseNext(1, 550, 'No such user here');
      const { issued, order } = await issuedScenario(t, 'Outbox page');
      token = issued.token;
      for (let i = 0; i < 200; i++) {
        const [message] = (await t.api.get(`/api/outbox?changeOrderId=${order.id}`).expect(200)).body;
        if (message?.status === 'failed') {
          messageId = message.id;
          return;
        }
        await sleep(50);
      }
      throw new Error('The signing link was never marked failed');
    }, 60_000);

    it('lists the failed email with its recipient, attempts and error, and shows admins the signing link', async () => {
      const page = await admin.agent.get('/app/admin/outbox').expect(200);
      const row = page.text.split('<tr>').find((r) => r.includes(`<td class="mono">${messageId}</td>`))!;
      expect(textOf(row)).toContain('failed');
      expect(textOf(row)).toContain('Signing link');
      expect(row).toContain('<td class="num">1</td>');
      expect(textOf(row)).toContain('No such user here');
      expect(row).toContain(`/sign/${token}`);
      expect(row).toContain(`action="/app/admin/outbox/${messageId}/retry"`);
      // The API hides the link from a PM, as ever.
      const asPm = await request(t.http)
        .get('/api/outbox')
        .set('Authorization', `Bearer ${await t.keyFor('pm')}`)
        .expect(200);
      expect(JSON.stringify(asPm.body)).not.toContain(token);
    });

    it('filters by status', async () => {
      const failed = await admin.agent.get('/app/admin/outbox?status=failed').expect(200);
      expect(failed.text).toContain(`<td class="mono">${messageId}</td>`);
      expect(failed.text).toContain('<option value="failed" selected>');
      const held = await admin.agent.get('/app/admin/outbox?status=held').expect(200);
      expect(textOf(held.text)).toContain('No emails with status held.');
    });

    it('sends a failed email again with Retry now', async () => {
      const retried = await admin.agent
        .post(`/app/admin/outbox/${messageId}/retry`)
        .type('form')
        .send({ _csrf: admin.csrf })
        .expect(303);
      expect(retried.headers.location).toBe('/app/admin/outbox?done=retried');
      t.server.notifications.sender.wake();
      const [mail] = await smtp.waitFor((received) => received.some((m) => m.text.includes(`/sign/${token}`)), 15_000);
      expect(mail.envelopeTo).toEqual([signer.email]);
      let status = '';
      for (let i = 0; i < 100 && status !== 'sent'; i++) {
        status = (await t.api.get('/api/outbox?status=sent').expect(200)).body.find(
          (m: { id: string }) => m.id === messageId,
        )?.status;
        if (status !== 'sent') await sleep(50);
      }
      expect(status).toBe('sent');
      // Sent: there is nothing to retry, on the page or through the API.
      const page = await admin.agent.get('/app/admin/outbox').expect(200);
      expect(page.text).not.toContain(`action="/app/admin/outbox/${messageId}/retry"`);
      const again = await t.api.post(`/api/outbox/${messageId}/retry`).expect(409);
      expect(again.body.detail).toBe(`Email ${messageId} is sent: there is nothing to retry`);
      await t.api.post('/api/outbox/999999999/retry').expect(404);
    });

    it('lets only admins retry through the API', async () => {
      const asPm = await request(t.http)
        .post(`/api/outbox/${messageId}/retry`)
        .set('Authorization', `Bearer ${await t.keyFor('pm')}`);
      expect(asPm.status).toBe(403);
    });
  });

  describe('read models', () => {
    it('shows this server active, no lag and no parked events', async () => {
      const page = textOf((await admin.agent.get('/app/admin/projections').expect(200)).text);
      expect(page).toContain('This server Active');
      expect(page).toContain('Lag 0 events behind');
      expect(page).toContain('None: every event is in the read models.');
      const status = (await t.api.get('/api/admin/projections').expect(200)).body;
      expect(status).toMatchObject({ active: true, lag: 0, lagCapped: false, parked: [] });
      expect(status.checkpoint).toBe(status.head);
    });

    it('parks an event the read tables refuse, and applies it once retried after the cause is gone', async () => {
      // The database refuses the portfolio row of one project, as a constraint added by hand would.
      await t.database.sql.query(`CREATE FUNCTION refuse_parked_project() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the portfolio refuses this project' USING ERRCODE = '23514'; END $$`);
      await t.database.sql.query(`CREATE TRIGGER refuse_parked_project BEFORE INSERT OR UPDATE ON portfolio_rows
        FOR EACH ROW WHEN (NEW.doc ->> 'name' = 'Parked project') EXECUTE FUNCTION refuse_parked_project()`);
      let projectId: string;
      try {
        projectId = (await t.api.post('/api/projects', { ...projectBody, name: 'Parked project' }).expect(201)).body.id;
        // The projections run apart from the command: the refusal stays until they have met the event.
        for (let i = 0; i < 200; i++) {
          if ((await t.api.get('/api/admin/projections').expect(200)).body.parked.length > 0) break;
          await sleep(50);
        }
      } finally {
        await t.database.sql.query(`DROP TRIGGER refuse_parked_project ON portfolio_rows`);
        await t.database.sql.query(`DROP FUNCTION refuse_parked_project()`);
      }
      const parked = (await t.api.get('/api/admin/projections').expect(200)).body.parked;
      expect(parked).toMatchObject([{ streamId: projectStreamId(projectId), eventType: 'ProjectOpened', revision: 0 }]);
      expect(parked[0].error).toContain('the portfolio refuses this project');
      await admin.agent.get(`/app/projects/${projectId}`).expect(404);

      const page = await admin.agent.get('/app/admin/projections').expect(200);
      expect(textOf(page.text)).toContain('Parked events 1 could not be applied');
      expect(textOf(page.text)).toContain('the portfolio refuses this project');
      const retried = await admin.agent
        .post(`/app/admin/projections/parked/${parked[0].eventId}/retry`)
        .type('form')
        .send({ _csrf: admin.csrf })
        .expect(303);
      expect(retried.headers.location).toBe('/app/admin/projections?done=unparked');
      const after = textOf((await admin.agent.get(retried.headers.location).expect(200)).text);
      expect(after).toContain('The event was applied and is no longer parked.');
      expect(after).toContain('None: every event is in the read models.');
      await admin.agent.get(`/app/projects/${projectId}`).expect(200);
    });

    it('rebuilds in the background from the page, its progress reaching every event', async () => {
      const started = await admin.agent
        .post('/app/admin/projections/rebuild')
        .type('form')
        .send({ _csrf: admin.csrf })
        .expect(303);
      expect(started.headers.location).toBe('/app/admin/projections?done=rebuilding');
      const readings: RebuildStatus[] = [];
      for (let i = 0; i < 600; i++) {
        const reading = (await admin.agent.get('/app/admin/projections/rebuild').expect(200)).body;
        readings.push(reading);
        if (reading.state !== 'running') break;
        await sleep(20);
      }
      const last = readings.at(-1)!;
      const { rows } = await t.database.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM events`);
      expect(last).toMatchObject({ state: 'done', done: Number(rows[0].n), total: Number(rows[0].n), error: null });
      expect(Date.parse(last.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(last.startedAt!));
      // done never goes back while it runs.
      const dones = readings.map((r) => r.done);
      expect(dones).toEqual([...dones].sort((a, b) => a - b));

      const page = textOf((await admin.agent.get('/app/admin/projections').expect(200)).text);
      expect(page).toMatch(new RegExp(`Done: ${Number(rows[0].n).toLocaleString('en-US')} of [\\d,]+ events in`));
      // The read models answer as before.
      await admin.agent.get('/app').expect(200);
    });

    it('answers the API with 202 and a status URL, and refuses a second rebuild while one runs', async () => {
      const started = await t.api.post('/api/admin/projections/rebuild').expect(202);
      expect(started.headers.location).toBe('/api/admin/projections/rebuild');
      expect(started.body).toMatchObject({ state: 'running', statusUrl: '/api/admin/projections/rebuild' });
      const second = await t.api.post('/api/admin/projections/rebuild');
      // Small stores may finish between the two posts.
      if (second.status === 409) expect(second.body.detail).toBe('A rebuild of the read models is already running');
      else expect(second.status).toBe(202);
      let status = started.body;
      while (status.state === 'running') status = (await t.api.get(started.body.statusUrl).expect(200)).body;
      expect(status.state).toBe('done');
    });
  });

  describe('audit trail', () => {
    it('verifies every stream, then finds the first broken link of an altered one', async () => {
      await openProject(t, 'Audited project');
      const first = await admin.agent.get('/app/admin/audit').expect(200);
      expect(textOf(first.text)).toContain('Verify now');
      const intact = textOf((await admin.agent.get('/app/admin/audit?verify=now').expect(200)).text);
      expect(intact).toMatch(/Every hash chain is intact: \d+ streams?, \d+ events\./);
      expect(intact).toContain('Audited project');
      expect(intact).not.toMatch(/\d+ broken/);

      const projectId = await openProject(t, 'Altered project');
      const streamId = projectStreamId(projectId);
      await t.database.sql.query(
        `UPDATE events SET data = jsonb_set(data, '{name}', '"Forged name"')
         WHERE stream_id = $1 AND stream_revision = 0`,
        [streamId],
      );
      const broken = textOf((await admin.agent.get('/app/admin/audit?verify=now').expect(200)).text);
      expect(broken).toMatch(/1 stream of \d+ broken\./);
      expect(broken).toMatch(new RegExp(`Altered project ${streamId} \\d+ broken revision 0 \\(ProjectOpened, event`));
      expect(broken).toContain('the event content does not match its hash');

      const api = (await t.api.get('/api/admin/audit/verify').expect(200)).body;
      expect(api.broken).toEqual([
        expect.objectContaining({
          streamId,
          valid: false,
          firstBreak: expect.objectContaining({ revision: 0, type: 'ProjectOpened' }),
        }),
      ]);
      expect(api.results.length).toBe(api.streams);
    });
  });
});
