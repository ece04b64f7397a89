import request from 'supertest';
import { pdfToText } from '../../libs/documents/src/testing/poppler';
import { startTestServer, TestServer } from '../support/test-server';
import {
  assessedRequest,
  draftOrder,
  issuedScenario,
  issueOrder,
  openProject,
  signAsClient,
} from './change-order-scenario';

/** A 1×1 opaque PNG (grey). */
const PNG_1X1 =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

/** The company settings in force at issue are printed on the order, and stay on it after the settings change. */
describe('the company on change-order PDFs', () => {
  let t: TestServer;
  let before: Awaited<ReturnType<typeof issuedScenario>>;
  let newOrderPdf: Buffer;
  let newSignedPdf: Buffer;

  beforeAll(async () => {
    t = await startTestServer();
    before = await issuedScenario(t, 'Warehouse Wi-Fi before the rename');
    await t.api
      .patch('/api/admin/company', {
        name: 'Harbour Lights IT',
        email: 'orders@harbour-lights.example',
        phone: '+44 23 9200 0000',
        address: '12 Quay Street\nPortsmouth PO1 2AB',
        logo: PNG_1X1,
        brandColour: '#0b5394',
        paymentTerms: 'Invoiced on signature, payable within 30 days.',
      })
      .expect(200);
    const projectId = await openProject(t, 'Warehouse Wi-Fi after the rename');
    const order = await draftOrder(t, projectId, [await assessedRequest(t, projectId, 'wifi')]);
    const issued = await issueOrder(t, projectId, order.id);
    const pdfPath = `/api/projects/${projectId}/change-orders/${order.id}/pdf`;
    newOrderPdf = (await t.api.get(pdfPath).expect(200)).body as Buffer;
    await signAsClient(t.http, issued);
    newSignedPdf = (await t.api.get(pdfPath).expect(200)).body as Buffer;
  }, 90_000);

  afterAll(async () => {
    await t.close();
  });

  it('prints the new name, address, phone, email and terms on an order issued after the change', () => {
    const text = pdfToText(newOrderPdf);
    expect(text).toContain('Harbour Lights IT');
    expect(text).toContain('12 Quay Street');
    expect(text).toContain('Portsmouth PO1 2AB');
    expect(text).toContain('+44 23 9200 0000');
    expect(text).toContain('orders@harbour-lights.example');
    expect(text).toContain('Invoiced on signature, payable within 30 days.');
    expect(text).not.toContain('Northwind Managed IT');
  });

  it('names the new company as the sender on the certificate of completion', () => {
    const certificate = pdfToText(newSignedPdf).split('Certificate of completion')[1] ?? '';
    expect(certificate).toContain('Harbour Lights IT');
  });

  it('keeps the old name on an order issued before the change, also when signed after it', async () => {
    const pdfPath = `/api/projects/${before.projectId}/change-orders/${before.order.id}/pdf`;
    const issued = pdfToText((await t.api.get(pdfPath).expect(200)).body as Buffer);
    expect(issued).toContain('Northwind Managed IT');
    expect(issued).not.toContain('Harbour Lights IT');
    await signAsClient(t.http, before.issued);
    const signed = pdfToText((await t.api.get(pdfPath).expect(200)).body as Buffer);
    expect(signed).toContain('Northwind Managed IT');
    expect(signed).not.toContain('Harbour Lights IT');
    const page = await request(t.http).get(before.issued.signPath).expect(200);
    expect(page.text).toContain('Northwind Managed IT');
  });
});
