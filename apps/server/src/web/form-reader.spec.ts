import { ProblemException } from '../http/problem-details.filter';
import { FormReader } from './form-reader';

describe('FormReader', () => {
  it('reads amounts typed plainly or as the pages print them', () => {
    const form = new FormReader({ a: '1,250.5', b: 'USD 1,250.00', c: 'usd 3', d: '900' });
    expect(form.money('a', 'USD')).toBe(125_050);
    expect(form.money('b', 'USD')).toBe(125_000);
    expect(form.money('c', 'USD')).toBe(300);
    expect(form.money('d', 'JPY')).toBe(900);
    form.assertReadable();
  });

  it('refuses amounts with too many decimals, by field', () => {
    const form = new FormReader({ rate: '12.345', yen: '12.5' });
    expect(form.money('rate', 'USD')).toBeUndefined();
    expect(form.money('yen', 'JPY')).toBeUndefined();
    let refused: unknown;
    try {
      form.assertReadable();
    } catch (error) {
      refused = error;
    }
    expect((refused as ProblemException).errors).toEqual([
      { field: 'rate', message: 'Enter an amount in USD with at most 2 decimals, such as 1250.00' },
      { field: 'yen', message: 'Enter an amount in JPY, such as 1250' },
    ]);
  });

  it('reads a comma before one or two last digits as a decimal mark, for hours and money alike', () => {
    const form = new FormReader({ logged: '1,5', assessed: '2,5', price: '22,50', invoice: '9,25', yen: '1,5' });
    expect(form.number('logged')).toBe(1.5);
    expect(form.number('assessed')).toBe(2.5);
    expect(form.money('price', 'USD')).toBe(2_250);
    expect(form.money('invoice', 'USD')).toBe(925);
    form.assertReadable();
    // A yen amount has no decimals, with a comma or a dot.
    expect(form.money('yen', 'JPY')).toBeUndefined();
  });

  it('keeps commas as thousands separators where every group after them has three digits', () => {
    const form = new FormReader({ hours: '1,500', more: '12,345.67', money: '1,234.50', big: 'USD 1,234,567.89' });
    expect(form.number('hours')).toBe(1500);
    expect(form.number('more')).toBe(12_345.67);
    expect(form.money('money', 'USD')).toBe(123_450);
    expect(form.money('big', 'USD')).toBe(123_456_789);
    form.assertReadable();
  });

  it('refuses commas that are neither, by field, saying what form the number must take', () => {
    const form = new FormReader({ a: '1,5000', b: '1,50.5', c: '1.500,5', d: '1,5000', e: '1,50.5', f: '1.500,5' });
    for (const field of ['a', 'b', 'c']) expect(form.number(field)).toBeUndefined();
    for (const field of ['d', 'e', 'f']) expect(form.money(field, 'USD')).toBeUndefined();
    let refused: unknown;
    try {
      form.assertReadable();
    } catch (error) {
      refused = error;
    }
    const rule =
      'a comma separates thousands only before groups of three digits, ' +
      'and is a decimal mark only before the last one or two digits (1,5 is 1.5)';
    const hours = `Enter a number such as 1500, 1,500.25 or 1.5; ${rule}`;
    const amount = `Enter an amount in USD such as 1,250.00 or 1250.00; ${rule}`;
    expect((refused as ProblemException).getStatus()).toBe(400);
    expect((refused as ProblemException).errors).toEqual([
      { field: 'a', message: hours },
      { field: 'b', message: hours },
      { field: 'c', message: hours },
      { field: 'd', message: amount },
      { field: 'e', message: amount },
      { field: 'f', message: amount },
    ]);
  });

  it('never runs a currency as a pattern', () => {
    for (const currency of ['a);', '(A+)+$', '[', 'toString', '__proto__']) {
      const started = Date.now();
      const form = new FormReader({ rate: `${'A'.repeat(40)}!` });
      expect(form.money('rate', currency)).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(100);
    }
  });

  it('keeps names users type as plain values, and field names only of the shapes the pages use', () => {
    // As a body parser hands it over: "__proto__" an own field, not the prototype.
    const body = JSON.parse(
      JSON.stringify({
        constructor: 'kept as a field',
        'rates[0].role': '__proto__',
        'rates[0].rate': '1',
        'rates[1].role': 'toString',
        'rates[1].rate': '2',
      }).replace('{', '{"__proto__":"x",'),
    ) as object;
    const form = new FormReader(body);
    expect(form.text('constructor')).toBe('kept as a field');
    expect(form.text('toString')).toBe('');
    expect(form.rows('rates', ['role', 'rate'])).toBe(2);
    expect(form.text('rates[0].role')).toBe('__proto__');
    expect(Object.keys(form.values)).not.toContain('__proto__');
  });

  it('drops blank rows and renumbers the rest', () => {
    const form = new FormReader({ 'lines[0].ref': '', 'lines[2].ref': 'B', 'lines[5].ref': 'C', notes: 'n' });
    expect(form.rows('lines', ['ref'])).toBe(2);
    expect(form.values).toEqual({ notes: 'n', 'lines[0].ref': 'B', 'lines[1].ref': 'C' });
  });
});
