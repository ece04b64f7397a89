import { decimalAmount } from '@scope-ledger/domain';
import { csvField, toCsv } from './csv';

describe('finance CSV', () => {
  it('starts with a UTF-8 byte order mark so spreadsheets read accented names correctly', () => {
    const csv = toCsv(['client'], [{ client: 'Gabinet Żółć' }]);
    expect(csv.startsWith('\uFEFFclient\r\nGabinet Żółć\r\n')).toBe(true);
  });

  it.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['-2,5', `"'-2,5"`],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['  =1+1', "'  =1+1"],
    ['\n=1+1', `"'\n=1+1"`],
    ['\t=1', "'\t=1"],
    ['\r\n@x', `"'\r\n@x"`],
  ])('keeps %j as text rather than a formula', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it('leaves ordinary text and numbers alone, quoting only when needed', () => {
    expect(csvField('Contoso, Ltd')).toBe('"Contoso, Ltd"');
    expect(csvField('CO-1')).toBe('CO-1');
    expect(csvField(-5)).toBe('-5');
    expect(csvField('-644.63')).toBe('-644.63');
    expect(csvField(undefined)).toBe('');
  });

  it('writes amounts in major units with the currency’s decimals', () => {
    expect(decimalAmount(123456, 'USD')).toBe('1234.56');
    expect(decimalAmount(-200000, 'EUR')).toBe('-2000.00');
    expect(decimalAmount(5, 'USD')).toBe('0.05');
    expect(decimalAmount(1500, 'JPY')).toBe('1500');
    expect(decimalAmount(1234, 'KWD')).toBe('1.234');
  });
});
