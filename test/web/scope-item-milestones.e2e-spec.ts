import { startTestServer, TestServer } from '../support/test-server';
import { signedInAgent } from '../support/staff-session';
import { changeRequest } from '../api/api-helpers';

/**
 * A network refresh: M1 "Core switched" due Friday 13 March 2026, M2 "Handover" due Friday 27 March. CORE-1 is
 * due by M1; WIFI-1 names no milestone, so it is due by the last one, M2.
 */
describe('the milestone a scope item is due by, on the staff pages', () => {
  let t: TestServer;
  let id: string;

  beforeAll(async () => {
    t = await startTestServer();
    const project = {
      name: 'Network refresh',
      client: { name: 'Northwind Traders', email: 'it@northwind.example' },
      currency: 'USD',
      rates: { engineer: 15000 },
      startDate: '2026-03-02',
    };
    id = (await t.api.post('/api/projects', project).expect(201)).body.id as string;
    await t.api
      .post(`/api/projects/${id}/baseline`, {
        items: [
          { ref: 'CORE-1', title: 'Core switch swap', role: 'engineer', hours: 10, milestone: 'M1' },
          { ref: 'WIFI-1', title: 'Access points', role: 'engineer', hours: 6 },
        ],
        milestones: [
          { ref: 'M1', name: 'Core switched', due: '2026-03-13' },
          { ref: 'M2', name: 'Handover', due: '2026-03-27' },
        ],
      })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it("shows on a card's page the milestone it is due by and that milestone's date", async () => {
    const { agent } = await signedInAgent(t, 'pm');
    const core = (await agent.get(`/app/projects/${id}/board/cards/C-1`).expect(200)).text;
    expect(core).toMatch(
      /Due by<\/span><span class="tile-value">M1 · 13 Mar 2026<\/span><span class="tile-sub">Core switched/,
    );
    const wifi = (await agent.get(`/app/projects/${id}/board/cards/C-2`).expect(200)).text;
    expect(wifi).toMatch(/M2 · 27 Mar 2026<\/span><span class="tile-sub">the project&#39;s last milestone, Handover/);
  });

  it('assesses a line with the milestone chosen in its row, and refuses one the project does not have', async () => {
    const { agent, csrf } = await signedInAgent(t, 'pm');
    const crId = (await t.api.post(`/api/projects/${id}/change-requests`, changeRequest('Wi-Fi before cut-over'))).body
      .id as string;
    const page = (await agent.get(`/app/projects/${id}/change-requests/${crId}`).expect(200)).text;
    expect(page).toMatch(/<select[^>]*name="lines\[0\]\.milestone"/);
    expect(page).toContain('<option value="M1">M1</option>');

    const assess = (milestone: string) =>
      agent
        .post(`/app/projects/${id}/change-requests/${crId}/assessment`)
        .type('form')
        .send({ _csrf: csrf, 'lines[0].op': 'modify', 'lines[0].ref': 'WIFI-1', 'lines[0].milestone': milestone });
    const refused = await assess('M9').expect(422);
    expect(refused.text).toContain('id="assess-lines-0-milestone-error">Milestone M9 is not one of the project');

    await assess('M1').expect(303);
    const assessed = (await t.api.get(`/api/projects/${id}/change-requests/${crId}`).expect(200)).body;
    // Only the milestone changes: 6 h at 150.00 before and after, nothing to pay.
    expect(assessed.assessment.costDelta).toBe(0);
    const again = (await agent.get(`/app/projects/${id}/change-requests/${crId}`).expect(200)).text;
    expect(again).toContain('<option value="M1" selected>M1</option>');
  });
});
