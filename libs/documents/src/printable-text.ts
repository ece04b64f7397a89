/**
 * The PDF's standard fonts (Helvetica) only know WinAnsi: Latin-1 plus a few typographic
 * characters. pdfkit does not check this; a character outside the set is written as
 * garbage bytes. Every piece of user text passes through here before it is drawn, so a
 * name in Chinese or an emoji in a title turns into readable fallbacks or "?", never
 * into a crash or corrupt text.
 */

/** Code points above Latin-1 that WinAnsi still has (pdfkit's own mapping table). */
const WINANSI_EXTRAS = new Set([
  0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017d, 0x017e, 0x0192, 0x02c6, 0x02dc, 0x2013, 0x2014, 0x2018, 0x2019,
  0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

/** Letters that Unicode does not decompose but that have an obvious Latin stand-in. */
const FALLBACKS: Readonly<Record<string, string>> = {
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ħ: 'h',
  Ħ: 'H',
  ı: 'i',
  ŀ: 'l',
  Ŀ: 'L',
  ŋ: 'ng',
  Ŋ: 'NG',
  ŧ: 't',
  Ŧ: 'T',
  ſ: 's',
  ĳ: 'ij',
  Ĳ: 'IJ',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '―': '-',
  '−': '-',
  '⁃': '-',
  '′': "'",
  '″': '"',
  '‹': '<',
  '›': '>',
  '⁄': '/',
  '∕': '/',
  '≤': '<=',
  '≥': '>=',
  '≠': '!=',
  '→': '->',
  '←': '<-',
  '⇒': '=>',
  '✓': 'v',
  '✔': 'v',
  '✗': 'x',
  '✘': 'x',
};

function isWinAnsi(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xff) ||
    WINANSI_EXTRAS.has(codePoint)
  );
}

/** Spaces of every width become a plain space; invisible formatting characters vanish. */
const SPACE_LIKE = /[\u1680\u2000-\u200a\u202f\u205f\u3000]/;
// It is tested against one character at a time, so combining marks in the class cannot join another character.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]/;

function replaceCharacter(char: string, multiline: boolean): string {
  const codePoint = char.codePointAt(0)!;
  if (isWinAnsi(codePoint)) return char;
  if (char === '\n') return multiline ? '\n' : ' ';
  if (char === '\t') return ' ';
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return '';
  if (SPACE_LIKE.test(char)) return ' ';
  if (INVISIBLE.test(char)) return '';
  const fallback = FALLBACKS[char];
  if (fallback !== undefined) return fallback;
  // "ő" -> "o", "ﬁ" -> "fi", full-width "Ａ" -> "A": keep the letter, drop the accent.
  const decomposed = char.normalize('NFKD').replace(/\p{M}/gu, '');
  const drawable = [...decomposed].every((letter) => isWinAnsi(letter.codePointAt(0)!));
  if (decomposed.length > 0 && decomposed !== char && drawable) return decomposed;
  return '?';
}

/** Text that Helvetica can draw exactly as returned; line breaks become spaces unless `multiline`. */
export function toWinAnsiText(text: string, { multiline = false } = {}): string {
  // Recompose first so "e" + combining acute becomes the Latin-1 "é" instead of "e".
  const normalized = text.replace(/\r\n?/g, '\n').normalize('NFC');
  return [...normalized].map((char) => replaceCharacter(char, multiline)).join('');
}

/** The same for every string inside a value; keys in `multilineKeys` keep their line breaks, binary data stays. */
export function toWinAnsiDeep<T>(value: T, multilineKeys: ReadonlySet<string> = new Set(), key = ''): T {
  if (typeof value === 'string') return toWinAnsiText(value, { multiline: multilineKeys.has(key) }) as T;
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((item) => toWinAnsiDeep(item, multilineKeys, key)) as T;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [name, toWinAnsiDeep(item, multilineKeys, name)]),
  ) as T;
}
