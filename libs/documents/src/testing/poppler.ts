import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs a poppler tool on a PDF held in memory; output is returned whatever the exit code. */
function runOnPdf(tool: string, pdf: Buffer, args: (file: string) => string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'scope-ledger-poppler-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const result = spawnSync(tool, args(file), { encoding: 'utf8' });
    if (result.error) throw new Error(`${tool} could not run (install poppler-utils): ${result.error.message}`);
    return `${result.stdout}${result.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfToText(pdf: Buffer, pages?: { first: number; last: number }): string {
  const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
  return runOnPdf('pdftotext', pdf, (file) => ['-layout', '-enc', 'UTF-8', ...range, file, '-']);
}

export function pdfPageCount(pdf: Buffer): number {
  const match = /^Pages:\s+(\d+)/m.exec(runOnPdf('pdfinfo', pdf, (file) => [file]));
  if (!match) throw new Error('pdfinfo did not report a page count');
  return Number(match[1]);
}

export function pdfSignatures(pdf: Buffer): string {
  return runOnPdf('pdfsig', pdf, (file) => [file]);
}
