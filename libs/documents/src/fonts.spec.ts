import { sha256Hex } from './document-hash';
import { renderChangeOrderPdf, renderSignedChangeOrderPdf } from './render-change-order-pdf';
import { signatureFor, twentyLineOrder } from './testing/change-order.fixture';

describe('embedded fonts', () => {
  it('keeps a 20-line order small, since only the glyphs used are embedded', async () => {
    const model = twentyLineOrder();
    const issued = await renderChangeOrderPdf(model);
    const signed = await renderSignedChangeOrderPdf(model, signatureFor(model, sha256Hex(issued)));
    expect(issued.length).toBeLessThan(150_000);
    expect(signed.length).toBeLessThan(150_000);
  });

  it('renders the same bytes for the same order with names in several scripts', async () => {
    const model = {
      ...twentyLineOrder(),
      client: { name: 'Gabinet Żółć 王小明 (Wang)', email: 'biuro@gabinet-zolc.example' },
    };
    const first = await renderChangeOrderPdf(model);
    const second = await renderChangeOrderPdf(structuredClone(model));
    expect(sha256Hex(second)).toBe(sha256Hex(first));
  });
});
