import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const read = (name: string) => readFileSync(join(__dirname, '..', 'assets', name), 'utf8');

/** The stylesheet and icon of every page, the signing page's script and the staff pages' script, served as files. */
export const ASSETS = {
  css: read('scope-ledger.css'),
  signJs: read('sign.js'),
  appJs: read('app.js'),
  favicon: read('favicon.svg'),
};
