import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { EXECUTE_STATEMENT, PROTOCOL_V8, TCLI_METHODS, TOperationState, TSparkRowSetType, TStatusCode, TTypeId } from './thrift.js';

describe('local Thrift declarations', () => {
  const generated = createRequire(import.meta.url)('@databricks/sql/thrift/TCLIService_types.js') as Record<string, Record<string, number>>;

  it('use the enum values of the generated TCLIService code the driver ships', () => {
    const local = { TStatusCode, TOperationState, TTypeId, TSparkRowSetType };
    for (const [name, values] of Object.entries(local)) {
      for (const [key, value] of Object.entries(values)) expect(`${name}.${key}=${generated[name]?.[key]}`).toBe(`${name}.${key}=${value}`);
    }
    expect(generated['TProtocolVersion']?.['SPARK_CLI_SERVICE_PROTOCOL_V8']).toBe(PROTOCOL_V8);
    expect(generated['TOperationType']?.['EXECUTE_STATEMENT']).toBe(EXECUTE_STATEMENT);
  });

  it('list every RPC of the service', () => {
    const service = createRequire(import.meta.url)('@databricks/sql/thrift/TCLIService.js') as { Processor: { prototype: object } };
    const rpcs = Object.keys(service.Processor.prototype)
      .filter((k) => k.startsWith('process_'))
      .map((k) => k.slice('process_'.length));
    expect([...TCLI_METHODS].sort()).toEqual(rpcs.sort());
  });
});
