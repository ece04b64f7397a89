/**
 * The number of pages of a PDF this server rendered: the /Count of its page tree's root. pdfkit
 * writes one flat page tree in plain objects, so the first /Type /Pages dictionary holds the total.
 */
export function pdfPageCount(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  const match = /\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/.exec(text);
  if (!match) throw new RangeError('No page tree found in the PDF');
  return Number(match[1] ?? match[2]);
}
