import type { ChangeOrderDocumentModel } from './change-order-document.model';
import { sha256Hex } from './document-hash';
import { renderChangeOrderPdf, renderSignedChangeOrderPdf } from './render-change-order-pdf';
import { signatureFor, twentyLineOrder } from './testing/change-order.fixture';
import { pdfFonts, pdfPageCount, pdfToText, qpdfCheck } from './testing/poppler';

/** An order whose people and items are named in Polish, Greek, Cyrillic, Vietnamese and Chinese. */
function internationalOrder(): ChangeOrderDocumentModel {
  const model = twentyLineOrder();
  const [first, second, ...otherRequests] = model.requests;
  const [firstLine, ...otherLines] = model.lines;
  return {
    ...model,
    client: { name: 'Gabinet Żółć', email: 'biuro@gabinet-zolc.example' },
    project: { ...model.project, name: 'Przeprowadzka biura 北京' },
    order: { ...model.order, signer: { name: 'Łukasz Więckowski', email: 'lukasz@gabinet-zolc.example' } },
    requests: [
      { ...first!, title: 'Γιώργος Παπαδόπουλος', requestedBy: 'Анна Смирнова' },
      { ...second!, title: 'Nguyễn Văn Thắng', requestedBy: '王小明 (Wang)' },
      ...otherRequests,
    ],
    lines: [{ ...firstLine!, title: '王小明 desk for Łukasz' }, ...otherLines],
  };
}

describe('names in the change order PDF, exactly as typed', () => {
  it('prints Polish, Greek, Cyrillic, Vietnamese and Chinese names as they were typed', async () => {
    const text = pdfToText(await renderChangeOrderPdf(internationalOrder()));

    expect(text).toContain('Gabinet Żółć (biuro@gabinet-zolc.example)');
    expect(text).toContain('Łukasz Więckowski (lukasz@gabinet-zolc.example)');
    expect(text).toContain('Przeprowadzka biura 北京');
    expect(text).toMatch(/CR-2\s+Γιώργος Παπαδόπουλος\s+\S+\s+Анна Смирнова/);
    expect(text).toMatch(/CR-3\s+Nguyễn Văn Thắng\s+\S+\s+王小明 \(Wang\)/);
    expect(text).toContain('SI-10 — 王小明 desk for Łukasz');
    expect(text).toContain('By signing, Gabinet Żółć accepts this change order');
    expect(text).toContain('Change order CO-3 · Przeprowadzka biura 北京');
  });

  it('prints Korean and Japanese names too, in the CJK fallback faces, all embedded', async () => {
    const model = internationalOrder();
    const pdf = await renderChangeOrderPdf({
      ...model,
      client: { name: '김민준 컨설팅', email: 'minjun@example.kr' },
      order: { ...model.order, signer: { name: '山田 はなこ', email: 'hanako@example.jp' } },
    });
    const text = pdfToText(pdf);
    expect(text).toContain('김민준 컨설팅 (minjun@example.kr)');
    expect(text).toContain('山田 はなこ (hanako@example.jp)');
    const fonts = pdfFonts(pdf);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''))).toContain('NotoSansKR-Regular');
    for (const font of fonts) expect(font).toMatchObject({ embedded: true, subset: true });
  });

  it('gives copied text the letters typed, also after letters with marks (ụ, ị, й) were set', async () => {
    const model = internationalOrder();
    const marked = {
      ...model,
      client: { name: 'Thị Ụt Евгений', email: 'ut@example.vn' },
      project: { ...model.project, name: 'Phụ lục Đà Nẵng' },
    };
    const plain = { ...model, client: { name: 'Eugenia Europe Иван', email: 'e@example.eu' } };
    const first = pdfToText(await renderChangeOrderPdf(marked));
    const second = pdfToText(await renderChangeOrderPdf(plain));
    expect(first).toContain('Thị Ụt Евгений (ut@example.vn)');
    expect(first).toContain('Phụ lục Đà Nẵng');
    expect(second).toContain('Eugenia Europe Иван (e@example.eu)');
    expect(second).toContain('Backup alert e-mail');
    expect(second).toContain('Conditional access');
  });

  it('prints the name the signer typed, in the signature block and on the certificate', async () => {
    const model = internationalOrder();
    const issued = await renderChangeOrderPdf(model);
    const signature = { ...signatureFor(model, sha256Hex(issued)), signerName: '王小明 (Wang)' };
    const signed = await renderSignedChangeOrderPdf(model, signature);

    const text = pdfToText(signed);
    expect(text).toContain('Signed by 王小明 (Wang); sent to Łukasz Więckowski (lukasz@gabinet-zolc.example)');
    const pages = pdfPageCount(signed);
    const certificate = pdfToText(signed, { first: pages, last: pages });
    expect(certificate).toMatch(/Client\s+Gabinet Żółć/);
    expect(certificate).toMatch(/Signer name\s+王小明 \(Wang\)/);
  });

  it('cuts a long name in several scripts to its field, with an ellipsis', async () => {
    const model = internationalOrder();
    const issued = await renderChangeOrderPdf(model);
    const longName = '王小明 (Wang) Łukasz Więckowski-Żółć Παπαδόπουλος';
    const signature = { ...signatureFor(model, sha256Hex(issued)), signerName: longName };
    const text = pdfToText(await renderSignedChangeOrderPdf(model, signature));
    expect(text).toMatch(/王小明 \(Wang\) Łukasz[^\n]*…\s+2026-03-09 16:45:12 UTC/);
  });

  it('embeds every font it uses, as a subset, and stays a sound PDF', async () => {
    const model = internationalOrder();
    const issued = await renderChangeOrderPdf(model);
    const signature = { ...signatureFor(model, sha256Hex(issued)), signerName: 'Nguyễn Văn Thắng 王' };
    const signed = await renderSignedChangeOrderPdf(model, signature);

    for (const pdf of [issued, signed]) {
      const fonts = pdfFonts(pdf);
      expect(fonts.length).toBeGreaterThan(0);
      for (const font of fonts) expect(font).toMatchObject({ embedded: true, subset: true });
      expect(qpdfCheck(pdf)).toMatchObject({ exitCode: 0 });
    }
    const names = pdfFonts(signed).map((font) => font.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names).toEqual(
      expect.arrayContaining(['NotoSans-Regular', 'NotoSans-Bold', 'NotoSans-Italic', 'NotoSansSC-Regular']),
    );
  });
});
