import { isTimeZone } from '@scope-ledger/domain';
import { formatInTimeZone, formatUtcTimestamp } from './document-format';

describe('times on documents', () => {
  it('shows a UTC moment as the wall-clock time of the signer’s zone, across the date line and DST', () => {
    expect(formatInTimeZone('2026-12-06T23:10:05Z', 'Pacific/Auckland')).toBe('2026-12-07 12:10:05 Pacific/Auckland');
    expect(formatInTimeZone('2026-07-01T12:00:00Z', 'Europe/Warsaw')).toBe('2026-07-01 14:00:00 Europe/Warsaw');
    expect(formatInTimeZone('2026-01-01T12:00:00Z', 'Europe/Warsaw')).toBe('2026-01-01 13:00:00 Europe/Warsaw');
    expect(formatInTimeZone('2026-03-02T00:30:00Z', 'America/New_York')).toBe('2026-03-01 19:30:00 America/New_York');
  });

  it('falls back to UTC for a zone the runtime does not know', () => {
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(formatInTimeZone('2026-03-02T00:30:00Z', 'Mars/Olympus_Mons')).toBe(
      formatUtcTimestamp('2026-03-02T00:30:00Z'),
    );
  });
});
