import { renderChangeOrderPdf } from './render-change-order-pdf';
import { pdfPageCount } from './pdf-page-count';
import { twentyLineOrder } from './testing/change-order.fixture';

describe('pdfPageCount', () => {
  it('reads the page count of a rendered change order', async () => {
    const pdf = await renderChangeOrderPdf(twentyLineOrder());
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g)!.length;
    expect(pdfPageCount(pdf)).toBe(pages);
    expect(pages).toBeGreaterThan(1);
  });

  it('refuses bytes without a page tree', () => {
    expect(() => pdfPageCount(Buffer.from('%PDF-1.7\n%%EOF\n'))).toThrow('No page tree found in the PDF');
  });
});
