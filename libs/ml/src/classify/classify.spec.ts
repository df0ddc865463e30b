import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './metrics.js';
import { amountBucket, expenseTokens, predictNaiveBayes, trainNaiveBayes } from './naive-bayes.js';

describe('expense tokens', () => {
  it('uses vendor words, the whole vendor, description words and the amount magnitude', () => {
    expect(expenseTokens({ vendor: "Max's Restaurant", description: 'client dinner (corrected)', amount: 1250 })).toEqual([
      'v:max', 'v:restaurant', 'vk:max_restaurant', 'd:client', 'd:dinner', 'amt:3',
    ]);
    expect([amountBucket(0), amountBucket(9.99), amountBucket(10), amountBucket(5e9)]).toEqual([0, 0, 1, 7]);
  });
});

describe('multinomial naive Bayes (hand-checked)', () => {
  // Two classes, vocabulary {a, b, c}; alpha = 1.
  // food: a a b (3 tokens) → P(a|food) = 3/6, P(b|food) = 2/6, P(c|food) = 1/6
  // taxi: c c (2 tokens)  → P(a|taxi) = 1/5, P(b|taxi) = 1/5, P(c|taxi) = 3/5
  const model = trainNaiveBayes([
    { tokens: ['a', 'a'], label: 'food' },
    { tokens: ['b'], label: 'food' },
    { tokens: ['c', 'c'], label: 'taxi' },
  ]);

  it('learns Laplace-smoothed likelihoods and priors', () => {
    expect(model.classes).toEqual(['food', 'taxi']);
    expect(model.logPriors.map(Math.exp)).toEqual([2 / 3, 1 / 3].map((p) => expect.closeTo(p, 12)));
    expect(model.logLikelihoods['a']?.map(Math.exp)).toEqual([3 / 6, 1 / 5].map((p) => expect.closeTo(p, 12)));
    expect(model.logLikelihoods['c']?.map(Math.exp)).toEqual([1 / 6, 3 / 5].map((p) => expect.closeTo(p, 12)));
  });

  it('predicts the posterior: P(food | c) = (2/3 · 1/6) / (2/3 · 1/6 + 1/3 · 3/5)', () => {
    const p = predictNaiveBayes(model, ['c', 'zzz']);
    const food = (2 / 3) * (1 / 6);
    const taxi = (1 / 3) * (3 / 5);
    expect(p.category).toBe('taxi');
    expect(p.probability).toBeCloseTo(taxi / (food + taxi), 12);
    expect(p.unknownTokens).toEqual(['zzz']);
  });

  it('falls back to the prior, saying so, when no token is known', () => {
    const p = predictNaiveBayes(model, ['never', 'seen']);
    expect(p.category).toBe('food');
    expect(p.note).toMatch(/no token of this expense was seen in training/);
  });
});

describe('classification metrics', () => {
  it('computes accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix', () => {
    const m = classificationMetrics(['a', 'a', 'a', 'b', 'b', 'c'], ['a', 'a', 'b', 'b', 'c', 'c']);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.confusion).toEqual({ labels: ['a', 'b', 'c'], matrix: [[2, 1, 0], [0, 1, 1], [0, 0, 1]] });
    // a: P 1, R 2/3 → F1 0.8; b: P 1/2, R 1/2 → 0.5; c: P 1/2, R 1 → 2/3.
    expect(m.perClass['a']?.f1).toBeCloseTo(0.8, 12);
    expect(m.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });
});
