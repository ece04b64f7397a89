import { fileIdentifier } from './reproducible-pdf';
import { renderChangeOrderPdf, renderSignedChangeOrderPdf } from './render-change-order-pdf';
import { sha256Hex } from './document-hash';
import { signatureFor, twentyLineOrder } from './testing/change-order.fixture';
import { drawnSignaturePng } from './testing/png.fixture';

function trailerId(pdf: Buffer): string {
  const match = /\/ID \[<([0-9a-f]+)> <([0-9a-f]+)>\]/.exec(pdf.toString('latin1'));
  if (!match) throw new Error('no /ID in trailer');
  return match[1]!;
}

describe('renderChangeOrderPdf', () => {
  it('renders byte-identical documents for the same order', async () => {
    const model = twentyLineOrder();
    const first = await renderChangeOrderPdf(model);
    const second = await renderChangeOrderPdf(structuredClone(model));
    expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sha256Hex(second)).toBe(sha256Hex(first));
  });

  it('renders different bytes and a different file ID when anything in the order differs', async () => {
    const model = twentyLineOrder();
    const changed = {
      ...model,
      lines: model.lines.map((line, i) => (i === 4 ? { ...line, title: `${line.title}.` } : line)),
    };
    const original = await renderChangeOrderPdf(model);
    const other = await renderChangeOrderPdf(changed);
    expect(sha256Hex(other)).not.toBe(sha256Hex(original));
    expect(trailerId(other)).not.toBe(trailerId(original));
  });

  it('dates the document at its issue time and identifies it by the order, not by the clock', async () => {
    const model = twentyLineOrder();
    const text = (await renderChangeOrderPdf(model)).toString('latin1');
    // CreationDate and ModDate, each an object of its own in pdfkit's info dictionary.
    expect(text.match(/\(D:20260306103000Z\)/g)).toHaveLength(2);
    expect(text).toContain('<xmp:CreateDate>2026-03-06T10:30:00Z</xmp:CreateDate>');
    const expectedId = Buffer.from(fileIdentifier({ document: 'change-order', model })).toString('hex');
    expect(trailerId(Buffer.from(text, 'latin1'))).toBe(expectedId);
  });

  it('draws text in any script, emoji, control characters and markup without failing', async () => {
    const model = twentyLineOrder();
    const hostile = 'Zażółć 中文 😀 \u202eevil\u202c \u0000\u0007 \ud800 <script>alert(1)</script> ' + 'x'.repeat(500);
    const odd = {
      ...model,
      client: { ...model.client, name: hostile },
      order: { ...model.order, terms: `${hostile}\r\n`.repeat(30) },
      requests: model.requests.map((request) => ({ ...request, title: hostile, requestedBy: hostile })),
      lines: model.lines.map((line) => ({ ...line, title: hostile, role: hostile })),
      schedule: model.schedule.map((shift) => ({ ...shift, name: hostile })),
    };
    const pdf = await renderChangeOrderPdf(odd);
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
  });

  it('lays out an order of sixty lines with a title longer than a page', async () => {
    const model = twentyLineOrder();
    const lines = Array.from({ length: 60 }, (_, i) => ({
      ...model.lines[i % model.lines.length]!,
      title: i === 30 ? 'word '.repeat(2000) : model.lines[i % model.lines.length]!.title,
    }));
    const pdf = await renderChangeOrderPdf({ ...model, lines });
    const pages = pdf.toString('latin1').match(/\/Type \/Page\n/g) ?? [];
    expect(pages.length).toBeGreaterThan(2);
  });

  it('refuses an issue time that is not a timestamp, since it decides the bytes', async () => {
    const model = twentyLineOrder();
    await expect(renderChangeOrderPdf({ ...model, order: { ...model.order, issuedAt: 'soon' } })).rejects.toThrow(
      /order.issuedAt is not a valid timestamp/,
    );
  });
});

describe('renderSignedChangeOrderPdf', () => {
  it('renders byte-identical signed copies dated at the signing moment', async () => {
    const model = twentyLineOrder();
    const signature = signatureFor(model, sha256Hex(await renderChangeOrderPdf(model)), drawnSignaturePng());
    const first = await renderSignedChangeOrderPdf(model, signature);
    const second = await renderSignedChangeOrderPdf(model, { ...signature, drawnSignaturePng: drawnSignaturePng() });
    expect(sha256Hex(second)).toBe(sha256Hex(first));
    expect(first.toString('latin1').match(/\(D:20260309164512Z\)/g)).toHaveLength(2);
  });

  it('embeds a valid drawn signature and changes the bytes when the drawing differs', async () => {
    const model = twentyLineOrder();
    const signature = signatureFor(model, 'a'.repeat(64), drawnSignaturePng(300, 100));
    const signed = await renderSignedChangeOrderPdf(model, signature);
    const otherDrawing = await renderSignedChangeOrderPdf(model, {
      ...signature,
      drawnSignaturePng: drawnSignaturePng(280, 100),
    });
    expect(signed.toString('latin1')).toContain('/Subtype /Image');
    expect(sha256Hex(otherDrawing)).not.toBe(sha256Hex(signed));
  });

  it('leaves out a drawn signature that is not a usable PNG instead of failing', async () => {
    const model = twentyLineOrder();
    const png = drawnSignaturePng();
    const corrupt = Buffer.from(png);
    corrupt[png.length - 20] ^= 0xff; // inside the image data: checksum no longer matches
    for (const drawing of [Buffer.from('<svg onload="alert(1)"/>'), corrupt, Buffer.alloc(0)]) {
      const signed = await renderSignedChangeOrderPdf(model, signatureFor(model, 'a'.repeat(64), drawing));
      expect(signed.toString('latin1')).not.toContain('/Subtype /Image');
    }
  });
});
