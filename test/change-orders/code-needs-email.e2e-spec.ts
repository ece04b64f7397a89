import { expectRefusedWithoutAppend } from '../api/api-helpers';
import { startTestServer, TestServer } from '../support/test-server';
import { assessedRequest, openProject, signer } from './change-order-scenario';

/** On a server that sends no email, an order cannot ask for an emailed one-time code its signer would never get. */
describe('a one-time code needs email', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses drafting an email_code order with 409 naming the field, and drafts with the link alone', async () => {
    const projectId = await openProject(t, 'No mail server');
    const requestId = await assessedRequest(t, projectId, 'vpn');
    const draft = (signerVerification: string) =>
      t.api.post(`/api/projects/${projectId}/change-orders`, {
        changeRequestIds: [requestId],
        signer,
        signerVerification,
      });
    const refused = await expectRefusedWithoutAppend(
      t,
      projectId,
      () => draft('email_code'),
      409,
      'signerVerification',
    );
    expect(refused.body.detail).toBe(
      'This server sends no email, so signerVerification email_code needs email: set an SMTP server ' +
        '(company settings or SMTP_URL), or choose none',
    );
    const drafted = await draft('none').expect(201);
    expect(drafted.body.number).toBe('CO-1');
  });
});
