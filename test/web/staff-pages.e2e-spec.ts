import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';
import { readAndConsent } from '../change-orders/change-order-scenario';
import { Agent, csrfOf } from '../support/staff-session';

const NASTY = '<script>alert("pwned")</script> & <b>bold</b>';

function sessionCookie(response: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('sl_session='));
}

describe('staff pages', () => {
  let t: TestServer;
  let pmKey: string;
  let financeKey: string;

  beforeAll(async () => {
    t = await startTestServer();
    pmKey = await t.keyFor('pm');
    financeKey = await t.keyFor('finance');
  });
  afterAll(async () => {
    await t.close();
  });

  async function signIn(
    key: string,
    next?: string,
  ): Promise<{ agent: Agent; csrf: string; response: request.Response }> {
    const agent = request.agent(t.http);
    const form = await agent.get(`/app/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`).expect(200);
    const response = await agent
      .post('/app/sign-in')
      .type('form')
      .send({ _csrf: csrfOf(form.text), key, ...(next ? { next } : {}) });
    expect(response.status).toBe(303);
    const home = await agent.get(response.headers.location).expect(200);
    return { agent, csrf: csrfOf(home.text), response };
  }

  async function openProject(name = 'Northwind network refresh', client = 'Northwind Traders') {
    const opened = await t.api
      .post('/api/projects', {
        name,
        client: { name: client, email: 'it@northwind.example' },
        currency: 'USD',
        rates: { engineer: 15000, architect: 21000 },
        startDate: '2026-03-02',
      })
      .expect(201);
    const id = opened.body.id as string;
    await t.api
      .post(`/api/projects/${id}/baseline`, {
        items: [
          { ref: 'NET-1', title: 'Firewall and VPN configuration', role: 'engineer', hours: 16.25, fixedCost: 89900 },
          { ref: 'DOC-1', title: 'As-built documentation', role: 'architect', hours: 3.5 },
        ],
        milestones: [
          { ref: 'M1', name: 'Network live', due: '2026-03-20' },
          { ref: 'M2', name: 'Handover', due: '2026-04-01' },
        ],
      })
      .expect(201);
    return id;
  }

  async function eventCount(projectId: string): Promise<number> {
    return ((await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as unknown[]).length;
  }

  it(
    'signs in with an API key and sets an httpOnly, SameSite=Lax ' + 'session cookie that does not hold the key',
    async () => {
      const { response, agent } = await signIn(pmKey);
      const cookie = sessionCookie(response)!;
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/; Secure/); // PUBLIC_URL is http here
      expect(cookie).not.toContain(encodeURIComponent(pmKey));
      expect(cookie).not.toContain(pmKey);
      const portfolio = await agent.get('/app').expect(200);
      expect(portfolio.text).toContain('<h1>Portfolio</h1>');
      expect(portfolio.text).toContain('pm tester');
    },
  );

  it('refuses an unknown key with a message next to the key field and no session', async () => {
    const agent = request.agent(t.http);
    const form = await agent.get('/app/sign-in').expect(200);
    const response = await agent
      .post('/app/sign-in')
      .type('form')
      .send({ _csrf: csrfOf(form.text), key: 'sl_not_a_real_key_123456' })
      .expect(401);
    expect(response.text).toMatch(/<input type="password" id="sign-in-key" name="key"[^>]*aria-invalid="true"/);
    expect(response.text).toContain(
      '<p class="field-error" id="sign-in-key-error">This API key is unknown or has been revoked.</p>',
    );
    expect(sessionCookie(response)).toBeUndefined();
  });

  it('sends a visitor without a session to sign-in, then back to the page asked for', async () => {
    const id = await openProject();
    for (const path of [
      '/app',
      '/app/finance',
      '/app/projects/new',
      `/app/projects/${id}`,
      `/app/projects/${id}/board`,
      `/app/projects/${id}/audit`,
    ]) {
      const response = await request(t.http).get(path).expect(303);
      expect(response.headers.location).toBe(
        path === '/app' ? '/app/sign-in' : `/app/sign-in?next=${encodeURIComponent(path)}`,
      );
    }
    const forged = await request(t.http)
      .get('/app')
      .set('Cookie', 'sl_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
      .expect(303);
    expect(forged.headers.location).toBe('/app/sign-in');

    const agent = request.agent(t.http);
    const form = await agent.get(`/app/sign-in?next=${encodeURIComponent(`/app/projects/${id}/board`)}`).expect(200);
    const signedIn = await agent
      .post('/app/sign-in')
      .type('form')
      .send({ _csrf: csrfOf(form.text), key: pmKey, next: `/app/projects/${id}/board` })
      .expect(303);
    expect(signedIn.headers.location).toBe(`/app/projects/${id}/board`);
    const fresh = request.agent(t.http);
    const again = await fresh.get('/app/sign-in').expect(200);
    const elsewhere = await fresh
      .post('/app/sign-in')
      .type('form')
      .send({ _csrf: csrfOf(again.text), key: pmKey, next: '//evil.example/app' })
      .expect(303);
    expect(elsewhere.headers.location).toBe('/app');
  });

  it('refuses a form post without the session CSRF token with 403 and appends nothing', async () => {
    const id = await openProject();
    const { agent, csrf } = await signIn(pmKey);
    const before = await eventCount(id);
    const body = {
      title: 'Extra VLAN for cameras',
      description: '',
      source: 'email',
      'requestedBy.name': 'Dana',
      'requestedBy.email': 'dana@northwind.example',
    };
    const missing = await agent.post(`/app/projects/${id}/change-requests`).type('form').send(body).expect(403);
    expect(missing.headers['content-type']).toMatch(/text\/html/);
    expect(missing.text).toContain('did not come from Scope Ledger');
    await agent
      .post(`/app/projects/${id}/change-requests`)
      .type('form')
      .send({ ...body, _csrf: 'x'.repeat(43) })
      .expect(403);
    // A token from another session is no good either.
    const other = await signIn(pmKey);
    await agent
      .post(`/app/projects/${id}/change-requests`)
      .type('form')
      .send({ ...body, _csrf: other.csrf })
      .expect(403);
    expect(await eventCount(id)).toBe(before);

    await agent
      .post(`/app/projects/${id}/change-requests`)
      .type('form')
      .send({ ...body, _csrf: csrf })
      .expect(303);
    expect(await eventCount(id)).toBe(before + 1);

    // The sign-in form is protected as well (no login CSRF).
    await request(t.http).post('/app/sign-in').type('form').send({ key: pmKey }).expect(403);
  });

  it('shows a refused form again with each message next to its field and the values as typed', async () => {
    const id = await openProject();
    const { agent, csrf } = await signIn(pmKey);

    const log = await agent
      .post(`/app/projects/${id}/change-requests`)
      .type('form')
      .send({
        _csrf: csrf,
        title: '',
        description: 'Wants guest Wi-Fi',
        source: 'phone',
        'requestedBy.name': 'Dana',
        'requestedBy.email': 'not-an-email',
      })
      .expect(400);
    expect(log.text).toMatch(/<input type="text" value="" id="log-title" name="title"[^>]*aria-invalid="true"/);
    expect(log.text).toMatch(/<p class="field-error" id="log-title-error">Title should not be empty<\/p>/);
    expect(log.text).toMatch(/id="log-requestedBy-email-error">Email must be an email address</);
    expect(log.text).toContain('>Wants guest Wi-Fi</textarea>');
    expect(log.text).toMatch(/<option value="phone" selected>/);

    await agent
      .post(`/app/projects/${id}/change-requests`)
      .type('form')
      .send({
        _csrf: csrf,
        title: 'Guest Wi-Fi',
        description: '',
        source: 'phone',
        'requestedBy.name': 'Dana',
        'requestedBy.email': 'dana@northwind.example',
      })
      .expect(303);
    const requests = (await t.api.get(`/api/projects/${id}/change-requests`).expect(200)).body as { id: string }[];
    const crId = requests[0].id;

    // Blank rows are dropped: the second filled row becomes lines[1], as the API names it.
    const unreadable = await agent
      .post(`/app/projects/${id}/change-requests/${crId}/assessment`)
      .type('form')
      .send({
        _csrf: csrf,
        'lines[0].op': 'add',
        'lines[0].ref': 'WIFI-1',
        'lines[0].title': 'Guest SSID',
        'lines[0].role': 'engineer',
        'lines[0].hours': '3',
        'lines[1].op': 'add',
        'lines[1].ref': '',
        'lines[1].title': '',
        'lines[1].role': '',
        'lines[1].hours': '',
        'lines[2].op': 'add',
        'lines[2].ref': 'WIFI-2',
        'lines[2].title': 'Captive portal',
        'lines[2].role': 'engineer',
        'lines[2].hours': 'three',
      })
      .expect(400);
    expect(unreadable.text).toMatch(
      /<input type="text" value="three"[^>]*name="lines\[1\]\.hours"[^>]*aria-invalid="true"/,
    );
    expect(unreadable.text).toContain('id="assess-lines-1-hours-error">Hours must be a number of hours');
    expect(unreadable.text).toContain('value="Captive portal"');

    // A rule of the domain (422) lands on its field the same way.
    const unknownRole = await agent
      .post(`/app/projects/${id}/change-requests/${crId}/assessment`)
      .type('form')
      .send({
        _csrf: csrf,
        'lines[0].op': 'add',
        'lines[0].ref': 'WIFI-1',
        'lines[0].title': 'Guest SSID',
        'lines[0].role': 'plumber',
        'lines[0].hours': '3',
      })
      .expect(422);
    expect(unknownRole.text).toMatch(
      /id="assess-lines-0-role-error">Role plumber is not on the project&#39;s rate card/,
    );

    const fixedCost = await agent
      .post(`/app/projects/${id}/change-requests/${crId}/assessment`)
      .type('form')
      .send({
        _csrf: csrf,
        'lines[0].op': 'add',
        'lines[0].ref': 'WIFI-1',
        'lines[0].title': 'Access points',
        'lines[0].role': 'engineer',
        'lines[0].fixedCost': '12.345',
      })
      .expect(400);
    expect(fixedCost.text).toContain(
      'id="assess-lines-0-fixedCost-error">Enter an amount in USD with at most 2 decimals',
    );

    // Amounts are typed in the currency, not in cents.
    await agent
      .post(`/app/projects/${id}/change-requests/${crId}/assessment`)
      .type('form')
      .send({
        _csrf: csrf,
        'lines[0].op': 'add',
        'lines[0].ref': 'WIFI-1',
        'lines[0].title': 'Access points',
        'lines[0].role': 'engineer',
        'lines[0].hours': '2.5',
        'lines[0].fixedCost': '1,299.00',
        'schedule[0].milestone': 'M2',
        'schedule[0].workingDays': '2',
      })
      .expect(303);
    const assessed = (await t.api.get(`/api/projects/${id}/change-requests/${crId}`).expect(200)).body;
    expect(assessed.assessment.costDelta).toBe(2.5 * 15000 + 129900);
    expect(assessed.assessment.schedule).toEqual([{ milestone: 'M2', workingDays: 2 }]);
  });

  it("corrects a request's title from its page, and shows a refused correction next to its field", async () => {
    const id = await openProject();
    const { agent, csrf } = await signIn(pmKey);
    const logged = await t.api
      .post(`/api/projects/${id}/change-requests`, {
        title: 'Guest WiFi',
        description: 'Asked on the phone',
        source: 'phone',
        requestedBy: { name: 'Dana', email: 'dana@northwind.example' },
      })
      .expect(201);
    const page = `/app/projects/${id}/change-requests/${logged.body.id}`;
    expect((await agent.get(page).expect(200)).text).toContain('Correct the title or description');

    const empty = await agent
      .post(`${page}/amend`)
      .type('form')
      .send({ _csrf: csrf, title: '', description: 'Asked on the phone' })
      .expect(400);
    expect(empty.text).toMatch(/id="amend-title-error">Title should not be empty/);

    const saved = await agent
      .post(`${page}/amend`)
      .type('form')
      .send({ _csrf: csrf, title: 'Guest Wi-Fi with a captive portal', description: 'Asked on the phone' })
      .expect(303);
    expect(saved.headers.location).toBe(`/app/projects/${id}?done=amended&ref=CR-1#requests`);
    expect((await agent.get(saved.headers.location).expect(200)).text).toContain('CR-1 corrected.');
    const request = (await t.api.get(`/api/projects/${id}/change-requests/${logged.body.id}`).expect(200)).body;
    expect(request.title).toBe('Guest Wi-Fi with a captive portal');
  });

  it('shows the WIP limit refusal on the card that could not move', async () => {
    const id = await openProject();
    const { agent, csrf } = await signIn(pmKey);
    await agent
      .post(`/app/projects/${id}/board/wip-limits`)
      .type('form')
      .send({ _csrf: csrf, 'limits.ready': '1' })
      .expect(303);
    await agent
      .post(`/app/projects/${id}/board/cards/C-1/move`)
      .type('form')
      .send({ _csrf: csrf, to: 'ready' })
      .expect(303);
    const refused = await agent
      .post(`/app/projects/${id}/board/cards/C-2/move`)
      .type('form')
      .send({ _csrf: csrf, to: 'ready' })
      .expect(303);
    // The refusal lands on the board's own address: a refresh shows it again and moves nothing.
    expect(refused.headers.location).toBe(`/app/projects/${id}/board?refused=move&card=C-2&to=ready#card-C-2`);
    const board = await agent.get(refused.headers.location.split('#')[0]).expect(200);
    expect(board.text).toMatch(
      new RegExp(
        String.raw`<article class="card" id="card-C-2"[^>]*>[\s\S]*?` +
          '<p class="card-error" role="alert">WIP limit reached: Ready holds at most 1 card</p>',
      ),
    );
    const api = await request(t.http).get(`/api/projects/${id}/board`).set('Authorization', `Bearer ${pmKey}`);
    expect(api.body.columns.find((c: { column: string }) => c.column === 'ready').cards).toHaveLength(1);
    // Once the limit allows it, the same address shows no stale error.
    await agent
      .post(`/app/projects/${id}/board/wip-limits`)
      .type('form')
      .send({ _csrf: csrf, 'limits.ready': '' })
      .expect(303);
    const later = await agent.get(refused.headers.location.split('#')[0]).expect(200);
    expect(later.text).not.toContain('card-error');
    const limits = await agent
      .post(`/app/projects/${id}/board/wip-limits`)
      .type('form')
      .send({ _csrf: csrf, 'limits.review': 'two' })
      .expect(400);
    expect(limits.text).toContain('id="limits-limits-review-error">A WIP limit is a whole number');
  });

  it('escapes HTML and script in names on every page', async () => {
    const id = await openProject(NASTY, `${NASTY} client`);
    const request1 = await t.api
      .post(`/api/projects/${id}/change-requests`, {
        title: NASTY,
        description: NASTY,
        source: 'email',
        requestedBy: { name: NASTY, email: 'x@northwind.example' },
      })
      .expect(201);
    await t.api
      .post(`/api/projects/${id}/change-requests/${request1.body.id}/assessment`, {
        lines: [{ op: 'add', ref: 'X-1', title: NASTY, role: 'engineer', hours: 2 }],
        notes: NASTY,
      })
      .expect(200);
    const order = await t.api
      .post(`/api/projects/${id}/change-orders`, {
        changeRequestIds: [request1.body.id],
        signer: { name: NASTY, email: 'signer@northwind.example' },
      })
      .expect(201);
    const issued = await t.api.post(`/api/projects/${id}/change-orders/${order.body.id}/issue`).expect(200);
    const token = new URL(issued.body.signingUrl).pathname.split('/').pop();
    await readAndConsent(t.http, `/sign/${token}`);
    await request(t.http)
      .post(`/sign/${token}`)
      .send({ name: 'Dana Whitfield', documentSha256: issued.body.documentSha256 })
      .expect(200);
    await t.api
      .post(`/api/projects/${id}/change-requests`, {
        title: 'Second',
        description: '',
        source: 'email',
        requestedBy: { name: 'A', email: 'a@northwind.example' },
      })
      .expect(201);

    const { agent } = await signIn(pmKey);
    const finance = await signIn(financeKey);
    const pages: [Agent, string][] = [
      [agent, '/app'],
      [agent, `/app/projects/${id}`],
      [agent, `/app/projects/${id}?asOf=${encodeURIComponent(new Date().toISOString())}`],
      [agent, `/app/projects/${id}/change-requests/${request1.body.id}`],
      [agent, `/app/projects/${id}/board`],
      [agent, `/app/projects/${id}/audit`],
      [finance.agent, '/app/finance'],
    ];
    for (const [who, path] of pages) {
      const page = await who.get(path).expect(200);
      expect({ path, raw: page.text.includes('<script>alert') || page.text.includes('<b>bold</b>') }).toEqual({
        path,
        raw: false,
      });
      expect(page.text).toContain(
        '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;',
      );
    }
  });

  it("shows an awaiting order's signing link only to whoever issued it and to admins", async () => {
    const id = await openProject('Signing links for the sender only');
    const asPm = (method: 'post', path: string, body?: object) =>
      request(t.http)[method](path).set('Authorization', `Bearer ${pmKey}`).send(body);
    const logged = await asPm('post', `/api/projects/${id}/change-requests`, {
      title: 'Guest Wi-Fi',
      description: '',
      source: 'email',
      requestedBy: { name: 'Dana', email: 'dana@northwind.example' },
    }).expect(201);
    await asPm('post', `/api/projects/${id}/change-requests/${logged.body.id}/assessment`, {
      lines: [{ op: 'add', ref: 'WIFI-1', title: 'Guest Wi-Fi', role: 'engineer', hours: 2 }],
    }).expect(200);
    const order = await asPm('post', `/api/projects/${id}/change-orders`, {
      changeRequestIds: [logged.body.id],
      signer: { name: 'Dana Whitfield', email: 'dana@northwind.example' },
    }).expect(201);
    const issued = await asPm('post', `/api/projects/${id}/change-orders/${order.body.id}/issue`).expect(200);
    const link = issued.body.signingUrl as string;

    const sender = await signIn(pmKey);
    expect((await sender.agent.get(`/app/projects/${id}`).expect(200)).text).toContain(`value="${link}"`);
    const admin = await signIn((await t.server.apiKeys.create('Another admin', 'admin')).key);
    expect((await admin.agent.get(`/app/projects/${id}`).expect(200)).text).toContain(`value="${link}"`);

    const colleague = await signIn(await t.keyFor('pm'));
    const seen = (await colleague.agent.get(`/app/projects/${id}`).expect(200)).text;
    expect(seen).not.toContain(new URL(link).pathname);
    expect(seen).toContain('The signing link went to Dana Whitfield; only whoever');
  });

  it('sets strict security headers on pages', async () => {
    const { agent } = await signIn(pmKey);
    const page = await agent.get('/app').expect(200);
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBeDefined();
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).not.toMatch(/<script>|style="/);
    const signIn_ = await request(t.http).get('/app/sign-in').expect(200);
    expect(signIn_.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // A path under /app that no page answers gets the pages' policy too, not the API's.
    const unknown = await agent.get('/app/no-such-page').expect(404);
    expect(unknown.headers['content-security-policy']).toBe(csp);
    expect(unknown.headers['x-frame-options']).toBe('DENY');
    expect(unknown.headers['cache-control']).toBe('no-store');
    expect(unknown.headers['x-powered-by']).toBeUndefined();
  });

  it(
    'lets finance filter signed orders, record an invoice and download the CSV with the session; ' + 'a PM may not',
    async () => {
      const id = await openProject('Fabrikam M365 migration', 'Fabrikam');
      const cr = await t.api
        .post(`/api/projects/${id}/change-requests`, {
          title: 'Shared mailbox',
          description: '',
          source: 'email',
          requestedBy: { name: 'Lee', email: 'lee@fabrikam.example' },
        })
        .expect(201);
      await t.api
        .post(`/api/projects/${id}/change-requests/${cr.body.id}/assessment`, {
          lines: [{ op: 'add', ref: 'MBX-1', title: 'Shared mailbox', role: 'engineer', hours: 2 }],
        })
        .expect(200);
      const order = await t.api
        .post(`/api/projects/${id}/change-orders`, {
          changeRequestIds: [cr.body.id],
          signer: { name: 'Lee', email: 'lee@fabrikam.example' },
        })
        .expect(201);
      const issued = await t.api.post(`/api/projects/${id}/change-orders/${order.body.id}/issue`).expect(200);
      await readAndConsent(t.http, new URL(issued.body.signingUrl).pathname);
      await request(t.http)
        .post(new URL(issued.body.signingUrl).pathname)
        .send({ name: 'Lee', documentSha256: issued.body.documentSha256 })
        .expect(200);

      const { agent, csrf } = await signIn(financeKey);
      const list = await agent.get('/app/finance?client=Fabrikam').expect(200);
      expect(list.text).toContain('Fabrikam M365 migration');
      expect(list.text).toContain('USD 300.00');
      const tooMuch = await agent
        .post(`/app/finance/change-orders/${order.body.id}/invoices?client=Fabrikam`)
        .type('form')
        .send({ _csrf: csrf, invoiceNumber: 'INV-1', amount: '400' })
        .expect(409);
      expect(tooMuch.text).toMatch(/id="invoice-[0-9a-f-]+-amount"|Invoice exceeds the signed value/);
      const recorded = await agent
        .post(`/app/finance/change-orders/${order.body.id}/invoices?client=Fabrikam`)
        .type('form')
        .send({ _csrf: csrf, invoiceNumber: 'INV-1', amount: '100.00' })
        .expect(303);
      expect(recorded.headers.location).toMatch(/^\/app\/finance\?client=Fabrikam&done=invoice&ref=CO-1/);

      const pdf = await agent.get(`/app/projects/${id}/change-orders/${order.body.id}/pdf`).buffer(true).expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toBe('inline; filename="CO-1-signed.pdf"');
      expect(pdf.headers['content-security-policy']).toContain("frame-ancestors 'self'");

      const csv = await agent.get('/app/finance/export.csv?client=Fabrikam').expect(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/attachment/);
      expect(csv.text.startsWith('\uFEFFproject,client,number,')).toBe(true);
      expect(csv.text).toMatch(
        /Fabrikam M365 migration,Fabrikam,CO-1,.*,USD,300\.00,100\.00,200\.00,0\.00,INV-1 \d{4}-\d\d-\d\d 100\.00,/,
      );
      await request(t.http).get('/app/finance/export.csv').expect(303);

      const pm = await signIn(pmKey);
      const refused = await pm.agent.get('/app/finance').expect(403);
      expect(refused.text).toContain('needs the finance role');
      expect((await pm.agent.get('/app').expect(200)).text).not.toContain('href="/app/finance"');
    },
  );

  it('answers unknown projects, bad moments and other roles with readable pages', async () => {
    const id = await openProject();
    const pm = await signIn(pmKey);
    const missing = await pm.agent.get('/app/projects/6f1c0a52-8d0e-4c67-9a53-0c1f2a3b4c5d').expect(404);
    expect(missing.headers['content-type']).toMatch(/text\/html/);
    expect(missing.text).toContain('Back to the portfolio');
    await pm.agent.get('/app/projects/not-a-uuid').expect(404);

    const badMoment = await pm.agent.get(`/app/projects/${id}?asOf=yesterday`).expect(400);
    expect(badMoment.text).toMatch(
      /<input type="datetime-local" id="as-of-asOf" name="asOf"[^>]*value="yesterday"[^>]*aria-invalid="true"/,
    );
    const beforeOpening = await pm.agent.get(`/app/projects/${id}?asOf=2001-01-01T00:00`).expect(400);
    expect(beforeOpening.text).toContain('id="as-of-asOf-error">The project did not exist yet at that moment');

    const finance = await signIn(financeKey);
    const readOnly = await finance.agent.get(`/app/projects/${id}`).expect(200);
    expect(readOnly.text).not.toContain('Log a client request');
    const refused = await finance.agent
      .post(`/app/projects/${id}/change-requests`)
      .type('form')
      .send({
        _csrf: finance.csrf,
        title: 'Sneaky',
        description: '',
        source: 'email',
        'requestedBy.name': 'F',
        'requestedBy.email': 'f@northwind.example',
      })
      .expect(403);
    expect(refused.text).toContain('needs the pm role');
  });

  it('ends the session on sign-out and when the key is revoked', async () => {
    const { agent, csrf } = await signIn(pmKey);
    await agent.post('/app/sign-out').type('form').send({ _csrf: csrf }).expect(303);
    await agent.get('/app').expect(303);

    const created = await t.api.post('/api/admin/api-keys', { name: 'Temp PM', role: 'pm' }).expect(201);
    const temp = await signIn(created.body.key);
    await temp.agent.get('/app').expect(200);
    await t.api.delete(`/api/admin/api-keys/${created.body.id}`).expect(204);
    await temp.agent.get('/app').expect(303);
  });
});
