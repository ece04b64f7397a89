import request from 'supertest';
import { generate } from 'otplib';
import { smallProject } from '../api/api-helpers';
import { startTestServer, TestServer } from '../support/test-server';
import { csrfOf, setUpOwner, signedInWithPassword } from '../support/staff-session';

const OWNER = { name: 'Ana Oliveira', email: 'ana@northwind-it.example', password: 'correct horse battery staple' };
const BEN = { name: 'Ben Carter', email: 'ben@northwind-it.example', password: 'a long passphrase for ben' };

/** Posts the sign-in form as a browser would: a fresh form, then the fields. */
async function postSignIn(t: TestServer, fields: Record<string, string>) {
  const agent = request.agent(t.http);
  const form = await agent.get('/app/sign-in').expect(200);
  const response = await agent
    .post('/app/sign-in')
    .type('form')
    .send({ _csrf: csrfOf(form.text), ...fields });
  return { agent, response };
}

describe('local accounts: setup, passwords, TOTP and deactivation', () => {
  let t: TestServer;
  let owner: Awaited<ReturnType<typeof setUpOwner>>;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens /setup on a fresh data folder, refuses two different passwords, and creates the owner', async () => {
    expect(await t.server.staffUsers.hasActiveAdmin()).toBe(false);
    const link = await request(t.http).get('/setup').expect(303);
    expect(link.headers.location).toBe('/app/setup');

    const agent = request.agent(t.http);
    const form = await agent.get('/app/setup').expect(200);
    expect(form.text).toContain('Create the owner account');
    const differing = await agent
      .post('/app/setup')
      .type('form')
      .send({ _csrf: csrfOf(form.text), ...OWNER, passwordAgain: 'something else entirely' })
      .expect(422);
    expect(differing.text).toContain('The two passwords differ');
    expect(differing.text).not.toContain(OWNER.password);

    owner = await setUpOwner(t, OWNER);
    const home = await owner.agent.get('/app').expect(200);
    expect(home.text).toContain('Ana Oliveira');
    expect(home.text).toMatch(/<span class="role">admin<\/span>/);

    // Setup is over: the page sends people on, and nobody else becomes owner.
    expect((await request(t.http).get('/app/setup').expect(303)).headers.location).toBe('/app');
    const users = await t.api.get('/api/admin/users').expect(200);
    expect(users.body).toEqual([
      expect.objectContaining({
        name: 'Ana Oliveira',
        email: OWNER.email,
        role: 'admin',
        active: true,
        password: true,
      }),
    ]);
    expect(JSON.stringify(users.body)).not.toContain('argon2');
  });

  it('keeps secrets out of the event stream: it says only that a password was set', async () => {
    const events = await t.server.platform.store.readStream('staff');
    expect(events.map((e) => e.type)).toEqual(['StaffUserAdded', 'LocalPasswordSet']);
    expect(events[1].data).toEqual({ userId: events[0].data.userId, setAt: expect.any(String) });
    expect(events[0].metadata.actor).toEqual({ kind: 'staff', id: events[0].data.userId, name: 'Ana Oliveira' });
    expect(JSON.stringify(events.map((e) => [e.data, e.metadata]))).not.toContain(OWNER.password);
  });

  it('adds a user who chooses a password through a one-time link, then signs in with it', async () => {
    const added = await t.api.post('/api/admin/users', {
      name: BEN.name,
      email: 'Ben@Northwind-IT.example',
      role: 'pm',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ email: BEN.email, role: 'pm', password: false, totp: false });
    const token = new URL(added.body.passwordLink).searchParams.get('token')!;

    const agent = request.agent(t.http);
    const form = await agent.get(`/app/set-password?token=${token}`).expect(200);
    expect(form.text).toContain('For Ben Carter (ben@northwind-it.example)');
    await agent
      .post('/app/set-password')
      .type('form')
      .send({ _csrf: csrfOf(form.text), token, password: BEN.password, passwordAgain: BEN.password })
      .expect(303);
    expect((await agent.get('/app').expect(200)).text).toContain('Ben Carter');
    // The link worked once.
    await request(t.http).get(`/app/set-password?token=${token}`).expect(410);

    const duplicate = await t.api.post('/api/admin/users', { name: 'Ben C', email: BEN.email, role: 'finance' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.detail).toBe('ben@northwind-it.example already belongs to Ben Carter; emails are unique');

    const signedIn = await signedInWithPassword(t, BEN);
    expect((await signedIn.agent.get('/app').expect(200)).text).toContain('Ben Carter');
  });

  it('answers a wrong password 401; after 10 failures the account waits 15 minutes, right or not', async () => {
    const wrong = await postSignIn(t, { email: BEN.email, password: 'not the password at all' });
    expect(wrong.response.status).toBe(401);
    expect(wrong.response.text).toContain('The email or password is wrong.');
    expect(wrong.response.text).toContain('value="ben@northwind-it.example"');
    for (let failure = 2; failure <= 10; failure++) {
      expect((await postSignIn(t, { email: BEN.email, password: `wrong guess ${failure}` })).response.status).toBe(401);
    }
    const refused = await postSignIn(t, { email: 'BEN@northwind-it.example', password: BEN.password });
    expect(refused.response.status).toBe(429);
    expect(Number(refused.response.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(refused.response.text).toMatch(/Too many failed sign-ins for this account; try again in 1[45] minutes\./);
    // Another account from the same address is not affected.
    expect((await postSignIn(t, { email: OWNER.email, password: OWNER.password })).response.status).toBe(303);
    await t.server.platform.sql.query(`DELETE FROM credential_failures WHERE key LIKE 'account%'`);
  });

  it('enrols an authenticator app, then asks for its code at sign-in and accepts each code once', async () => {
    const { agent, csrf } = await signedInWithPassword(t, OWNER);
    await agent.post('/app/account/totp').type('form').send({ _csrf: csrf }).expect(303);
    const page = await agent.get('/app/account').expect(200);
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page.text)![1];
    expect(page.text).toContain(`otpauth://totp/Scope%20Ledger:ana%40northwind-it.example?secret=${secret}`);

    const wrong = await agent.post('/app/account/totp/confirm').type('form').send({ _csrf: csrf, code: '000000' });
    expect(wrong.status).toBe(422);
    const code = await generate({ secret });
    const confirmed = await agent.post('/app/account/totp/confirm').type('form').send({ _csrf: csrf, code });
    expect(confirmed.status).toBe(303);
    expect((await agent.get('/app/account').expect(200)).text).toContain('On since');

    const noCode = await postSignIn(t, { email: OWNER.email, password: OWNER.password });
    expect(noCode.response.status).toBe(401);
    expect(noCode.response.text).toContain('Enter the 6-digit code your authenticator app shows.');
    // The code that confirmed the app is used up; the next period's is accepted once.
    const replayed = await postSignIn(t, { email: OWNER.email, password: OWNER.password, code });
    expect(replayed.response.status).toBe(401);
    const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect((await postSignIn(t, { email: OWNER.email, password: OWNER.password, code: next })).response.status).toBe(
      303,
    );
    expect((await postSignIn(t, { email: OWNER.email, password: OWNER.password, code: next })).response.status).toBe(
      401,
    );
    await t.server.platform.sql.query(`DELETE FROM credential_failures WHERE key LIKE 'account%'`);

    const events = await t.server.platform.store.readStream('staff');
    expect(events.at(-1)!.type).toBe('TotpEnrolled');
    expect(JSON.stringify(events.map((e) => [e.data, e.metadata]))).not.toContain(secret);
  });

  it('names the user in events made with their key; deactivating them ends their sessions and keys', async () => {
    const benSession = await signedInWithPassword(t, BEN);
    const users = (await t.api.get('/api/admin/users').expect(200)).body as { id: string; email: string }[];
    const ben = users.find((u) => u.email === BEN.email)!;
    // An owned key: created by the owner through her own session's admin rights would also do; here Ben owns it.
    const key = (await t.server.apiKeys.create('Ben’s integration', 'pm', undefined, ben.id)).key;
    const opened = await request(t.http)
      .post('/api/projects')
      .set('Authorization', `Bearer ${key}`)
      .send(smallProject('Contoso firewall refresh'))
      .expect(201);
    const events = await t.api.get(`/api/projects/${opened.body.id}/events`).expect(200);
    expect(events.body[0].actor).toMatchObject({ kind: 'staff', id: ben.id, name: 'Ben Carter', via: 'api-key' });

    // A key may not act above its owner's role.
    const adminKeyOfPm = (await t.server.apiKeys.create('Too strong', 'admin', undefined, ben.id)).key;
    await request(t.http).get('/api/admin/users').set('Authorization', `Bearer ${adminKeyOfPm}`).expect(401);

    const deactivated = await t.api.post(`/api/admin/users/${ben.id}/deactivate`).expect(200);
    expect(deactivated.body).toMatchObject({ active: false });
    expect((await benSession.agent.get('/app').expect(303)).headers.location).toBe('/app/sign-in');
    await request(t.http).get('/api/projects').set('Authorization', `Bearer ${key}`).expect(401);
    expect((await postSignIn(t, BEN)).response.status).toBe(401);

    await t.api.post(`/api/admin/users/${ben.id}/reactivate`).expect(200);
    await request(t.http).get('/api/projects').set('Authorization', `Bearer ${key}`).expect(200);
  });

  it('refuses deactivating or demoting the last active admin, appending nothing', async () => {
    const users = (await t.api.get('/api/admin/users').expect(200)).body as { id: string; email: string }[];
    const ana = users.find((u) => u.email === OWNER.email)!;
    const before = (await t.server.platform.store.readStream('staff')).length;
    const refused = await t.api.post(`/api/admin/users/${ana.id}/deactivate`).expect(409);
    expect(refused.body.detail).toBe(
      'Ana Oliveira is the last active admin and cannot be deactivated; make another user admin first',
    );
    await t.api.patch(`/api/admin/users/${ana.id}`, { role: 'finance' }).expect(409);
    expect((await t.server.platform.store.readStream('staff')).length).toBe(before);
  });

  it('lists users on the admin page and adds one there, showing the password link once', async () => {
    const page = await owner.agent.get('/app/admin/users').expect(200);
    expect(page.text).toContain('ben@northwind-it.example');
    const added = await owner.agent
      .post('/app/admin/users')
      .type('form')
      .send({ _csrf: owner.csrf, name: 'Chloé Martin', email: 'chloe@northwind-it.example', role: 'finance' })
      .expect(200);
    expect(added.text).toContain('Chloé Martin was added.');
    expect(added.text).toMatch(/id="password-link">http:\/\/localhost:\d+\/app\/set-password\?token=[\w-]{43}</);
  });

  it('makes a key on the admin keys page that belongs to the admin who made it', async () => {
    const made = await owner.agent
      .post('/app/admin/keys')
      .type('form')
      .send({ _csrf: owner.csrf, name: 'Ana’s reporting script', role: 'finance' })
      .expect(201);
    const key = /value="(sl_[\w-]+)"/.exec(made.text)![1];
    const outbox = await request(t.http).get('/api/outbox').set('Authorization', `Bearer ${key}`);
    expect(outbox.status).toBe(403);
    await request(t.http).get('/api/finance/change-orders').set('Authorization', `Bearer ${key}`).expect(200);
    const keys = (await t.api.get('/api/admin/api-keys').expect(200)).body as { name: string; ownerUserId: string }[];
    const ana = (await t.server.staffUsers.findByEmail(OWNER.email))!;
    expect(keys.find((k) => k.name === 'Ana’s reporting script')?.ownerUserId).toBe(ana.userId);
  });
});
