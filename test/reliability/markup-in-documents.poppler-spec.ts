import { spawnSync } from 'node:child_process';
import request from 'supertest';
import { startTestServer, TestServer } from '../support/test-server';
import { markup, markupOrder } from './markup-scenario';
import { binary } from '../support/binary-body';
import { readAndConsent } from '../change-orders/change-order-scenario';

const squash = (text: string) => text.replace(/\s+/g, '');
/** A PDF has no markup to run: text that looks like HTML is printed exactly as typed. */
describe('text that looks like markup in change-order PDFs', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ config: { mspName: markup.mspName } });
  });
  afterAll(async () => {
    await t.close();
  });

  /**
   * pdftotext in content order (-raw), so a table cell's text stays together; without white
   * space, because a narrow cell wraps long words.
   */
  const pdfText = async (path: string) => {
    const response = await request(t.http)
      .get(path)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    const text = spawnSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], {
      input: response.body as Buffer,
      encoding: 'utf8',
    });
    if (text.error) throw new Error(`pdftotext could not run (install poppler-utils): ${text.error.message}`);
    return squash(text.stdout);
  };

  it('prints every field literally in the issued and in the signed document', async () => {
    const { issued } = await markupOrder(t);
    const text = await pdfText(`${issued.signPath}/document.pdf`);
    for (const literal of [
      markup.mspName,
      markup.project,
      markup.client,
      markup.request,
      markup.line,
      markup.signer,
      markup.terms,
      markup.role,
    ]) {
      expect(text).toContain(squash(literal));
    }

    const typedName = '<script>alert("signed")</script> Morgan';
    await readAndConsent(t.http, issued.signPath);
    await request(t.http)
      .post(issued.signPath)
      .send({ name: typedName, documentSha256: issued.documentSha256 })
      .expect(200);
    expect(await pdfText(`${issued.signPath}/document.pdf`)).toContain(squash(typedName));
  });
});
