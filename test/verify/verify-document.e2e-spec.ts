import { createHash } from 'node:crypto';
import request from 'supertest';
import { newTokenNonce, ProjectCommands, signingToken, tokenSha256 } from '@scope-ledger/platform';
import { EventProcessor } from '@scope-ledger/projections';
import { SIGNING_SECRET } from '../../apps/server/src/platform.token';
import { expectProblem } from '../api/api-helpers';
import { projectBody, signer } from '../change-orders/change-order-scenario';
import { startTestServer, TestServer } from '../support/test-server';
import { issuedOrderPdf, signedOrderPdfs, withIncrementalUpdate } from './verify-scenario';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Anyone holding a change-order PDF asks the server what it is, without an account: which order
 * and revision, the issued or the sealed copy, who signed and when, and whether it was added to.
 */
describe('checking a change-order PDF', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  /** No key: the route is public. */
  const postPdf = (pdf: Buffer) => request(t.http).post('/api/verify').set('Content-Type', 'application/pdf').send(pdf);
  const uploadPdf = (pdf: Buffer, filename = 'change-order.pdf', contentType = 'application/pdf') =>
    request(t.http).post('/api/verify').attach('file', pdf, { filename, contentType });
  const changeOrderOf = (project: string, number = 'CO-1', revision = 0) => ({
    number,
    revision,
    project,
    client: projectBody.client.name,
  });

  describe('an issued order', () => {
    let order: Awaited<ReturnType<typeof issuedOrderPdf>>;

    beforeAll(async () => {
      order = await issuedOrderPdf(t, 'Issued documents');
    });

    it('recognises the issued PDF, sent as the body, as exactly the issued document', async () => {
      const answer = await postPdf(order.issuedPdf).expect(200);
      expect(answer.body).toEqual({
        recognised: true,
        kind: 'issued',
        intact: true,
        appendedBytes: 0,
        changeOrder: changeOrderOf('Issued documents'),
        sha256: order.issued.documentSha256,
        recordedSha256: order.issued.documentSha256,
        bytes: order.issuedPdf.length,
        summary: expect.stringContaining('CO-1 of Issued documents for Harbour Freight Logistics exactly as issued'),
      });
    });

    it('tells each revision by its number, and the first issue still as CO-1', async () => {
      // The revision's document: only its hash matters to the check.
      const revisedPdf = Buffer.from('%PDF-1.7\n% CO-1 R1 as sent again\n%%EOF\n');
      const secret = t.server.app.get<Buffer>(SIGNING_SECRET);
      const nonce = newTokenNonce();
      await t.server.app
        .get(ProjectCommands)
        .execute(
          order.projectId,
          {
            type: 'ReviseChangeOrder',
            now: new Date().toISOString(),
            changeOrderId: order.order.id,
            documentSha256: sha256(revisedPdf),
            signingTokenSha256: tokenSha256(signingToken(secret, order.order.id, nonce)),
            signingTokenNonce: nonce,
          },
          { actor: { kind: 'staff', id: 'verify-test', name: 'Verify test' } },
        );

      const revised = await uploadPdf(revisedPdf).expect(200);
      expect(revised.body).toMatchObject({
        recognised: true,
        kind: 'issued',
        intact: true,
        changeOrder: changeOrderOf('Issued documents', 'CO-1 R1', 1),
      });
      expect(revised.body.summary).toContain('CO-1 R1 of Issued documents');
      const first = await postPdf(order.issuedPdf).expect(200);
      expect(first.body.changeOrder).toEqual(changeOrderOf('Issued documents'));
    });

    it('answers a PDF it does not know, or one changed inside, with recognised: false and a sentence', async () => {
      const tampered = Buffer.from(order.issuedPdf);
      tampered[Math.floor(tampered.length / 2)] ^= 0x01;
      for (const pdf of [Buffer.from('%PDF-1.4\n%%EOF\n'), tampered]) {
        const answer = await postPdf(pdf).expect(200);
        expect(answer.body).toEqual({
          recognised: false,
          summary: expect.stringMatching(/^This PDF is not recognised/),
          sha256: sha256(pdf),
          bytes: pdf.length,
        });
      }
    });
  });

  describe('a signed order', () => {
    let order: Awaited<ReturnType<typeof signedOrderPdfs>>;
    const changeOrder = changeOrderOf('Sealed documents');

    beforeAll(async () => {
      order = await signedOrderPdfs(t, 'Sealed documents');
    });

    it('recognises the sealed PDF, uploaded as a form file, with who signed and when', async () => {
      const answer = await uploadPdf(order.sealedPdf).expect(200);
      expect(answer.body).toMatchObject({
        recognised: true,
        kind: 'sealed',
        intact: true,
        appendedBytes: 0,
        changeOrder,
        signature: { signerName: signer.name, signedAt: order.signedAt },
        sha256: sha256(order.sealedPdf),
      });
      expect(answer.body.summary).toMatch(/^This is the sealed document of CO-1 .* signed by Morgan Ellery on /);
      // The copy issued for signature stays recognised as such.
      expect((await postPdf(order.issuedPdf).expect(200)).body).toMatchObject({ kind: 'issued', intact: true });
    });

    it('reports bytes appended after sealing, and that the file is not the sealed document', async () => {
      const changed = withIncrementalUpdate(order.sealedPdf);
      const appended = changed.length - order.sealedPdf.length;

      const answer = await postPdf(changed).expect(200);

      expect(answer.body).toMatchObject({
        recognised: true,
        kind: 'sealed',
        intact: false,
        appendedBytes: appended,
        recordedSha256: sha256(order.sealedPdf),
        sha256: sha256(changed),
        changeOrder,
        signature: { signerName: signer.name, signedAt: order.signedAt },
      });
      expect(answer.body.summary).toContain(`Changed after sealing: ${appended} bytes appended`);
      expect(answer.body.summary).toContain('it is NOT the sealed document');
    });

    it('finds the sealed document under several updates appended one after another', async () => {
      const twice = withIncrementalUpdate(withIncrementalUpdate(order.sealedPdf));
      const answer = await uploadPdf(twice).expect(200);
      expect(answer.body).toMatchObject({ kind: 'sealed', appendedBytes: twice.length - order.sealedPdf.length });
    });

    it('reveals nothing the PDF does not show: no signing link, address or email', async () => {
      const answers = [
        await postPdf(order.issuedPdf).expect(200),
        await postPdf(order.sealedPdf).expect(200),
        await postPdf(withIncrementalUpdate(order.sealedPdf)).expect(200),
      ];
      for (const answer of answers) {
        expect(answer.text).not.toContain(order.issued.token);
        expect(answer.text).not.toContain('/sign/');
        expect(answer.text).not.toContain('@');
        expect(answer.text).not.toMatch(/\d+\.\d+\.\d+\.\d+|::ffff/);
        expect(answer.text).not.toContain(order.projectId);
      }
    });

    it('answers the form with the page when the browser asks for HTML', async () => {
      const answer = await uploadPdf(withIncrementalUpdate(order.sealedPdf)).set('Accept', 'text/html').expect(200);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.text).toContain('Changed after sealing');
      expect(answer.text).toContain(signer.name);
    });

    it('recognises the same documents after the read models are rebuilt from the events', async () => {
      const documents = async () =>
        (await t.database.sql.query(`SELECT * FROM change_order_documents ORDER BY sha256`)).rows;
      const before = await documents();
      await t.server.platform.processor.rebuild();
      expect(await documents()).toEqual(before);
      expect((await postPdf(order.sealedPdf).expect(200)).body).toMatchObject({ kind: 'sealed', changeOrder });
    });

    it('fills the same table from the orders already projected when a database is upgraded', async () => {
      const documents = async () =>
        (await t.database.sql.query(`SELECT * FROM change_order_documents ORDER BY sha256`)).rows;
      const before = await documents();
      expect(new Set(before.map((row) => row.kind))).toEqual(new Set(['issued', 'sealed']));
      await t.database.sql.query(`DROP TABLE change_order_documents`);
      await t.database.sql.query(`DELETE FROM schema_migrations WHERE id = 'read-models/009-change-order-documents'`);

      await EventProcessor.prepare(t.database.sql);

      expect(await documents()).toEqual(before);
    });
  });

  it('refuses what is not a PDF: a file that is not one (400), another media type (415)', async () => {
    expectProblem(await uploadPdf(Buffer.from('Dear client, …'), 'letter.txt', 'text/plain'), 400, 'file');
    expectProblem(await postPdf(Buffer.from('not a document')), 400, 'file');
    expectProblem(
      await request(t.http).post('/api/verify').set('Content-Type', 'text/plain').send('%PDF-1.4 as text'),
      415,
    );
    expectProblem(await request(t.http).post('/api/verify').send({ file: 'x' }), 415);
    expectProblem(await request(t.http).post('/api/verify').field('note', 'no file'), 400, 'file');
  });

  it('refuses a PDF over 20 MB with a 413 that says so', async () => {
    const large = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20 * 1024 * 1024)]);
    for (const answer of [await postPdf(large), await uploadPdf(large)]) {
      expectProblem(answer, 413);
      expect(answer.body.detail).toBe('The PDF is larger than the 20 MB limit');
    }
  });

  it('serves the page with its upload form, and shows a refused upload on the page', async () => {
    const page = await request(t.http).get('/verify').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('action="/api/verify"');
    expect(page.text).toContain('enctype="multipart/form-data"');

    const refused = await uploadPdf(Buffer.from('hello'), 'hello.txt', 'text/plain').set('Accept', 'text/html');
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.text).toContain('file is not a PDF');
  });

  it('lists both routes in the OpenAPI document, with the two upload media types', async () => {
    const openApi = (await request(t.http).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    expect(openApi.paths['/verify'].get).toBeDefined();
    expect(Object.keys(openApi.paths['/api/verify'].post.requestBody!.content).sort()).toEqual([
      'application/pdf',
      'multipart/form-data',
    ]);
  });
});
