import { pdfToText } from '../../libs/documents/src/testing/poppler';
import { startTestServer, TestServer } from '../support/test-server';
import { signAsClient } from './change-order-scenario';
import { reviseOrder, staleOrderAfterCo2Signed } from './stale-order-scenario';

/**
 * The signed copy of a revised order, as a client reads it: the figures and dates as they stood when
 * it was signed, after CO-2 (stale-order-scenario.ts), not those of the moment CO-1 was first issued.
 */
describe('a revised change order read with poppler', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('states the net change of the order signed before it, the true totals and the true dates', async () => {
    const { projectId, co1 } = await staleOrderAfterCo2Signed(t);
    const first = pdfToText(
      (await t.api.get(`/api/projects/${projectId}/change-orders/${co1}/pdf`).expect(200)).body as Buffer,
    );
    expect(first).toMatch(/New contract total\s+USD 12,353\.65/);

    const { link } = await reviseOrder(t, projectId, co1);
    await signAsClient(t.http, link);
    const sealed = (await t.api.get(`/api/projects/${projectId}/change-orders/${co1}/pdf`).expect(200)).body as Buffer;
    const text = pdfToText(sealed);

    expect(text).toContain('Change order CO-1 R1');
    expect(text).toMatch(/Original contract value\s+USD 11,365\.06/);
    expect(text).toMatch(/Net change by previously signed orders\s+-USD 2,000\.00/);
    expect(text).toMatch(/Contract value before this order\s+USD 9,365\.06/);
    expect(text).toMatch(/This change order \(CO-1 R1\)\s+USD 988\.59/);
    expect(text).toMatch(/New contract total\s+USD 10,353\.65/);
    expect(text).toMatch(/M3 — Handover\s+2027-01-08\s+2027-01-12\s+2027-01-18\s+\+4 working days/);
    expect(text).not.toContain('12,353.65');
  });
});
