import { describe, expect, it } from 'vitest';
import { compileStrftime, StrftimeFormatError } from './strftime.js';

/** The regex alone (the SQL adds the day-of-month check). */
function matches(format: string, value: string): boolean {
  return new RegExp(compileStrftime(format).regex.replace('(?i)', ''), 'i').test(value);
}

describe('compileStrftime (Python strptime semantics)', () => {
  it('matches whole values with Python directive patterns', () => {
    expect(matches('%Y-%m-%d', '2019-04-01')).toBe(true);
    expect(matches('%Y-%m-%d', '2019-4-1')).toBe(true); // Python accepts unpadded months and days
    expect(matches('%Y%m%d', '2019-04-01')).toBe(false);
    expect(matches('%m-%d-%Y', '01/20/2019')).toBe(false);
    expect(matches('%Y-%m-%dT%H:%M:%S', '1977-05-55T00:00:00')).toBe(false);
    expect(matches('%d %b %Y', '01   jan 2020')).toBe(true); // whitespace runs and case-insensitive names
    expect(matches('%Y.%m', '2020x01')).toBe(false); // literal characters are escaped
  });

  it('numbers the groups needed to check the date', () => {
    expect(compileStrftime('%d/%m/%Y').groups).toEqual({ d: 1, m: 2, Y: 3 });
    expect(compileStrftime('%B %d, %y').groups).toEqual({ b: 1, d: 2, y: 3 });
  });

  it('rejects formats Python cannot use, with its wording', () => {
    expect(() => compileStrftime('%D')).toThrow(StrftimeFormatError);
    expect(() => compileStrftime('%D')).toThrow("'D' is a bad directive in format '%D'");
    expect(() => compileStrftime('%Y-%')).toThrow(/stray %/);
    expect(() => compileStrftime('%Y %Y')).toThrow(/redefinition/);
    expect(() => compileStrftime('%G')).toThrow(/ISO year directive/);
  });
});
