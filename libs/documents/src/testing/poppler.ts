import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs a PDF tool (poppler's, or qpdf) on a PDF held in memory; its output is returned whatever the exit code. */
function runOnPdf(
  tool: string,
  pdf: Buffer,
  args: (file: string) => string[],
): { exitCode: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'scope-ledger-poppler-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const result = spawnSync(tool, args(file), { encoding: 'utf8' });
    if (result.error) {
      const debianPackage = tool === 'qpdf' ? 'qpdf' : 'poppler-utils';
      throw new Error(`${tool} could not run (install ${debianPackage}): ${result.error.message}`);
    }
    return { exitCode: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfToText(pdf: Buffer, pages?: { first: number; last: number }): string {
  const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
  return runOnPdf('pdftotext', pdf, (file) => ['-layout', '-enc', 'UTF-8', ...range, file, '-']).output;
}

export function pdfPageCount(pdf: Buffer): number {
  const match = /^Pages:\s+(\d+)/m.exec(runOnPdf('pdfinfo', pdf, (file) => [file]).output);
  if (!match) throw new Error('pdfinfo did not report a page count');
  return Number(match[1]);
}

export function pdfSignatures(pdf: Buffer): string {
  return runOnPdf('pdfsig', pdf, (file) => [file]).output;
}

/**
 * `qpdf --check`: exit code 0 for a sound file, 3 when it found something to repair (warnings), 2 on errors.
 * Check it with `toMatchObject({ exitCode: 0 })`, so that a failure shows qpdf's report.
 */
export function qpdfCheck(pdf: Buffer): { exitCode: number | null; output: string } {
  return runOnPdf('qpdf', pdf, (file) => ['--check', file]);
}

/** `pdffonts`: one row per font a page uses, with whether it is embedded and subset. */
export function pdfFonts(pdf: Buffer): { name: string; embedded: boolean; subset: boolean }[] {
  const lines = runOnPdf('pdffonts', pdf, (file) => [file]).output.split('\n');
  // The columns are fixed-width and a font's type has spaces in it ("CID TrueType"), so the
  // yes/no columns are read from the end of the row: emb sub uni object-number generation.
  return lines
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      const [embedded, subset] = fields.slice(-5, -3);
      return { name: fields[0]!, embedded: embedded === 'yes', subset: subset === 'yes' };
    });
}
