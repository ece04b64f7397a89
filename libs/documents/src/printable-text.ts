/**
 * User text is drawn as typed (the embedded fonts have Latin, Greek, Cyrillic, Vietnamese and
 * Chinese), less what a PDF cannot show as a character: control characters, invisible formatting
 * (pdfkit applies no bidirectional algorithm, so a direction override would only hide or garble
 * text) and halves of broken surrogate pairs. Line breaks become spaces where a field is one line.
 */

// Tested against one character at a time, so combining marks in the class cannot join another character.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]/;
const LONE_SURROGATE = /[\ud800-\udfff]/;

function printableCharacter(char: string, multiline: boolean): string {
  if (char === '\n') return multiline ? '\n' : ' ';
  if (char === '\t') return ' ';
  const codePoint = char.codePointAt(0)!;
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return '';
  if (INVISIBLE.test(char) || LONE_SURROGATE.test(char)) return '';
  return char;
}

/** The text as typed, composed (NFC), without what cannot be drawn; line breaks become spaces unless `multiline`. */
export function printableText(text: string, { multiline = false } = {}): string {
  const normalized = text.replace(/\r\n?/g, '\n').normalize('NFC');
  return [...normalized].map((char) => printableCharacter(char, multiline)).join('');
}

/** The same for every string inside a value; keys in `multilineKeys` keep their line breaks, binary data stays. */
export function printableDeep<T>(value: T, multilineKeys: ReadonlySet<string> = new Set(), key = ''): T {
  if (typeof value === 'string') return printableText(value, { multiline: multilineKeys.has(key) }) as T;
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((item) => printableDeep(item, multilineKeys, key)) as T;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [name, printableDeep(item, multilineKeys, name)]),
  ) as T;
}
