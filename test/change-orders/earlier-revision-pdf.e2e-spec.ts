import { createHash } from 'node:crypto';
import { expectProblem } from '../api/api-helpers';
import { startTestServer, TestServer } from '../support/test-server';
import { issuedScenario } from './change-order-scenario';

const sha256 = (pdf: Buffer) => createHash('sha256').update(pdf).digest('hex');

/** Every issue of a revised order stays on record: staff read each one as it was sent. */
describe('the documents of earlier issues', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves each revision with copy=issued&revision=n, and names the ones that exist otherwise', async () => {
    const { projectId, order, issued } = await issuedScenario(t, 'Revised twice');
    const revise = async () =>
      (await t.api.post(`/api/projects/${projectId}/change-orders/${order.id}/revise`).expect(200)).body as {
        documentSha256: string;
      };
    const first = await revise();
    const pdfPath = `/api/projects/${projectId}/change-orders/${order.id}/pdf`;
    const revisionPdf = async (query: string) => {
      const answer = await t.api.get(`${pdfPath}?${query}`).expect(200);
      expect(answer.headers['x-document-sha256']).toBe(sha256(answer.body as Buffer));
      return sha256(answer.body as Buffer);
    };

    expect(await revisionPdf('copy=issued&revision=0')).toBe(issued.documentSha256);
    expect(await revisionPdf('copy=issued&revision=1')).toBe(first.documentSha256);
    expect(await revisionPdf('copy=issued')).toBe(first.documentSha256);
    expect(first.documentSha256).not.toBe(issued.documentSha256);

    const missing = await t.api.get(`${pdfPath}?copy=issued&revision=4`).expect(404);
    expectProblem(missing, 404);
    expect(missing.body.detail).toBe('CO-1 R1 has no issue with revision 4 (issued revisions: 0, 1)');
    const withoutCopy = await t.api.get(`${pdfPath}?revision=0`).expect(400);
    expect(withoutCopy.body.errors).toEqual([{ field: 'revision', message: 'revision is read with copy=issued' }]);
    const notANumber = await t.api.get(`${pdfPath}?copy=issued&revision=first`).expect(400);
    expect(notANumber.body.errors[0]).toMatchObject({ field: 'revision' });
  });
});
