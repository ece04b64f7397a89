/** Spreadsheets (Excel in particular) read a file as UTF-8 only when it starts with this mark. */
const UTF8_BOM = '\uFEFF';

/**
 * RFC 4180 CSV for spreadsheets and bookkeeping imports: a UTF-8 byte order mark, CRLF line ends,
 * fields quoted when they hold a comma, quote or line break.
 */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(','))];
  return UTF8_BOM + lines.join('\r\n') + '\r\n';
}

export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  // Text that a spreadsheet would run as a formula, even after leading spaces or line breaks, is kept as text.
  // A plain negative amount ("-644.63") is a number, not a formula: it stays importable.
  const formula = /^[\s]*[=+\-@]|^[\t\r\n]/.test(text) && !/^-\d+(\.\d+)?$/.test(text);
  if (typeof value === 'string' && formula) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
