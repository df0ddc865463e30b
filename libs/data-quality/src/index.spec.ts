import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('public surface', () => {
  it('exports the engine-neutral API', () => {
    for (const name of ['validate', 'split', 'parseSuite', 'loadSuiteFile', 'ExpectationConfig', 'DataQualityError', 'withholdingTax', 'checkCompilerFor', 'GX_EXPECTATION_TYPES']) {
      expect(api, name).toHaveProperty(name);
    }
    expect(api.GX_EXPECTATION_TYPES).toHaveLength(23);
  });

  it('library code imports no engine SDK and only the root entry of @odoo-ce/warehouse', () => {
    const root = import.meta.dirname;
    const offenders = sources(root)
      .filter((file) => !relative(root, file).startsWith('conformance/cli.ts'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'|import\('([^']+)'\)/g)]
          .map((m) => m[1] ?? m[2] ?? '')
          .filter((spec) => /^@duckdb|^@databricks|^apache-arrow|^thrift|^@odoo-ce\/warehouse\//.test(spec))
          .map((spec) => `${relative(root, file)}: ${spec}`),
      );
    expect(offenders).toEqual([]);
  });
});
