import { startTestServer, TestServer } from '../support/test-server';
import { Agent, signedInAgent } from '../support/staff-session';

describe('the project settings page', () => {
  let t: TestServer;
  let agent: Agent;
  let csrf: string;
  let id: string;

  beforeAll(async () => {
    t = await startTestServer();
    ({ agent, csrf } = await signedInAgent(t, 'pm'));
    const opened = await t.api
      .post('/api/projects', {
        name: 'Northwind network refresh',
        client: { name: 'Northwind Traders', email: 'it@northwind.example' },
        currency: 'USD',
        rates: { engineer: 15000 },
        startDate: '2026-03-02',
      })
      .expect(201);
    id = opened.body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const settingsForm = (changes: Record<string, string> = {}) => ({
    _csrf: csrf,
    name: 'Northwind network refresh',
    'client.name': 'Northwind Traders',
    'client.email': 'it@northwind.example',
    'financeContact.name': '',
    'financeContact.email': '',
    'manager.name': '',
    'manager.email': '',
    holidays: '',
    defaultExpiryDays: '',
    timeZone: '',
    'rates[0].role': 'engineer',
    'rates[0].rate': '150.00',
    ...changes,
  });

  it('is linked from the project page and saves the settings, then says so', async () => {
    const project = await agent.get(`/app/projects/${id}`).expect(200);
    expect(project.text).toContain(`href="/app/projects/${id}/settings"`);

    const saved = await agent
      .post(`/app/projects/${id}/settings`)
      .type('form')
      .send(
        settingsForm({
          name: 'Northwind branch refresh',
          'financeContact.name': 'Lee Park',
          'financeContact.email': 'ap@northwind.example',
          holidays: '2026-04-03',
          defaultExpiryDays: '21',
          timeZone: 'America/Chicago',
          'rates[0].rate': '160.00',
        }),
      )
      .expect(303);
    expect(saved.headers.location).toBe(`/app/projects/${id}/settings?done=saved`);
    const page = await agent.get(saved.headers.location).expect(200);
    expect(page.text).toContain('Settings saved.');
    expect(page.text).toContain('value="Northwind branch refresh"');
    expect(page.text).toContain('value="Lee Park"');
    expect(page.text).toContain('value="America/Chicago"');
    expect(page.text).toContain('value="160.00"');
    const summary = await t.api.get(`/api/projects/${id}`).expect(200);
    expect(summary.body).toMatchObject({
      name: 'Northwind branch refresh',
      financeContact: { name: 'Lee Park', email: 'ap@northwind.example' },
      rates: { engineer: 16000 },
      defaultExpiryDays: 21,
      timeZone: 'America/Chicago',
    });
  });

  it('shows each refused field beside its input and keeps what was typed', async () => {
    const refused = await agent
      .post(`/app/projects/${id}/settings`)
      .type('form')
      .send(settingsForm({ name: 'Kept as typed', timeZone: 'Mars/Olympus', defaultExpiryDays: '400' }))
      .expect(400);
    expect(refused.text).toMatch(/<p class="field-error" id="settings-timeZone-error">[^<]*IANA/);
    expect(refused.text).toMatch(/<p class="field-error" id="settings-defaultExpiryDays-error">[^<]*365/);
    expect(refused.text).toContain('value="Kept as typed"');
    expect((await t.api.get(`/api/projects/${id}`)).body.name).toBe('Northwind branch refresh');
  });

  it('refuses a save over a change someone else made after the page was opened, and says so on the page', async () => {
    const versionOn = (page: string) => /<input type="hidden" name="version" value="(\d+)">/.exec(page)?.[1];
    const opened = versionOn((await agent.get(`/app/projects/${id}/settings`).expect(200)).text);
    const etag = (await t.api.get(`/api/projects/${id}`).expect(200)).headers.etag as string;
    expect(opened).toBe(etag.replace(/\D/g, ''));

    // A second PM, in another tab, saves a new name first.
    const other = await signedInAgent(t, 'pm');
    const otherPage = await other.agent.get(`/app/projects/${id}/settings`).expect(200);
    await other.agent
      .post(`/app/projects/${id}/settings`)
      .type('form')
      .send({ ...settingsForm({ name: 'Renamed by Lee' }), _csrf: other.csrf, version: versionOn(otherPage.text)! })
      .expect(303);

    const stale = settingsForm({ name: 'Renamed by Sam', version: opened! });
    const refused = await agent.post(`/app/projects/${id}/settings`).type('form').send(stale).expect(412);
    expect(refused.text).toContain(
      'Someone else changed this project after you opened this page, so nothing was saved.',
    );
    expect(refused.text).toContain('value="Renamed by Sam"');
    expect((await t.api.get(`/api/projects/${id}`)).body.name).toBe('Renamed by Lee');

    // The refused form now carries the version it was refused against: saving it again is a deliberate choice.
    const again = versionOn(refused.text)!;
    expect(Number(again)).toBeGreaterThan(Number(opened));
    await agent
      .post(`/app/projects/${id}/settings`)
      .type('form')
      .send({ ...stale, version: again })
      .expect(303);
    expect((await t.api.get(`/api/projects/${id}`)).body.name).toBe('Renamed by Sam');
    await t.api.patch(`/api/projects/${id}`, { name: 'Northwind branch refresh' }).expect(200);
  });

  it("after a refused save, saving again keeps a colleague's changes to settings the user left alone", async () => {
    const opened = await t.api
      .post('/api/projects', {
        name: 'Contoso Wi-Fi survey',
        client: { name: 'Contoso', email: 'it@contoso.example' },
        currency: 'USD',
        rates: { engineer: 15000 },
        startDate: '2026-03-02',
      })
      .expect(201);
    const project = opened.body.id as string;
    const url = `/app/projects/${project}/settings`;
    /** What a browser would post from the settings form on a page: every input and textarea as rendered. */
    const formOn = (page: string): Record<string, string> => {
      const start = page.indexOf(`action="${url}"`);
      const form = page.slice(start, page.indexOf('</form>', start));
      const values: Record<string, string> = {};
      for (const [tag] of form.matchAll(/<input [^>]*>/g)) {
        const name = /name="([^"]*)"/.exec(tag)?.[1];
        if (name) values[name] = (/value="([^"]*)"/.exec(tag)?.[1] ?? '').replace(/&lt;/g, '<').replace(/&amp;/g, '&');
      }
      for (const [, name, text] of form.matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([^<]*)<\/textarea>/g)) {
        values[name] = text;
      }
      return values;
    };

    // Two tabs open the settings; the first sets "Days to sign" to 10 and renames the project.
    const other = await signedInAgent(t, 'pm');
    const firstTab = formOn((await other.agent.get(url).expect(200)).text);
    const secondTab = formOn((await agent.get(url).expect(200)).text);
    expect(secondTab).toMatchObject({ defaultExpiryDays: '', 'manager.name': '', name: 'Contoso Wi-Fi survey' });
    await other.agent
      .post(url)
      .type('form')
      .send({ ...firstTab, defaultExpiryDays: '10', name: 'Contoso Wi-Fi refresh' })
      .expect(303);

    // The second tab names a manager and also renames the project: refused, nothing saved.
    const refused = await agent
      .post(url)
      .type('form')
      .send({ ...secondTab, 'manager.name': 'Dana Cole', 'manager.email': 'dana@msp.example', name: 'Contoso Wi-Fi' })
      .expect(412);
    expect((await t.api.get(`/api/projects/${project}`)).body).toMatchObject({
      name: 'Contoso Wi-Fi refresh',
      defaultExpiryDays: 10,
    });
    // The page says what the colleague changed, with the new values.
    expect(refused.text).toContain('Changed by someone else since you opened this page');
    expect(refused.text).toContain('<strong>Days to sign</strong>: now 10 (now in the form)');
    expect(refused.text).toContain(
      '<strong>Project name</strong>: now Contoso Wi-Fi refresh (you changed it too: the form keeps your value)',
    );
    expect(refused.text).not.toContain('<strong>Project manager</strong>');
    // The form shows the colleague's value where this user changed nothing, and this user's where they did.
    const again = formOn(refused.text);
    expect(again).toMatchObject({
      defaultExpiryDays: '10',
      name: 'Contoso Wi-Fi',
      'manager.name': 'Dana Cole',
      'manager.email': 'dana@msp.example',
    });

    // Saving it again applies this user's changes and keeps the 10 days the colleague set.
    await agent.post(url).type('form').send(again).expect(303);
    expect((await t.api.get(`/api/projects/${project}`)).body).toMatchObject({
      name: 'Contoso Wi-Fi',
      manager: { name: 'Dana Cole', email: 'dana@msp.example' },
      defaultExpiryDays: 10,
      rates: { engineer: 15000 },
    });
  });

  it('says no setting changed when the project moved on elsewhere, and saves the form again as typed', async () => {
    const versionOn = (page: string) => /<input type="hidden" name="version" value="(\d+)">/.exec(page)?.[1];
    const opened = versionOn((await agent.get(`/app/projects/${id}/settings`).expect(200)).text)!;
    const current = (await t.api.get(`/api/projects/${id}`).expect(200)).body;
    await t.api
      .post(`/api/projects/${id}/change-requests`, {
        title: 'Guest Wi-Fi',
        description: 'Asked on the phone',
        source: 'phone',
        requestedBy: { name: 'Jo Park', email: 'jo@northwind.example' },
      })
      .expect(201);
    const form = settingsForm({
      name: current.name,
      'financeContact.name': current.financeContact?.name ?? '',
      'financeContact.email': current.financeContact?.email ?? '',
      holidays: current.holidays.join('\n'),
      defaultExpiryDays: String(current.defaultExpiryDays ?? ''),
      timeZone: current.timeZone ?? '',
      'rates[0].rate': (current.rates.engineer / 100).toFixed(2),
      'manager.name': 'Kim Vos',
      'manager.email': 'kim@msp.example',
      version: opened,
    });
    const refused = await agent.post(`/app/projects/${id}/settings`).type('form').send(form).expect(412);
    expect(refused.text).toContain('No setting changed since you opened this page');
    expect(refused.text).toContain('value="Kim Vos"');
    await agent
      .post(`/app/projects/${id}/settings`)
      .type('form')
      .send({ ...form, version: versionOn(refused.text)! })
      .expect(303);
    const { name, client, financeContact, holidays, rates, defaultExpiryDays, timeZone } = current;
    expect((await t.api.get(`/api/projects/${id}`)).body).toMatchObject({
      ...{ name, client, financeContact, holidays, rates, defaultExpiryDays, timeZone },
      manager: { name: 'Kim Vos', email: 'kim@msp.example' },
    });
  });

  it('suggests time zones on the time-zone field', async () => {
    const page = await agent.get(`/app/projects/${id}/settings`).expect(200);
    expect(page.text).toMatch(/<input [^>]*name="timeZone"[^>]*list="time-zones"/);
    expect(page.text).toContain('<datalist id="time-zones">');
    expect(page.text).toContain('<option value="Pacific/Auckland"></option>');
  });

  it('closes, archives and reopens the project with its buttons', async () => {
    const closed = await agent
      .post(`/app/projects/${id}/settings/close`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    expect((await agent.get(closed.headers.location).expect(200)).text).toContain('Project closed.');
    const project = await agent.get(`/app/projects/${id}`).expect(200);
    expect(project.text).toContain('<strong>closed</strong>: no new requests or orders until reopened');
    await agent.post(`/app/projects/${id}/settings/archive`).type('form').send({ _csrf: csrf }).expect(303);
    const portfolio = await agent.get('/app').expect(200);
    expect(portfolio.text).not.toContain('Northwind branch refresh');
    // The portfolio shows archived projects on request, marked as such, and hides them again.
    expect(portfolio.text).toContain('href="/app?sort=risk&amp;archived=true">Show archived projects</a>');
    const withArchived = await agent.get('/app?sort=risk&archived=true').expect(200);
    expect(withArchived.text).toMatch(/Northwind branch refresh<\/a> <span class="badge [^"]*">archived<\/span>/);
    expect(withArchived.text).toContain('href="/app?sort=risk">Hide archived projects</a>');
    expect(withArchived.text).toContain('href="/app?sort=name&amp;archived=true"');
    const twice = await agent.post(`/app/projects/${id}/settings/archive`).type('form').send({ _csrf: csrf });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('already archived');
    await agent.post(`/app/projects/${id}/settings/reopen`).type('form').send({ _csrf: csrf }).expect(303);
    expect((await t.api.get(`/api/projects/${id}`)).body.status).toBe('open');
  });
});
