import { toWinAnsiDeep, toWinAnsiText } from './winansi-text';

const WINANSI_ONLY = new RegExp(
  String.raw`^[\n\x20-\x7e\xa0-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013` +
    String.raw`\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]*$`,
);

describe('toWinAnsiText', () => {
  it('keeps Latin-1 and the typographic characters Helvetica has', () => {
    const text = 'Café Müller – “quoted” — €1,200 • naïve Œuvre™';
    expect(toWinAnsiText(text)).toBe(text);
  });

  it('keeps the letter and drops the accent where Helvetica lacks the accented form', () => {
    expect(toWinAnsiText('Zażółć gęślą jaźń')).toBe('Zazólc gesla jazn');
    expect(toWinAnsiText('Łódź, Dvořák, Ｆｕｌｌ')).toBe('Lódz, Dvorák, Full');
    expect(toWinAnsiText('e\u0301')).toBe('é');
  });

  it('replaces characters it cannot draw with one question mark each', () => {
    expect(toWinAnsiText('中文 😀 \ud800')).toBe('?? ? ?');
  });

  it('removes control and direction-override characters', () => {
    expect(toWinAnsiText('a\u0000b\u0007c\u202eevil\u202c\u200bd')).toBe('abcevild');
  });

  it('turns line breaks into spaces unless the text is multi-line', () => {
    expect(toWinAnsiText('one\r\ntwo\tthree')).toBe('one two three');
    expect(toWinAnsiText('one\r\ntwo\rthree', { multiline: true })).toBe('one\ntwo\nthree');
  });

  it('leaves markup as the literal text it is', () => {
    expect(toWinAnsiText('<script>alert("x")</script>')).toBe('<script>alert("x")</script>');
  });

  it('produces only drawable characters for every code point', () => {
    let all = '';
    for (let codePoint = 0; codePoint < 0x30000; codePoint += 7) all += String.fromCodePoint(codePoint);
    expect(toWinAnsiText(all, { multiline: true })).toMatch(WINANSI_ONLY);
  });
});

describe('toWinAnsiDeep', () => {
  it('cleans every string of a nested value and keeps binary data as it is', () => {
    const png = Buffer.from([1, 2, 3]);
    const result = toWinAnsiDeep(
      { title: 'a\nb', terms: 'a\nb', list: [{ name: '中' }], png, count: 3 },
      new Set(['terms']),
    );
    expect(result).toEqual({ title: 'a b', terms: 'a\nb', list: [{ name: '?' }], png, count: 3 });
    expect(result.png).toBe(png);
  });
});
