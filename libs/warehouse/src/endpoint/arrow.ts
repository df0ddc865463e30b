import { createRequire } from 'node:module';
import type * as ArrowModule from 'apache-arrow' with { 'resolution-mode': 'require' };

/**
 * apache-arrow 13, loaded through `require` — the CommonJS build the driver itself uses. Its
 * ESM entry ships no `.d.mts`, so the types come from the CommonJS declarations as well.
 */
export const arrow: typeof ArrowModule = createRequire(import.meta.url)('apache-arrow') as typeof ArrowModule;

/** An Arrow column's data (buffers + type). */
export type ArrowData = ArrowModule.Data;
/** An Arrow type. */
export type ArrowDataType = ArrowModule.DataType;
/** An Arrow schema. */
export type ArrowSchema = ArrowModule.Schema;
