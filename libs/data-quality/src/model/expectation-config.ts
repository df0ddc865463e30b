/**
 * What happens to rows and to the task when an expectation fails (Lakeflow's actions):
 * - `warn`: keep the row, record the result;
 * - `drop`: move failing rows to the quarantine table (row-level expectations only, in `split`);
 * - `fail`: stop the task (throw `DataQualityError('EXPECTATION_FAILED')`) after results are stored.
 */
export type Action = 'warn' | 'drop' | 'fail';
export const ACTIONS: readonly Action[] = Object.freeze(['warn', 'drop', 'fail']);

/** Metadata GX keeps next to kwargs: our name, action and free notes. */
export interface ExpectationMeta {
  /** Unique within a table's suite; recorded in `_dq_failed` and `dq_results`. */
  readonly name: string;
  readonly action: Action;
  readonly notes?: string;
}

/**
 * One expectation, GX-style: a type name and its kwargs, plus our metadata. Frozen.
 *
 * @example
 * const e = ExpectationConfig.create('expect_column_values_to_not_be_null', { column: 'id' }, { action: 'fail' });
 * e.meta.name; // 'expect_column_values_to_not_be_null(id)'
 */
export interface ExpectationConfig {
  readonly kind: 'expectation';
  readonly type: string;
  readonly kwargs: Readonly<Record<string, unknown>>;
  readonly meta: ExpectationMeta;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !(value instanceof Date) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A readable default name: `type(column)` or `type(a,b)`. */
export function defaultExpectationName(type: string, kwargs: Readonly<Record<string, unknown>>): string {
  const cols = [kwargs['column'], kwargs['column_A'], kwargs['column_B'], ...(Array.isArray(kwargs['column_list']) ? kwargs['column_list'] : [])].filter((c) => typeof c === 'string');
  return cols.length > 0 ? `${type}(${cols.join(',')})` : type;
}

export const ExpectationConfig = Object.freeze({
  is(value: unknown): value is ExpectationConfig {
    return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'expectation';
  },
  create(type: string, kwargs: Record<string, unknown> = {}, meta: Partial<ExpectationMeta> = {}): ExpectationConfig {
    return deepFreeze({
      kind: 'expectation' as const,
      type,
      kwargs: { ...kwargs },
      meta: {
        name: meta.name ?? defaultExpectationName(type, kwargs),
        action: meta.action ?? 'warn',
        ...(meta.notes !== undefined ? { notes: meta.notes } : {}),
      },
    });
  },
});

/**
 * The expectations for one table. `orderBy` gives the row order that order-sensitive expectations
 * (`expect_column_values_to_be_increasing`) need on SQL engines, where tables have none.
 */
export interface ExpectationSuite {
  readonly name: string;
  readonly expectations: readonly ExpectationConfig[];
  readonly orderBy?: readonly string[];
}

/** Builds a frozen {@link ExpectationSuite}. */
export function expectationSuite(name: string, expectations: readonly ExpectationConfig[], options: { orderBy?: readonly string[] } = {}): ExpectationSuite {
  return deepFreeze({ name, expectations: [...expectations], ...(options.orderBy ? { orderBy: [...options.orderBy] } : {}) });
}
