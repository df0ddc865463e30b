import { invalidInput, MlError } from '../errors.js';

/** What the classifier sees of an expense. */
export interface ExpenseText {
  readonly vendor: string;
  readonly description: string;
  readonly amount: number;
}

/**
 * Tokens of an expense: lower-cased word tokens of the vendor (`v:`) and description (`d:`), the
 * whole normalised vendor (`vk:`), and the amount's order of magnitude (`amt:3` = ₱1,000–9,999).
 * "(corrected)" edits and punctuation do not create new tokens.
 */
export function expenseTokens(x: ExpenseText): string[] {
  const words = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter((w) => w.length > 1);
  const vendorWords = words(x.vendor);
  const tokens = vendorWords.map((w) => `v:${w}`);
  if (vendorWords.length) tokens.push(`vk:${vendorWords.join('_')}`);
  for (const w of words(x.description)) if (w !== 'corrected') tokens.push(`d:${w}`);
  tokens.push(`amt:${amountBucket(x.amount)}`);
  return tokens;
}

/** ⌊log10(amount)⌋ clamped to 0–7; non-positive amounts are bucket 0. */
export function amountBucket(amount: number): number {
  if (!(amount > 0)) return 0;
  return Math.max(0, Math.min(7, Math.floor(Math.log10(amount))));
}

/** A trained multinomial naive Bayes model (plain JSON, stored as the registry artifact). */
export interface NaiveBayesModel {
  readonly kind: 'multinomial_naive_bayes';
  readonly classes: readonly string[];
  readonly alpha: number;
  /** log P(class). */
  readonly logPriors: readonly number[];
  /** log P(token | class) per known token, Laplace-smoothed. */
  readonly logLikelihoods: Readonly<Record<string, readonly number[]>>;
  /** Number of training examples. */
  readonly examples: number;
}

export interface Prediction {
  readonly category: string;
  readonly probability: number;
  /** Tokens never seen in training (ignored by the model). */
  readonly unknownTokens: readonly string[];
  /** Set when the prediction rests on the prior alone (no known token). */
  readonly note?: string;
}

/** Trains multinomial naive Bayes with additive (Laplace) smoothing `alpha` (default 1). */
export function trainNaiveBayes(examples: readonly { readonly tokens: readonly string[]; readonly label: string }[], alpha = 1): NaiveBayesModel {
  if (examples.length === 0) throw new MlError('NO_FEATURES', 'no labelled examples to train the classifier on');
  if (!(alpha > 0)) throw invalidInput('alpha', alpha, 'a smoothing constant > 0');
  const classes = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const classCounts = new Array<number>(classes.length).fill(0);
  const tokenTotals = new Array<number>(classes.length).fill(0);
  const counts = new Map<string, number[]>();
  for (const e of examples) {
    const c = index.get(e.label) as number;
    classCounts[c] = (classCounts[c] as number) + 1;
    for (const token of e.tokens) {
      let row = counts.get(token);
      if (!row) counts.set(token, (row = new Array<number>(classes.length).fill(0)));
      row[c] = (row[c] as number) + 1;
      tokenTotals[c] = (tokenTotals[c] as number) + 1;
    }
  }
  const vocabulary = counts.size;
  const logLikelihoods: Record<string, number[]> = {};
  for (const token of [...counts.keys()].sort()) {
    const row = counts.get(token) as number[];
    logLikelihoods[token] = row.map((n, c) => Math.log((n + alpha) / ((tokenTotals[c] as number) + alpha * vocabulary)));
  }
  return {
    kind: 'multinomial_naive_bayes',
    classes,
    alpha,
    logPriors: classCounts.map((n) => Math.log(n / examples.length)),
    logLikelihoods,
    examples: examples.length,
  };
}

/** The most probable class and its posterior probability (softmax of the log scores). */
export function predictNaiveBayes(model: NaiveBayesModel, tokens: readonly string[]): Prediction {
  const scores = model.logPriors.slice();
  const unknown: string[] = [];
  for (const token of tokens) {
    const row = model.logLikelihoods[token];
    if (!row) {
      unknown.push(token);
      continue;
    }
    for (let c = 0; c < scores.length; c++) scores[c] = (scores[c] as number) + (row[c] as number);
  }
  let best = 0;
  for (let c = 1; c < scores.length; c++) if ((scores[c] as number) > (scores[best] as number)) best = c;
  const max = scores[best] as number;
  const total = scores.reduce((s, v) => s + Math.exp(v - max), 0);
  const known = tokens.length - unknown.length;
  return {
    category: model.classes[best] as string,
    probability: 1 / total,
    unknownTokens: unknown,
    ...(known === 0 ? { note: 'no token of this expense was seen in training: the prediction is the most frequent category' } : {}),
  };
}
