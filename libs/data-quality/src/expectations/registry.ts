import { AGGREGATE_EXPECTATIONS } from './aggregate.js';
import { BIR_EXPECTATIONS } from './bir.js';
import { COLUMN_MAP_EXPECTATIONS } from './column-map.js';
import type { ExpectationDefinition } from './definition.js';
import { MULTI_COLUMN_EXPECTATIONS } from './multi-column.js';

const ALL = [...COLUMN_MAP_EXPECTATIONS, ...AGGREGATE_EXPECTATIONS, ...MULTI_COLUMN_EXPECTATIONS, ...BIR_EXPECTATIONS] as readonly ExpectationDefinition[];
const BY_TYPE: ReadonlyMap<string, ExpectationDefinition> = new Map(ALL.map((d) => [d.type, d]));

/** The 23 Great Expectations types this engine implements with GX's semantics. */
export const GX_EXPECTATION_TYPES: readonly string[] = Object.freeze(
  [...COLUMN_MAP_EXPECTATIONS, ...AGGREGATE_EXPECTATIONS, ...MULTI_COLUMN_EXPECTATIONS].map((d) => d.type).filter((t) => t !== 'expect_sql_condition').sort(),
);

/** Every expectation type a suite may use (GX types, `expect_sql_condition`, BIR rules), sorted. */
export function expectationTypes(): readonly string[] {
  return [...BY_TYPE.keys()].sort();
}

/** The definition of an expectation type, or undefined. */
export function expectationDefinition(type: string): ExpectationDefinition | undefined {
  return BY_TYPE.get(type);
}
