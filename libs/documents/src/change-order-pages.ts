import { formatHours, formatMoney, sumMinor } from '../../domain/src/shared/money';
import type { ChangeOrderDocumentModel } from './change-order-document.model';
import { formatUtcDate, formatUtcTimestamp, formatWorkingDays } from './document-format';
import { FONT, FONT_BOLD, drawTable, type TableColumn, type TableRow } from './pdf-table';
import { drawSignatureBlock, type SignatureBlockFill } from './signature-block';

/**
 * The pages of a change order, from the heading to the signature block. Expects a model
 * whose text has already been made printable (toWinAnsiDeep).
 */
export function drawChangeOrderPages(
  doc: PDFKit.PDFDocument,
  model: ChangeOrderDocumentModel,
  signature?: SignatureBlockFill,
): void {
  drawHeading(doc, model);
  drawParties(doc, model);
  drawChangeRequests(doc, model);
  drawScopeChanges(doc, model);
  drawScheduleImpact(doc, model);
  drawPriceSummary(doc, model);
  drawTerms(doc, model);
  sectionGap(doc);
  drawSignatureBlock(
    doc,
    {
      clientName: model.client.name,
      signerName: model.order.signer.name,
      signerEmail: model.order.signer.email,
      expiresAt: model.order.expiresAt,
    },
    signature,
  );
}

/** "CO-3 · Project name" on the left, "Page 2 of 4" on the right, on every page. */
export function drawPageFooters(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const { left, right, bottom } = doc.page.margins;
    const width = doc.page.width - left - right;
    const y = doc.page.height - bottom + 18;
    // Writing inside the bottom margin would otherwise make pdfkit start a new page.
    doc.page.margins.bottom = 0;
    doc.font(FONT).fontSize(8).fillColor('#555555');
    doc.text(`Change order ${model.order.number} · ${model.project.name}`, left, y, {
      width: width - 90,
      height: 10,
      ellipsis: true,
    });
    doc.text(`Page ${index - range.start + 1} of ${range.count}`, left + width - 90, y, {
      width: 90,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor('black');
}

function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function sectionGap(doc: PDFKit.PDFDocument): void {
  doc.y += 14;
}

/** A heading never sits alone at the bottom of a page. */
function sectionTitle(doc: PDFKit.PDFDocument, title: string): void {
  sectionGap(doc);
  if (doc.y + 60 > doc.page.maxY()) doc.addPage();
  doc
    .font(FONT_BOLD)
    .fontSize(12)
    .fillColor('black')
    .text(title, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.y += 4;
}

function paragraph(doc: PDFKit.PDFDocument, text: string): void {
  doc
    .font(FONT)
    .fontSize(9.5)
    .fillColor('black')
    .text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
}

function drawHeading(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const top = doc.y;
  doc
    .font(FONT_BOLD)
    .fontSize(20)
    .fillColor('black')
    .text(`Change order ${model.order.number}`, left, top, { width: width * 0.6 });
  const afterTitle = doc.y;
  doc
    .font(FONT_BOLD)
    .fontSize(10)
    .text(model.msp.name, left + width * 0.6, top + 2, { width: width * 0.4, align: 'right' });
  if (model.msp.email) {
    doc
      .font(FONT)
      .fontSize(9)
      .text(model.msp.email, left + width * 0.6, doc.y, { width: width * 0.4, align: 'right' });
  }
  doc.y = Math.max(afterTitle, doc.y) + 4;
  doc.font(FONT).fontSize(11).text(model.project.name, left, doc.y, { width });
  doc.y += 8;
}

function drawParties(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const withEmail = (name: string, email?: string): string => (email ? `${name} (${email})` : name);
  const rows: TableRow[] = [
    { cells: ['From', withEmail(model.msp.name, model.msp.email)] },
    { cells: ['To', withEmail(model.client.name, model.client.email)] },
    { cells: ['Project', model.project.name] },
    { cells: ['Order number', model.order.number] },
    { cells: ['Issued', formatUtcTimestamp(model.order.issuedAt)] },
    { cells: ['Expires', formatUtcTimestamp(model.order.expiresAt)] },
    { cells: ['To be signed by', withEmail(model.order.signer.name, model.order.signer.email)] },
  ];
  const width = contentWidth(doc);
  drawTable(
    doc,
    [
      { header: '', width: 110 },
      { header: '', width: width - 110 },
    ],
    rows,
    { showHeader: false, boldFirstColumn: true },
  );
}

function drawChangeRequests(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  sectionTitle(doc, `Change requests covered (${model.requests.length})`);
  if (model.requests.length === 0) {
    paragraph(doc, 'None.');
    return;
  }
  const columns: TableColumn[] = [
    { header: 'CR', width: 42 },
    { header: 'Title', width: 173 },
    { header: 'Source', width: 52 },
    { header: 'Requested by', width: 98 },
    { header: 'Received', width: 60 },
    { header: 'Charge', width: contentWidth(doc) - 425 },
  ];
  const rows = model.requests.map((request) => ({
    cells: [
      request.number,
      request.title,
      request.source,
      request.requestedBy,
      formatUtcDate(request.receivedAt),
      request.noCharge ? 'No charge' : 'Chargeable',
    ],
  }));
  drawTable(doc, columns, rows, { striped: true });
}

const CHANGE_LABELS: Readonly<Record<string, string>> = { add: 'Add', modify: 'Modify', remove: 'Remove' };

function drawScopeChanges(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const currency = model.project.currency;
  const count = model.lines.length;
  sectionTitle(doc, `Scope changes (${count} line${count === 1 ? '' : 's'})`);
  if (count === 0) {
    paragraph(doc, 'No scope lines.');
    return;
  }
  const columns: TableColumn[] = [
    { header: 'CR', width: 40 },
    { header: 'Scope item', width: contentWidth(doc) - 345 },
    { header: 'Change', width: 45 },
    { header: 'Role', width: 60 },
    { header: 'Hours', width: 40, align: 'right' },
    { header: 'Rate per hour', width: 75, align: 'right' },
    { header: 'Amount', width: 85, align: 'right' },
  ];
  const rows: TableRow[] = model.lines.map((line) => ({
    cells: [
      line.changeRequestNumber,
      `${line.ref} — ${line.title}` +
        (line.fixedCost !== 0 ? `\nFixed cost ${formatMoney(line.fixedCost, currency)}` : ''),
      CHANGE_LABELS[line.op] ?? line.op,
      line.role,
      formatHours(line.centiHours),
      formatMoney(line.rate, currency),
      formatMoney(line.amount, currency) + (line.noCharge ? '\nno charge' : ''),
    ],
  }));
  rows.push({
    bold: true,
    cells: [
      '',
      'Total',
      '',
      '',
      formatHours(sumMinor(model.lines.map((line) => line.centiHours))),
      '',
      formatMoney(sumMinor(model.lines.map((line) => line.amount)), currency),
    ],
  });
  drawTable(doc, columns, rows, { striped: true });
}

function drawScheduleImpact(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  sectionTitle(doc, 'Schedule impact');
  if (model.schedule.length === 0) {
    paragraph(doc, 'No milestone moves.');
    return;
  }
  const columns: TableColumn[] = [
    { header: 'Milestone', width: contentWidth(doc) - 295 },
    { header: 'Baseline date', width: 85 },
    { header: 'New date', width: 85 },
    { header: 'Working days', width: 125, align: 'right' },
  ];
  const rows = model.schedule.map((shift) => ({
    cells: [
      `${shift.milestone} — ${shift.name}`,
      formatUtcDate(shift.baselineDue),
      formatUtcDate(shift.newDue),
      formatWorkingDays(shift.workingDays),
    ],
  }));
  drawTable(doc, columns, rows, { striped: true });
}

function drawPriceSummary(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const currency = model.project.currency;
  const price = model.price;
  sectionTitle(doc, 'Price summary');
  const width = contentWidth(doc);
  drawTable(
    doc,
    [
      { header: '', width: width - 160 },
      { header: '', width: 160, align: 'right' },
    ],
    [
      { cells: ['Original contract value', formatMoney(price.originalContract, currency)] },
      { cells: ['Previously approved changes', formatMoney(price.previouslyApproved, currency)] },
      { cells: [`This change order (${model.order.number})`, formatMoney(price.thisOrder, currency)], bold: true },
      { cells: ['New contract total', formatMoney(price.newContractTotal, currency)], bold: true },
    ],
    { showHeader: false },
  );
  if (price.absorbed !== 0) {
    doc.y += 4;
    paragraph(
      doc,
      `No-charge work on this order, absorbed by ${model.msp.name} ` +
        `and not billed: ${formatMoney(price.absorbed, currency)}.`,
    );
  }
}

function drawTerms(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  sectionTitle(doc, 'Terms');
  paragraph(doc, model.order.terms.trim() === '' ? 'No additional terms.' : model.order.terms);
  sectionTitle(doc, 'Expiry');
  paragraph(
    doc,
    `This change order can be signed until ${formatUtcTimestamp(model.order.expiresAt)}. ` +
      'After that it lapses; the work it describes then needs a new change order.',
  );
}
