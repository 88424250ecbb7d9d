import { describe, expect, it } from 'vitest';
import { formatSeconds, parseDurationMs } from './duration.ts';

describe('xs:duration for w:OperationTimeout', () => {
  it.each([
    ['PT20S', 20_000],
    ['PT60.000S', 60_000],
    ['PT0.5S', 500],
    ['P0DT0H0M20S', 20_000],
    ['PT1H2M3S', 3_723_000],
    ['P1D', 86_400_000],
  ])('%s = %i ms', (s, ms) => expect(parseDurationMs(s)).toBe(ms));

  it.each(['', 'P', 'PT', '20', 'P1Y', 'PT-1S', 'PTS'])('%j is refused', (s) => expect(parseDurationMs(s)).toBeUndefined());

  it('formats whole seconds as pywinrm does', () => expect(formatSeconds(20.9)).toBe('PT20S'));
});
