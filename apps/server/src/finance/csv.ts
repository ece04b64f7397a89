/** RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote or line break. */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const field = (value: unknown) => {
    let text = value === null || value === undefined ? '' : String(value);
    // A leading =, +, - or @ would run as a formula in a spreadsheet.
    if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((row) => columns.map((c) => field(row[c])).join(','))].join('\r\n') + '\r\n';
}
