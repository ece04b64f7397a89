import { printableDeep, printableText } from './printable-text';

describe('printableText', () => {
  it('keeps names in every script exactly as typed', () => {
    for (const name of [
      'Łukasz Więckowski',
      'Gabinet Żółć',
      'Γιώργος Παπαδόπουλος',
      'Анна Смирнова',
      'Nguyễn Văn Thắng',
      '王小明 (Wang)',
      'Café Müller – “quoted” — €1,200',
    ]) {
      expect(printableText(name)).toBe(name);
    }
  });

  it('composes a letter typed with a combining accent', () => {
    expect(printableText('e\u0301 Nguye\u0302\u0303n')).toBe('é Nguyễn');
  });

  it('removes control, invisible and direction-override characters and broken surrogates', () => {
    expect(printableText('a\u0000b\u0007c\u202eevil\u202c\u200bd\ud800e')).toBe('abcevilde');
  });

  it('turns line breaks into spaces unless the text is multi-line', () => {
    expect(printableText('one\r\ntwo\tthree')).toBe('one two three');
    expect(printableText('one\r\ntwo\rthree', { multiline: true })).toBe('one\ntwo\nthree');
  });

  it('leaves markup as the literal text it is', () => {
    expect(printableText('<script>alert("x")</script>')).toBe('<script>alert("x")</script>');
  });
});

describe('printableDeep', () => {
  it('cleans every string of a nested value and keeps binary data as it is', () => {
    const png = Buffer.from([1, 2, 3]);
    const result = printableDeep(
      { title: 'a\nb', terms: 'a\nb', list: [{ name: '中\u0000' }], png, count: 3 },
      new Set(['terms']),
    );
    expect(result).toEqual({ title: 'a b', terms: 'a\nb', list: [{ name: '中' }], png, count: 3 });
    expect(result.png).toBe(png);
  });
});
