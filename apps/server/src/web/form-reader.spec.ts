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
