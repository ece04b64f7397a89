import {
  addCalendarDays,
  calendarDateIn,
  canonicalTimeZone,
  isIsoDate,
  isTimeZone,
  startOfDayIn,
  WorkingCalendar,
} from './calendar';

// March and April 2026: the 2nd of March is a Monday; Good Friday is the 3rd of April.
const GOOD_FRIDAY = '2026-04-03';
const plain = new WorkingCalendar();
const withGoodFriday = new WorkingCalendar([GOOD_FRIDAY]);

describe('working days', () => {
  it('are Monday to Friday', () => {
    expect(plain.isWorkingDay('2026-03-02')).toBe(true); // Monday
    expect(plain.isWorkingDay('2026-03-06')).toBe(true); // Friday
    expect(plain.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(plain.isWorkingDay('2026-03-08')).toBe(false); // Sunday
  });

  it("leave out the project's holidays", () => {
    expect(plain.isWorkingDay(GOOD_FRIDAY)).toBe(true);
    expect(withGoodFriday.isWorkingDay(GOOD_FRIDAY)).toBe(false);
  });
});

describe('moving a date by working days', () => {
  it('counts within a week', () => {
    expect(plain.addWorkingDays('2026-03-02', 4)).toBe('2026-03-06');
  });

  it('skips the weekend', () => {
    expect(plain.addWorkingDays('2026-03-06', 1)).toBe('2026-03-09'); // Friday + 1 = Monday
    expect(plain.addWorkingDays('2026-03-02', 5)).toBe('2026-03-09');
    expect(plain.addWorkingDays('2026-03-02', 10)).toBe('2026-03-16');
  });

  it('skips a holiday', () => {
    expect(plain.addWorkingDays('2026-04-02', 1)).toBe('2026-04-03');
    expect(withGoodFriday.addWorkingDays('2026-04-02', 1)).toBe('2026-04-06'); // Thursday + 1 = Easter Monday
  });

  it('moves backwards for a negative shift, skipping weekends and holidays', () => {
    expect(plain.addWorkingDays('2026-03-09', -1)).toBe('2026-03-06'); // Monday - 1 = Friday
    expect(withGoodFriday.addWorkingDays('2026-04-06', -1)).toBe('2026-04-02');
    expect(plain.addWorkingDays('2026-03-16', -10)).toBe('2026-03-02');
  });

  it('leaves the date alone for a shift of zero, even on a weekend', () => {
    expect(plain.addWorkingDays('2026-03-07', 0)).toBe('2026-03-07');
  });

  it('lands on the next or previous working day when starting from a weekend', () => {
    expect(plain.addWorkingDays('2026-03-07', 1)).toBe('2026-03-09'); // Saturday + 1 = Monday
    expect(plain.addWorkingDays('2026-03-08', -1)).toBe('2026-03-06'); // Sunday - 1 = Friday
  });

  it('refuses a fraction of a working day', () => {
    expect(() => plain.addWorkingDays('2026-03-02', 1.5)).toThrow(RangeError);
  });
});

describe('working days between two dates', () => {
  it('counts the working days after the first date up to and including the second', () => {
    // 3 to 6 March (4) + 9 to 13 March (5)
    expect(plain.workingDaysBetween('2026-03-02', '2026-03-13')).toBe(9);
    expect(plain.workingDaysBetween('2026-03-02', '2026-03-02')).toBe(0);
  });

  it('is negative when the second date is earlier', () => {
    expect(plain.workingDaysBetween('2026-03-13', '2026-03-02')).toBe(-9);
  });

  it('does not count a holiday', () => {
    // 30 March to 3 April (5) + 6 to 10 April (5), less Good Friday
    expect(plain.workingDaysBetween('2026-03-27', '2026-04-10')).toBe(10);
    expect(withGoodFriday.workingDaysBetween('2026-03-27', '2026-04-10')).toBe(9);
  });

  it('counts a weekend as nothing', () => {
    expect(plain.workingDaysBetween('2026-03-06', '2026-03-08')).toBe(0);
    expect(plain.workingDaysBetween('2026-03-07', '2026-03-09')).toBe(1);
  });

  it('undoes every shift: the days between a date and its shifted date are the shift', () => {
    for (let offset = 0; offset < 61; offset++) {
      const from = addCalendarDays('2026-03-01', offset);
      for (let shift = -12; shift <= 12; shift++) {
        const to = withGoodFriday.addWorkingDays(from, shift);
        expect([from, shift, withGoodFriday.workingDaysBetween(from, to)]).toEqual([from, shift, shift]);
      }
    }
  });
});

describe('calendar dates', () => {
  it('are real dates written YYYY-MM-DD', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-3-2')).toBe(false);
    expect(isIsoDate('2026-03-02T00:00:00Z')).toBe(false);
    expect(isIsoDate(20260302)).toBe(false);
  });

  it('move by calendar days across a month end', () => {
    expect(addCalendarDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe("a project's today", () => {
  it('is the calendar date in its time zone, and in UTC without one', () => {
    expect(calendarDateIn('2026-03-10T16:00:00.000Z', 'Pacific/Auckland')).toBe('2026-03-11');
    expect(calendarDateIn('2026-03-10T03:00:00.000Z', 'America/Los_Angeles')).toBe('2026-03-09');
    expect(calendarDateIn('2026-03-10T16:00:00.000Z', 'Europe/Warsaw')).toBe('2026-03-10');
    expect(calendarDateIn('2026-03-10T23:30:00.000Z', undefined)).toBe('2026-03-10');
  });
});

describe('the start of a day in a time zone', () => {
  it('is local midnight as a UTC instant, following daylight saving', () => {
    // Auckland is UTC+13 until 5 April 2026, then UTC+12.
    expect(startOfDayIn('2026-03-21', 'Pacific/Auckland')).toBe('2026-03-20T11:00:00.000Z');
    expect(startOfDayIn('2026-04-06', 'Pacific/Auckland')).toBe('2026-04-05T12:00:00.000Z');
    // Los Angeles moved to UTC-7 on 8 March 2026, at 02:00.
    expect(startOfDayIn('2026-03-08', 'America/Los_Angeles')).toBe('2026-03-08T08:00:00.000Z');
    expect(startOfDayIn('2026-03-09', 'America/Los_Angeles')).toBe('2026-03-09T07:00:00.000Z');
    expect(startOfDayIn('2026-03-21', undefined)).toBe('2026-03-21T00:00:00.000Z');
  });

  it('is the first moment of the day where the clock skips midnight', () => {
    // Santiago goes from 00:00 (UTC-4) straight to 01:00 (UTC-3) on 6 September 2026.
    expect(startOfDayIn('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
  });
});

describe('time zone names', () => {
  it('are spelled as the zone database spells them, however they were typed', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Pacific/Auckland')).toBe('Pacific/Auckland');
  });

  it('are null, and no time zone, when the runtime does not know them', () => {
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('europe/berlin')).toBe(true);
  });
});
