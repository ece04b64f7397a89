/**
 * Tables that wrap long text and continue on the next page with their header repeated.
 * pdfkit's own table breaks pages but does not repeat the header, which leaves the
 * second page of a long line table unreadable on its own.
 */

export const FONT = 'Helvetica';
export const FONT_BOLD = 'Helvetica-Bold';
export const FONT_ITALIC = 'Helvetica-Oblique';
export const TABLE_FONT_SIZE = 8.5;

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
}

export interface TableOptions {
  /** Key-value tables (details, price summary) read better without a header row. */
  readonly showHeader?: boolean;
  readonly striped?: boolean;
  /** The first column is bold (labels of a key-value table). */
  readonly boldFirstColumn?: boolean;
}

export function drawTable(
  doc: PDFKit.PDFDocument,
  columns: readonly TableColumn[],
  rows: readonly TableRow[],
  options: TableOptions = {},
): void {
  const showHeader = options.showHeader ?? true;
  const left = doc.page.margins.left;
  const headerHeight = showHeader
    ? measureRow(
        doc,
        columns,
        columns.map((column) => column.header),
        true,
      )
    : 0;

  const drawHeader = (): void => {
    if (!showHeader) return;
    const y = doc.y;
    doc.rect(left, y, totalWidth(columns), headerHeight).fill(HEADER_FILL);
    drawCells(
      doc,
      columns,
      columns.map((column) => column.header),
      y,
      headerHeight,
      () => true,
    );
    doc.y = y + headerHeight;
  };

  // A row taller than what a page can hold is cut with an ellipsis rather than overflowing.
  const tallestRow = contentHeight(doc) - headerHeight - 2 * PAD_Y;

  rows.forEach((row, index) => {
    let height = measureRow(doc, columns, row.cells, row.bold ?? false, options.boldFirstColumn);
    const clipped = height > tallestRow;
    if (clipped) height = tallestRow;
    const needsNewPage = doc.y + height > doc.page.maxY();
    if (index === 0 || needsNewPage) {
      if (needsNewPage || doc.y + headerHeight + height > doc.page.maxY()) doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    if (options.striped && index % 2 === 1) doc.rect(left, y, totalWidth(columns), height).fill(STRIPE_FILL);
    drawCells(
      doc,
      columns,
      row.cells,
      y,
      height,
      (columnIndex) => (row.bold ?? false) || (options.boldFirstColumn === true && columnIndex === 0),
      clipped,
    );
    doc
      .moveTo(left, y + height)
      .lineTo(left + totalWidth(columns), y + height)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.y = y + height;
  });

  doc.x = left;
  doc.fillColor('black').strokeColor('black');
}

function totalWidth(columns: readonly TableColumn[]): number {
  return columns.reduce((sum, column) => sum + column.width, 0);
}

function contentHeight(doc: PDFKit.PDFDocument): number {
  return doc.page.height - doc.page.margins.top - doc.page.margins.bottom;
}

function measureRow(
  doc: PDFKit.PDFDocument,
  columns: readonly TableColumn[],
  cells: readonly string[],
  bold: boolean,
  boldFirstColumn = false,
): number {
  let tallest = 0;
  columns.forEach((column, index) => {
    doc.font(bold || (boldFirstColumn && index === 0) ? FONT_BOLD : FONT).fontSize(TABLE_FONT_SIZE);
    const text = cells[index] ?? '';
    const height =
      text === '' ? doc.currentLineHeight(true) : doc.heightOfString(text, { width: column.width - 2 * PAD_X });
    tallest = Math.max(tallest, height);
  });
  return Math.ceil(tallest + 2 * PAD_Y);
}

function drawCells(
  doc: PDFKit.PDFDocument,
  columns: readonly TableColumn[],
  cells: readonly string[],
  y: number,
  height: number,
  isBold: (columnIndex: number) => boolean,
  clipped = false,
): void {
  let x = doc.page.margins.left;
  doc.fillColor('black');
  columns.forEach((column, index) => {
    doc.font(isBold(index) ? FONT_BOLD : FONT).fontSize(TABLE_FONT_SIZE);
    doc.text(cells[index] ?? '', x + PAD_X, y + PAD_Y, {
      width: column.width - 2 * PAD_X,
      align: column.align ?? 'left',
      ...(clipped ? { height: height - 2 * PAD_Y, ellipsis: true } : {}),
    });
    x += column.width;
  });
}
