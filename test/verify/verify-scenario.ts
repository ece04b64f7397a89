import { issuedScenario, signAsClient } from '../change-orders/change-order-scenario';
import { binary } from '../support/binary-body';
import type { TestServer } from '../support/test-server';

/** An order of the change-order scenario issued, with its PDF as the PM downloads it. */
export async function issuedOrderPdf(t: TestServer, projectName: string) {
  const { projectId, order, issued } = await issuedScenario(t, projectName);
  const pdfPath = `/api/projects/${projectId}/change-orders/${order.id}/pdf`;
  return { projectId, order, issued, pdfPath, issuedPdf: await downloaded(t, `${pdfPath}?copy=issued`) };
}

/** An order of the change-order scenario issued and signed, with both of its PDFs as the PM downloads them. */
export async function signedOrderPdfs(t: TestServer, projectName: string) {
  const { projectId, order, issued, pdfPath, issuedPdf } = await issuedOrderPdf(t, projectName);
  await signAsClient(t.http, issued);
  const sealedPdf = await downloaded(t, pdfPath);
  const signedAt = (await t.api.get(`/api/projects/${projectId}/change-orders/${order.id}`).expect(200)).body.signedAt;
  return { projectId, order, issued, issuedPdf, sealedPdf, signedAt: signedAt as string };
}

async function downloaded(t: TestServer, path: string): Promise<Buffer> {
  return (
    await t.api
      .get(path)
      .buffer(true)
      .parse(binary as never)
      .expect(200)
  ).body as Buffer;
}

/**
 * The PDF with an incremental update appended, as a PDF editor saves a change: one new object,
 * a cross-reference section for it, and a trailer pointing back at the previous one.
 */
export function withIncrementalUpdate(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const previous = lastMatch(text, /startxref\s+(\d+)\s+%%EOF/g);
  const size = Number(lastMatch(text, /\/Size (\d+)/g));
  const root = lastMatch(text, /\/Root (\d+ \d+ R)/g);
  let update = pdf[pdf.length - 1] === 0x0a ? '' : '\n';
  const objectAt = pdf.length + update.length;
  update += `${size} 0 obj\n(A note added after sealing)\nendobj\n`;
  const xrefAt = pdf.length + update.length;
  update +=
    `xref\n${size} 1\n${String(objectAt).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${size + 1} /Root ${root} /Prev ${previous} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}

function lastMatch(text: string, pattern: RegExp): string {
  const found = [...text.matchAll(pattern)].at(-1);
  if (!found) throw new Error(`No ${pattern.source} in the PDF`);
  return found[1];
}
