import { FONT, FONT_BOLD, useFont } from './fonts';

/** Tables that wrap long text and repeat their header on the next page (pdfkit's own tables do not). */

export const GREY = '#555555';
const TABLE_FONT_SIZE = 8.5;

const PAD_X = 4;
const PAD_Y = 3;
const HEADER_FILL = '#e8ebef';
const STRIPE_FILL = '#f6f7f9';
const RULE = '#c5cad3';

export interface TableColumn {
  readonly header: string;
  readonly width: number;
  readonly align?: 'left' | 'right' | 'center';
}

export interface TableRow {
  readonly cells: readonly string[];
  readonly bold?: boolean;
  /** The second row of one entry (a modified item as it stood): striped like the row before it. */
  readonly continues?: boolean;
}

export interface TableOptions {
  /** Key-value tables (details, price summary) read better without a header row. */
  readonly showHeader?: boolean;
  readonly striped?: boolean;
  /** The first column is bold (labels of a key-value table). */
  readonly boldFirstColumn?: boolean;
}

export function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Labels in bold and their values, without a header row. */
export function drawDetails(doc: PDFKit.PDFDocument, labelWidth: number, rows: readonly [string, string][]): void {
  const columns = [
    { header: '', width: labelWidth },
    { header: '', width: contentWidth(doc) - labelWidth },
  ];
  drawTable(
    doc,
    columns,
    rows.map((cells) => ({ cells })),
    { showHeader: false, boldFirstColumn: true },
  );
}

export function drawTable(
  doc: PDFKit.PDFDocument,
  columns: readonly TableColumn[],
  rows: readonly TableRow[],
  { showHeader = true, striped = false, boldFirstColumn = false }: TableOptions = {},
): void {
  const left = doc.page.margins.left;
  const width = columns.reduce((sum, column) => sum + column.width, 0);
  const font = (row: TableRow, column: number) =>
    useFont(doc, row.bold || (boldFirstColumn && column === 0) ? FONT_BOLD : FONT, TABLE_FONT_SIZE);
  const measure = (row: TableRow) => {
    const heights = columns.map((column, index) => {
      const text = row.cells[index] ?? '';
      const writer = font(row, index);
      return text === ''
        ? doc.currentLineHeight(true)
        : writer.heightOfString(text, { width: column.width - 2 * PAD_X });
    });
    return Math.ceil(Math.max(0, ...heights) + 2 * PAD_Y);
  };
  const drawCells = (row: TableRow, y: number, height: number, clipped = false) => {
    let x = left;
    doc.fillColor('black');
    columns.forEach((column, index) => {
      font(row, index).text(row.cells[index] ?? '', x + PAD_X, y + PAD_Y, {
        width: column.width - 2 * PAD_X,
        align: column.align ?? 'left',
        ...(clipped ? { height: height - 2 * PAD_Y, ellipsis: true } : {}),
      });
      x += column.width;
    });
  };
  const header: TableRow = { cells: columns.map((column) => column.header), bold: true };
  const headerHeight = showHeader ? measure(header) : 0;
  // A row taller than what a page can hold is cut with an ellipsis rather than overflowing.
  const tallestRow = doc.page.height - doc.page.margins.top - doc.page.margins.bottom - headerHeight - 2 * PAD_Y;

  let stripe = -1;
  rows.forEach((row, index) => {
    if (!row.continues) stripe += 1;
    const measured = measure(row);
    const height = Math.min(measured, tallestRow);
    const needsNewPage = doc.y + height > doc.page.maxY();
    if (index === 0 || needsNewPage) {
      if (needsNewPage || doc.y + headerHeight + height > doc.page.maxY()) doc.addPage();
      if (showHeader) {
        const top = doc.y;
        doc.rect(left, top, width, headerHeight).fill(HEADER_FILL);
        drawCells(header, top, headerHeight);
        doc.y = top + headerHeight;
      }
    }
    const y = doc.y;
    if (striped && stripe % 2 === 1) doc.rect(left, y, width, height).fill(STRIPE_FILL);
    drawCells(row, y, height, measured > tallestRow);
    doc
      .moveTo(left, y + height)
      .lineTo(left + width, y + height)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.y = y + height;
  });

  doc.x = left;
  doc.fillColor('black').strokeColor('black');
}
