import {
  divideRoundHalfUp,
  formatHours,
  formatMoney,
  isCurrencyCode,
  isMinor,
  lineCost,
  MAX_MINOR,
  toCentiHours,
} from './money';

describe('hours', () => {
  it.each([
    [2, 200],
    [2.5, 250],
    ['2.25', 225],
    [' 7.5 ', 750],
    [0.01, 1],
    [0, 0],
    [-1.5, -150],
    [100_000, 10_000_000],
  ])('accepts %p hours as %p hundredths', (hours, centiHours) => {
    expect(toCentiHours(hours)).toBe(centiHours);
  });

  it.each([
    ['2.255 (three decimals)', 2.255],
    ['"2.255" (three decimals)', '2.255'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['"1e3" (exponent notation)', '1e3'],
    ['0.1 + 0.2 (a float artefact)', 0.1 + 0.2],
    ['100,000.01 (over the maximum)', 100_000.01],
    ['"100001" (over the maximum)', '100001'],
    ['an empty string', ''],
    ['"two"', 'two'],
  ])('refuses %s', (_label, hours) => {
    expect(toCentiHours(hours)).toBeUndefined();
  });

  it('prints hundredths of hours with two decimals', () => {
    expect(formatHours(4825)).toBe('48.25');
    expect(formatHours(5)).toBe('0.05');
    expect(formatHours(-400)).toBe('-4.00');
  });
});

describe('line cost: hours x rate + fixed cost, rounded half up to the cent', () => {
  it('keeps an exact product exact', () => {
    // 12.5 h x 15,000 ¢/h = 187,500 ¢
    expect(lineCost(1250, 15_000)).toBe(187_500);
  });

  it('rounds a fraction of a cent above one half up', () => {
    // 1.33 h x 9,999 ¢/h = 13,298.67 ¢ -> 13,299
    expect(lineCost(133, 9_999)).toBe(13_299);
  });

  it('rounds a fraction below one half down', () => {
    // 1.01 h x 33 ¢/h = 33.33 ¢ -> 33
    expect(lineCost(101, 33)).toBe(33);
  });

  it('rounds exactly one half up', () => {
    // 0.5 h x 1 ¢/h = 0.5 ¢ -> 1
    expect(lineCost(50, 1)).toBe(1);
    // 48.25 h x 9,550 ¢/h = 460,787.5 ¢ -> 460,788
    expect(lineCost(4825, 9_550)).toBe(460_788);
  });

  it('rounds negative hours symmetrically, away from zero', () => {
    // -1.33 h x 9,999 ¢/h = -13,298.67 ¢ -> -13,299
    expect(lineCost(-133, 9_999)).toBe(-13_299);
    // -0.5 h x 1 ¢/h = -0.5 ¢ -> -1
    expect(lineCost(-50, 1)).toBe(-1);
  });

  it('adds the fixed cost after rounding the labour', () => {
    // 0.5 h x 1 ¢/h = 0.5 -> 1, plus 120,000 fixed = 120,001
    expect(lineCost(50, 1, 120_000)).toBe(120_001);
    // a fixed-cost-only item: 0 h plus 49,900
    expect(lineCost(0, 15_000, 49_900)).toBe(49_900);
  });

  it('stays exact at the largest hours and rate it accepts', () => {
    // 100,000 h x 100,000,000 ¢/h = 10,000,000,000,000 ¢
    expect(lineCost(10_000_000, 100_000_000)).toBe(10_000_000_000_000);
    // 99,999.99 h x 99,999,999 ¢/h = 9,999,998,900,000.01 ¢ -> 9,999,998,900,000
    expect(lineCost(9_999_999, 99_999_999)).toBe(9_999_998_900_000);
  });
});

describe('currency codes', () => {
  it('are the ISO 4217 codes of currencies, in capitals', () => {
    for (const code of ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'KWD']) expect(isCurrencyCode(code)).toBe(true);
  });

  it('are not any three capitals, lower case, "no currency" or the testing code', () => {
    for (const code of ['XYZ', 'ZZZ', 'usd', 'US', 'XXX', 'XTS', '840', 'toString'])
      expect(isCurrencyCode(code)).toBe(false);
  });
});

describe('amounts', () => {
  it('are whole numbers of minor units within the maximum', () => {
    expect(isMinor(0)).toBe(true);
    expect(isMinor(-MAX_MINOR)).toBe(true);
    expect(isMinor(MAX_MINOR + 1)).toBe(false);
    expect(isMinor(10.5)).toBe(false);
    expect(isMinor('100')).toBe(false);
  });

  it('divide with halves rounded away from zero', () => {
    expect(divideRoundHalfUp(5, 2)).toBe(3);
    expect(divideRoundHalfUp(-5, 2)).toBe(-3);
    expect(divideRoundHalfUp(4, 3)).toBe(1);
    expect(() => divideRoundHalfUp(1, 0)).toThrow(RangeError);
  });

  it('divide exactly near the largest safe integers too', () => {
    // 2^52 + 1 = 4503599627370497; / 2 is 2251799813685248.5, rounded up.
    expect(divideRoundHalfUp(4_503_599_627_370_497, 2)).toBe(2_251_799_813_685_249);
    // 9007199254740991 / 10 = 900719925474099.1.
    expect(divideRoundHalfUp(Number.MAX_SAFE_INTEGER, 10)).toBe(900_719_925_474_099);
    expect(divideRoundHalfUp(-2_251_799_813_685_247, 3)).toBe(-750_599_937_895_082);
  });
});

describe('formatting money', () => {
  it.each([
    [123_456, 'USD', 'USD 1,234.56'],
    [5, 'USD', 'USD 0.05'],
    [0, 'EUR', 'EUR 0.00'],
    [123_456_789_012, 'USD', 'USD 1,234,567,890.12'],
    [-78_850, 'USD', '-USD 788.50'],
    [1_234_567, 'JPY', 'JPY 1,234,567'],
    [-500, 'JPY', '-JPY 500'],
    [1_234, 'BHD', 'BHD 1.234'],
    [100_000, 'usd', 'USD 1,000.00'],
  ])('shows %p minor units of %s as %p', (amount, currency, text) => {
    expect(formatMoney(amount, currency)).toBe(text);
  });
});
