import { formatHours, formatMoney, sumMinor } from '../../domain/src/shared/money';
import type { ChangeOrderDocumentModel } from './change-order-document.model';
import { formatUtcDate, formatUtcTimestamp, formatWorkingDays } from './document-format';
import { FONT, FONT_BOLD, useFont } from './fonts';
import { contentWidth, drawDetails, drawTable, GREY, type TableColumn, type TableRow } from './pdf-table';
import { drawSignatureBlock, type SignatureBlockFill } from './signature-block';

/** The pages of a change order up to the signature block, from a model already made printable (printableDeep). */
export function drawChangeOrderPages(
  doc: PDFKit.PDFDocument,
  model: ChangeOrderDocumentModel,
  signature?: SignatureBlockFill,
  { draft = false }: { draft?: boolean } = {},
): void {
  ACCENTS.set(doc, model.msp.brandColour ?? 'black');
  drawHeading(doc, model);
  drawParties(doc, model);
  drawChangeRequests(doc, model);
  drawScopeChanges(doc, model);
  drawProducts(doc, model);
  drawScheduleImpact(doc, model);
  drawPriceSummary(doc, model);
  drawTerms(doc, model);
  sectionGap(doc);
  if (draft) drawDraftAcceptance(doc);
  else drawSignatureBlock(doc, model, signature);
}

/** The box a logo is fitted into, keeping its proportions (points). */
const LOGO_WIDTH = 160;
const LOGO_HEIGHT = 48;

export const DRAFT_MARKING = 'DRAFT — not for signature';

/** A draft preview has no signature block and no link: the client signs only the issued order. */
function drawDraftAcceptance(doc: PDFKit.PDFDocument): void {
  sectionTitle(doc, 'Acceptance');
  paragraph(
    doc,
    `${DRAFT_MARKING}. This is a preview of a draft, with the figures it would carry if issued now. ` +
      'It was not sent to the client; the client signs only the issued change order, through the link sent to them.',
  );
}

/** "DRAFT — not for signature" in a red band across the top of every page (text, so readers and search find it). */
export function drawDraftMarks(doc: PDFKit.PDFDocument): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const { left, top } = doc.page.margins;
    const width = contentWidth(doc);
    doc.page.margins.top = 0;
    doc.rect(left, top - 30, width, 18).fill('#b3261e');
    useFont(doc, FONT_BOLD, 10, 'white').text(DRAFT_MARKING, left, top - 26, {
      width,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.top = top;
  }
  doc.fillColor('black');
}

/** "CO-3 · Project name" on the left, "Page 2 of 4" on the right, on every page. */
export function drawPageFooters(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const { left, bottom } = doc.page.margins;
    const width = contentWidth(doc);
    const y = doc.page.height - bottom + 18;
    // Writing inside the bottom margin would otherwise make pdfkit start a new page.
    doc.page.margins.bottom = 0;
    const title = `Change order ${model.order.number} · ${model.project.name}`;
    useFont(doc, FONT, 8, GREY).text(title, left, y, { width: width - 90, height: 10, ellipsis: true });
    const page = `Page ${index - range.start + 1} of ${range.count}`;
    doc.text(page, left + width - 90, y, { width: 90, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor('black');
}

/** The company's brand colour, for the headings and rules of the document being drawn. */
const ACCENTS = new WeakMap<PDFKit.PDFDocument, string>();

export function accentOf(doc: PDFKit.PDFDocument): string {
  return ACCENTS.get(doc) ?? 'black';
}

function sectionGap(doc: PDFKit.PDFDocument): void {
  doc.y += 14;
}

/** A heading never sits alone at the bottom of a page. */
function sectionTitle(doc: PDFKit.PDFDocument, title: string): void {
  sectionGap(doc);
  if (doc.y + 60 > doc.page.maxY()) doc.addPage();
  useFont(doc, FONT_BOLD, 12, accentOf(doc)).text(title, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.fillColor('black');
  doc.y += 4;
}

function paragraph(doc: PDFKit.PDFDocument, text: string): void {
  useFont(doc, FONT, 9.5, 'black').text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
}

/** Logo top left, the company's name, address and contact top right, then the order's title over a rule. */
function drawHeading(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const top = doc.y;
  const { msp } = model;
  let belowLogo = top;
  if (msp.logo) {
    doc.image(Buffer.from(msp.logo.base64, 'base64'), left, top, { fit: [LOGO_WIDTH, LOGO_HEIGHT] });
    belowLogo = top + LOGO_HEIGHT + 10;
  }
  const right = { width: width * 0.45, align: 'right' } as const;
  const rightX = left + width * 0.55;
  useFont(doc, FONT_BOLD, 10, 'black').text(msp.name, rightX, top + 2, right);
  const contact = [msp.address, msp.phone, msp.email].filter((line) => line !== undefined && line !== '').join('\n');
  if (contact) useFont(doc, FONT, 8.5, GREY).text(contact, rightX, doc.y, right);
  const belowCompany = doc.y;
  const titleTop = msp.logo ? belowLogo : top;
  const titleWidth = msp.logo ? width : width * 0.55;
  useFont(doc, FONT_BOLD, 20, accentOf(doc)).text(`Change order ${model.order.number}`, left, titleTop, {
    width: titleWidth,
  });
  doc.y = Math.max(doc.y, msp.logo ? 0 : belowCompany) + 4;
  useFont(doc, FONT, 11, 'black').text(model.project.name, left, doc.y, { width });
  doc.y += 6;
  doc
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .lineWidth(1.5)
    .strokeColor(accentOf(doc))
    .stroke()
    .strokeColor('black');
  doc.y += 8;
}

function drawParties(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const withEmail = (name: string, email?: string): string => (email ? `${name} (${email})` : name);
  drawDetails(doc, 110, [
    ['From', withEmail(model.msp.name, model.msp.email)],
    ['To', withEmail(model.client.name, model.client.email)],
    ['Project', model.project.name],
    ['Order number', model.order.number],
    ['Issued', formatUtcTimestamp(model.order.issuedAt)],
    ['Expires', formatUtcTimestamp(model.order.expiresAt)],
    ['To be signed by', withEmail(model.order.signer.name, model.order.signer.email)],
  ]);
}

/** A section listing items in a striped table, or saying `none` when there are none. */
function listSection(doc: PDFKit.PDFDocument, title: string, none: string, columns: TableColumn[], rows: TableRow[]) {
  sectionTitle(doc, title);
  if (rows.length === 0) paragraph(doc, none);
  else drawTable(doc, columns, rows, { striped: true });
}

const rowsOf = (cells: string[][]): TableRow[] => cells.map((row) => ({ cells: row }));

function drawChangeRequests(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const columns: TableColumn[] = [
    { header: 'CR', width: 42 },
    { header: 'Title', width: 159 },
    { header: 'Source', width: 66 },
    { header: 'Requested by', width: 98 },
    { header: 'Received', width: 60 },
    { header: 'Charge', width: contentWidth(doc) - 425 },
  ];
  const rows = model.requests.map((request) => [
    request.number,
    request.title,
    request.source,
    request.requestedBy,
    formatUtcDate(request.receivedAt),
    request.noCharge ? 'No charge' : request.scheduleOnly ? 'Schedule only' : 'Chargeable',
  ]);
  listSection(doc, `Change requests covered (${model.requests.length})`, 'None.', columns, rowsOf(rows));
}

const CHANGE_LABELS: Readonly<Record<string, string>> = { add: 'Add', modify: 'Modify', remove: 'Remove' };

function drawScopeChanges(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const currency = model.project.currency;
  const count = model.lines.length;
  const columns: TableColumn[] = [
    { header: 'CR', width: 40 },
    { header: 'Scope item', width: contentWidth(doc) - 345 },
    { header: 'Change', width: 45 },
    { header: 'Role', width: 60 },
    { header: 'Hours', width: 40, align: 'right' },
    { header: 'Rate per hour', width: 75, align: 'right' },
    { header: 'Amount', width: 85, align: 'right' },
  ];
  const fixed = (cost: number) => (cost !== 0 ? `\nFixed cost ${formatMoney(cost, currency)}` : '');
  const rows = model.lines.flatMap((line): TableRow[] => {
    const label = CHANGE_LABELS[line.op] ?? line.op;
    // A chargeable modification is the item as changed less the item as it stood, each row a product that holds:
    // the difference of two rounded costs is not the rounded product of the hours' difference.
    if (line.modified && !line.noCharge) {
      const { before, after } = line.modified;
      return [
        {
          cells: [
            line.changeRequestNumber,
            `${line.ref} — ${line.title}${fixed(after.fixedCost)}`,
            label,
            after.role,
            formatHours(after.centiHours),
            formatMoney(after.rate, currency),
            formatMoney(after.cost, currency),
          ],
        },
        {
          continues: true,
          cells: [
            '',
            `less ${line.ref} before this change${fixed(before.fixedCost)}` +
              `\nChange: ${formatMoney(line.amount, currency)}`,
            '',
            before.role,
            formatHours(-before.centiHours),
            formatMoney(before.rate, currency),
            formatMoney(-before.cost, currency),
          ],
        },
      ];
    }
    return [
      {
        cells: [
          line.changeRequestNumber,
          `${line.ref} — ${line.title}${fixed(line.fixedCost)}`,
          label,
          line.role,
          formatHours(line.centiHours),
          formatMoney(line.rate, currency),
          formatMoney(line.amount, currency) + (line.noCharge ? '\nno charge' : ''),
        ],
      },
    ];
  });
  const hours = formatHours(sumMinor(model.lines.map((line) => line.centiHours)));
  const amount = formatMoney(sumMinor(model.lines.map((line) => line.amount)), currency);
  const total = { bold: true, cells: ['', 'Total', '', '', hours, '', amount] };
  const title = `Scope changes (${count} line${count === 1 ? '' : 's'})`;
  listSection(doc, title, 'No scope lines.', columns, count > 0 ? [...rows, total] : []);
}

/** "+2", "25 → 20", "3 → 0": the units the line adds, changes or removes. */
function quantityChange(before: number, after: number): string {
  return before === 0 ? `+${after}` : `${before} → ${after}`;
}

/** One-off products, then recurring monthly charges: printed only on orders that carry products. */
function drawProducts(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const products = model.products ?? [];
  if (products.length === 0) return;
  const money = (amount: number) => formatMoney(amount, model.project.currency);
  const table = (billing: 'one_off' | 'monthly', unitHeader: string, amountHeader: string) => {
    const lines = products.filter((p) => p.billing === billing);
    const columns: TableColumn[] = [
      { header: 'CR', width: 40 },
      { header: 'Product', width: contentWidth(doc) - 340 },
      { header: 'Change', width: 45 },
      { header: 'Quantity', width: 60, align: 'right' },
      { header: unitHeader, width: 95, align: 'right' },
      { header: amountHeader, width: 100, align: 'right' },
    ];
    const rows = lines.map((p) => [
      p.changeRequestNumber,
      `${p.sku} — ${p.name}`,
      CHANGE_LABELS[p.op] ?? p.op,
      quantityChange(p.quantityBefore, p.quantity),
      money(p.unitPrice),
      money(p.amount) + (p.noCharge ? '\nno charge' : ''),
    ]);
    const total = { bold: true, cells: ['', 'Total', '', '', '', money(sumMinor(lines.map((p) => p.amount)))] };
    return { columns, rows: lines.length > 0 ? [...rowsOf(rows), total] : [] };
  };
  const oneOff = table('one_off', 'Unit price', 'Amount');
  if (oneOff.rows.length > 0)
    listSection(doc, 'Products (one-off, in the price below)', 'None.', oneOff.columns, oneOff.rows);
  const monthly = table('monthly', 'Unit price / month', 'Change / month');
  listSection(doc, 'Recurring monthly charges', 'No recurring charges change.', monthly.columns, monthly.rows);
  const recurring = model.recurring;
  if (!recurring) return;
  doc.y += 4;
  const columns: TableColumn[] = [
    { header: '', width: contentWidth(doc) - 160 },
    { header: '', width: 160, align: 'right' },
  ];
  drawTable(
    doc,
    columns,
    [
      { cells: ['Monthly charges before this order', money(recurring.monthlyBefore)] },
      { cells: [`Change per month (${model.order.number})`, money(recurring.monthlyChange)], bold: true },
      { cells: ['New monthly total', money(recurring.monthlyAfter)], bold: true },
    ],
    { showHeader: false },
  );
}

function drawScheduleImpact(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  // "Before" is the date as the orders signed before this one left it; the change runs from it to "after".
  const columns: TableColumn[] = [
    { header: 'Milestone', width: contentWidth(doc) - 340 },
    { header: 'Baseline date', width: 75 },
    { header: 'Before this order', width: 85 },
    { header: 'After this order', width: 85 },
    { header: 'Change', width: 95, align: 'right' },
  ];
  const rows = model.schedule.map((shift) => [
    `${shift.milestone} — ${shift.name}`,
    formatUtcDate(shift.baselineDue),
    formatUtcDate(shift.dueBefore),
    formatUtcDate(shift.newDue),
    formatWorkingDays(shift.workingDays),
  ]);
  listSection(doc, 'Schedule impact', 'No milestone moves.', columns, rowsOf(rows));
}

function drawPriceSummary(doc: PDFKit.PDFDocument, model: ChangeOrderDocumentModel): void {
  const money = (amount: number) => formatMoney(amount, model.project.currency);
  const { price } = model;
  sectionTitle(doc, 'Price summary');
  const columns: TableColumn[] = [
    { header: '', width: contentWidth(doc) - 160 },
    { header: '', width: 160, align: 'right' },
  ];
  const rows = [
    { cells: ['Original contract value', money(price.originalContract)] },
    { cells: ['Net change by previously signed orders', money(price.previouslyApproved)] },
    { cells: ['Contract value before this order', money(price.contractBefore)] },
    { cells: [`This change order (${model.order.number})`, money(price.thisOrder)], bold: true },
    { cells: ['New contract total', money(price.newContractTotal)], bold: true },
  ];
  drawTable(doc, columns, rows, { showHeader: false });
  if (price.absorbed !== 0) {
    doc.y += 4;
    paragraph(
      doc,
      `No-charge work on this order, absorbed by ${model.msp.name} and not billed: ${money(price.absorbed)}.`,
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
