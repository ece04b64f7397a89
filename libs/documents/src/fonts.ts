import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';

/**
 * The typefaces of every document, embedded so that names print exactly as typed. Noto Sans has
 * Latin with its extensions, Greek, Cyrillic and Vietnamese; Noto Sans SC has the Chinese and
 * Japanese characters (and arrows, ticks and other symbols) that Noto Sans lacks, and Noto Sans KR
 * the Korean Hangul. pdfkit embeds only the glyphs a document uses.
 */
export const FONT = 'NotoSans-Regular';
export const FONT_BOLD = 'NotoSans-Bold';
export const FONT_ITALIC = 'NotoSans-Italic';
export type FontName = typeof FONT | typeof FONT_BOLD | typeof FONT_ITALIC;

const CJK = 'NotoSansSC-Regular';
const CJK_BOLD = 'NotoSansSC-Bold';
const HANGUL = 'NotoSansKR-Regular';
const HANGUL_BOLD = 'NotoSansKR-Bold';
type FaceName = FontName | typeof CJK | typeof CJK_BOLD | typeof HANGUL | typeof HANGUL_BOLD;

/** Resolved through node_modules, so they are found from the sources and from dist alike. */
const FACE_FILES: Readonly<Record<FaceName, string>> = {
  [FONT]: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  [FONT_BOLD]: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  [FONT_ITALIC]: '@expo-google-fonts/noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf',
  [CJK]: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  [CJK_BOLD]: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
  [HANGUL]: '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf',
  [HANGUL_BOLD]: '@expo-google-fonts/noto-sans-kr/700Bold/NotoSansKR_700Bold.ttf',
};

/** Faces tried in order for a character the main face lacks; neither has italic, so those characters stand upright. */
const FALLBACKS: Readonly<Record<FontName, readonly FaceName[]>> = {
  [FONT]: [CJK, HANGUL],
  [FONT_BOLD]: [CJK_BOLD, HANGUL_BOLD],
  [FONT_ITALIC]: [CJK, HANGUL],
};

const ELLIPSIS = '…';

/**
 * Noto Sans's `ccmp` feature splits precomposed letters (ụ, ị, й) into a base letter and a combining
 * mark, and pdfkit's ToUnicode map then gives text copied from the PDF the wrong letters. The fonts
 * have the precomposed glyphs, so for text holding such letters that feature is off and copied text
 * equals typed text. pdfkit hands `features` to fontkit, which also takes on/off switches, though
 * pdfkit's types list only names.
 */
const SHAPING = { ccmp: false } as unknown as PDFKit.Mixins.OpenTypeFeatures[];

/**
 * The options for writing or measuring `text`. Text without precomposed letters (what Unicode's
 * decomposition leaves as it is) keeps the font's own features, and with them pdfkit's layout cache,
 * which it skips whenever features are given: most of a document is such text.
 */
function shaped(text: string, options: PDFKit.Mixins.TextOptions): PDFKit.Mixins.TextOptions {
  return text.normalize('NFD') === text ? options : { ...options, features: SHAPING };
}

/** Text drawn or measured in one typeface, with Noto Sans SC or KR for the characters that typeface lacks. */
export interface TextWriter {
  /** Like pdfkit's `text`; `height` with `ellipsis` cuts the text to fit, one line at least. */
  text(text: string, x: number, y: number, options?: PDFKit.Mixins.TextOptions): TextWriter;
  heightOfString(text: string, options?: PDFKit.Mixins.TextOptions): number;
}

/** Sets the typeface, its size and, when given, the colour; returns the writer for text in them. */
export function useFont(doc: PDFKit.PDFDocument, font: FontName, size: number, color?: string): TextWriter {
  selectFace(doc, font).fontSize(size);
  if (color) doc.fillColor(color);
  const writer: TextWriter = {
    text(text, x, y, options = {}) {
      writeText(doc, font, size, text, x, y, options);
      return writer;
    },
    heightOfString: (text, options = {}) => heightOfText(doc, font, text, options),
  };
  return writer;
}

interface Run {
  readonly face: FaceName;
  text: string;
}

/** Consecutive characters set in one face. Spaces, and characters neither face has, join the run before them. */
function runsOf(text: string, font: FontName): Run[] {
  const runs: Run[] = [];
  for (const char of text) {
    const face = faceFor(char, font);
    const current = runs.at(-1);
    if (current && (face === undefined || face === current.face)) current.text += char;
    else runs.push({ face: face ?? font, text: char });
  }
  return runs;
}

function faceFor(char: string, font: FontName): FaceName | undefined {
  if (/\s/.test(char)) return undefined;
  const codePoint = char.codePointAt(0)!;
  if (faceHas(font, codePoint)) return font;
  return FALLBACKS[font].find((face) => faceHas(face, codePoint));
}

function writeText(
  doc: PDFKit.PDFDocument,
  font: FontName,
  size: number,
  text: string,
  x: number,
  y: number,
  options: PDFKit.Mixins.TextOptions,
): void {
  const runs = runsOf(text, font);
  if (runs.length > 1) writeMixedText(doc, font, size, text, x, y, options);
  else if (runs[0] && runs[0].face !== font) {
    selectFace(doc, runs[0].face).text(text, x, y, shaped(text, { ...options, baseline: baselineOf(font, size) }));
    selectFace(doc, font);
  } else doc.text(text, x, y, shaped(text, options));
}

/** Runs written one after the other with pdfkit's `continued`, which wraps them as one text. */
function writeMixedText(
  doc: PDFKit.PDFDocument,
  font: FontName,
  size: number,
  text: string,
  x: number,
  y: number,
  options: PDFKit.Mixins.TextOptions,
): void {
  const { height, ellipsis, align, ...rest } = options;
  const fitted = height !== undefined && ellipsis ? cutToHeight(doc, font, size, text, height, rest) : text;
  const runs = runsOf(fitted, font);
  const width = rest.width ?? doc.page.width - doc.page.margins.right - x;
  const indent = alignmentIndent(doc, runs, width, align);
  const baseline = baselineOf(font, size);
  runs.forEach((run, index) => {
    const runOptions = shaped(run.text, { ...rest, width, baseline, continued: index < runs.length - 1 });
    selectFace(doc, run.face);
    if (index === 0) doc.text(run.text, x + indent, y, runOptions);
    else doc.text(run.text, runOptions);
  });
  selectFace(doc, font);
}

/** Every face sits on the main face's baseline; each would otherwise put it at its own ascent. */
function baselineOf(font: FontName, size: number): number {
  const { ascent, unitsPerEm } = fontkitFace(font);
  return -(ascent / unitsPerEm) * size;
}

/** pdfkit aligns each run on its own; mixed text that fits on one line is moved as a whole instead. */
function alignmentIndent(doc: PDFKit.PDFDocument, runs: Run[], width: number, align?: string): number {
  if (align !== 'right' && align !== 'center') return 0;
  const lineWidth = runs.reduce(
    (sum, run) => sum + selectFace(doc, run.face).widthOfString(run.text, shaped(run.text, {})),
    0,
  );
  if (lineWidth > width) return 0;
  return align === 'right' ? width - lineWidth : (width - lineWidth) / 2;
}

function heightOfText(
  doc: PDFKit.PDFDocument,
  font: FontName,
  text: string,
  options: PDFKit.Mixins.TextOptions,
): number {
  const runs = runsOf(text, font);
  let height = 0;
  runs.forEach((run, index) => {
    selectFace(doc, run.face);
    height += doc.heightOfString(run.text, shaped(run.text, { ...options, continued: index < runs.length - 1 }));
  });
  selectFace(doc, font);
  return height;
}

/** pdfkit's ellipsis works within one run only, so mixed text is shortened before it is drawn. */
function cutToHeight(
  doc: PDFKit.PDFDocument,
  font: FontName,
  size: number,
  text: string,
  height: number,
  options: PDFKit.Mixins.TextOptions,
): string {
  // pdfkit keeps as many lines as fit in the height, one at least; a line with Chinese in it is taller.
  const lines = Math.max(1, Math.floor(height / lineHeight(font, size)));
  const limit = lines * Math.max(lineHeight(font, size), ...FALLBACKS[font].map((face) => lineHeight(face, size)));
  const fits = (candidate: string) => heightOfText(doc, font, candidate, options) <= limit;
  if (fits(text)) return text;
  const chars = [...text];
  while (chars.length > 0 && !fits(chars.join('').trimEnd() + ELLIPSIS)) chars.pop();
  return chars.join('').trimEnd() + ELLIPSIS;
}

function lineHeight(face: FaceName, size: number): number {
  const { ascent, descent, lineGap, unitsPerEm } = fontkitFace(face);
  return ((ascent - descent + lineGap) / unitsPerEm) * size;
}

function faceHas(face: FaceName, codePoint: number): boolean {
  return fontkitFace(face).hasGlyphForCodePoint(codePoint);
}

/**
 * Registering again on every switch keeps each face lazy: Noto Sans SC and KR are only read once some
 * text needs it. pdfkit also takes a fontkit font (its types name only files and buffers), so
 * the fonts are parsed once per process rather than once per document.
 */
function selectFace(doc: PDFKit.PDFDocument, face: FaceName): PDFKit.PDFDocument {
  return doc.registerFont(face, fontkitFace(face) as unknown as Buffer).font(face);
}

const fontkitFaces = new Map<FaceName, Font>();

/** Glyph coverage and metrics, read once per process; the CJK faces (about 10 MB each) only once text needs them. */
function fontkitFace(face: FaceName): Font {
  let loaded = fontkitFaces.get(face);
  if (!loaded) {
    loaded = create(readFileSync(require.resolve(FACE_FILES[face]))) as Font;
    fontkitFaces.set(face, loaded);
  }
  return loaded;
}
