import { describe, expect, it } from 'vitest';
import { formatCount, formatDate, formatDateTime, formatDuration, formatMonth, formatPercent, formatPhp, isIsoDate, manilaDate } from './format.js';
import { escapeHtml, html, jsonForScript, scriptSource, trustedHtml } from './html.js';

describe('amounts in pesos', () => {
  it.each([
    ['6470818.00', '₱6,470,818.00'],
    ['6470818.005', '₱6,470,818.01'],
    ['0.004', '₱0.00'],
    ['-0.001', '₱0.00'],
    ['-4856.24', '-₱4,856.24'],
    ['999999999999999999999999999999.99', '₱999,999,999,999,999,999,999,999,999,999.99'],
    ['12', '₱12.00'],
    [1234.5, '₱1,234.50'],
    [19569n, '₱19,569.00'],
  ])('%s → %s (exact from the DECIMAL string, half away from zero)', (value, expected) => {
    expect(formatPhp(value)).toBe(expected);
  });

  it('shows a dash for missing or non-numeric values', () => {
    for (const value of [null, undefined, 'abc', '', Number.NaN, {}]) expect(formatPhp(value)).toBe('—');
  });

  it('formats counts and percentages with separators', () => {
    expect(formatCount(19569n)).toBe('19,569');
    expect(formatCount('41.957', 2)).toBe('41.96');
    expect(formatCount(-1234567)).toBe('-1,234,567');
    expect(formatPercent('13.62')).toBe('13.62%');
  });
});

describe('months, dates and times in Asia/Manila', () => {
  it('shows reporting months and calendar dates as Manila calendar days', () => {
    expect(formatMonth('2025-03')).toBe('Mar 2025');
    expect(formatMonth('2025-Q1')).toBe('2025-Q1');
    expect(formatDate('2026-01-15')).toBe('Jan 15, 2026');
  });

  it('shows instants as Manila wall-clock time (UTC+8), across the date line', () => {
    expect(formatDateTime(new Date('2026-11-27T11:33:27Z'))).toBe('2026-11-27 19:33:27 PHT');
    expect(formatDateTime(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01 00:30:00 PHT');
  });

  it("takes today's date in Manila as the default as-of date", () => {
    expect(manilaDate(new Date('2026-01-14T15:59:59Z'))).toBe('2026-01-14');
    expect(manilaDate(new Date('2026-01-14T16:00:00Z'))).toBe('2026-01-15');
  });

  it('accepts only real calendar dates as YYYY-MM-DD', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    for (const bad of ['2025-02-29', '2026-13-01', '2026-1-5', '20260105', ' 2026-01-05']) expect(isIsoDate(bad)).toBe(false);
  });

  it('formats durations for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(2_370)).toBe('2.4 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(null)).toBe('—');
  });
});

describe('escaping', () => {
  const attack = `"><img src=x onerror=alert(1)>'&`;

  it('escapes every interpolated value in text and attributes, keeps safe fragments', () => {
    const cell = html`<td title="${attack}">${attack}</td>`;
    expect(cell.value).toBe('<td title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;</td>');
    expect(html`<tr>${[cell, attack]}</tr>`.value).toContain(`${cell.value}${escapeHtml(attack)}`);
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
    expect(html`${trustedHtml('<b>ok</b>')}`.value).toBe('<b>ok</b>');
  });

  it('writes JSON that cannot close its script element', () => {
    const json = jsonForScript({ vendor: '</script><script>alert(1)</script>', amp: 'a&b', ls: '\u2028' });
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ vendor: '</script><script>alert(1)</script>', amp: 'a&b', ls: '\u2028' });
  });

  it('inlines scripts without a closing tag inside them', () => {
    expect(scriptSource('var s = "</script>";').value).toBe('var s = "<\\/script>";');
    expect(() => scriptSource('var s = "<!--";')).toThrow(/<!--/);
  });
});
