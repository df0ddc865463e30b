import { describe, expect, it } from 'vitest';
import { calendarFeatures, entityAggregates, growthFeatures, lagFeatures, rollingFeatures } from './builders.js';

const W = { partitionBy: ['series'], orderBy: 'month' };

describe('feature builders', () => {
  it('spell window features in the portable subset, excluding the current row from rolling windows', () => {
    expect(lagFeatures('value', W, [1, 12])).toEqual([
      'lag(value, 1) OVER (PARTITION BY series ORDER BY month) AS value_lag_1',
      'lag(value, 12) OVER (PARTITION BY series ORDER BY month) AS value_lag_12',
    ]);
    expect(rollingFeatures('value', W, [3], ['std'])).toEqual([
      'stddev_samp(value) OVER (PARTITION BY series ORDER BY month ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS value_roll3_std',
    ]);
    expect(growthFeatures('value', W)[1]).toBe('CAST(value AS DOUBLE) / nullif(CAST(lag(value, 12) OVER (PARTITION BY series ORDER BY month) AS DOUBLE), 0) - 1 AS value_yoy_growth');
    expect(calendarFeatures('month')[2]).toBe('CAST(floor((CAST(substr(month, 6, 2) AS INT) - 1) / 3) AS INT) + 1 AS quarter');
    expect(entityAggregates('s.amount', ['s.vendor_key'], { as: 'vendor_amount' })[0]).toBe('avg(s.amount) OVER (PARTITION BY s.vendor_key) AS vendor_amount_mean');
  });

  it('reject column names that are not plain identifiers, and bad window sizes', () => {
    expect(() => lagFeatures('value; drop table x', W, [1])).toThrowError('value: "value; drop table x" is not a plain lower-case column name');
    expect(() => rollingFeatures('value', W, [0])).toThrowError('window: expected a whole number ≥ 1, got 0');
    expect(() => lagFeatures('value', { partitionBy: ['Series'], orderBy: 'month' }, [1])).toThrowError(/partitionBy: "Series"/);
  });
});
