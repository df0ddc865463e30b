import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Dependency rules from DESIGN.md, enforced by tags (package.json "nx.tags"):
 * apps → libs; common → nothing; warehouse → common; catalog/bundle/data-quality/
 * feature-engineering/connectors → warehouse, common; ml → feature-engineering, warehouse, common;
 * sample-data → common, warehouse. Engine SDKs only inside libs/warehouse/src/{duckdb,databricks,endpoint}.
 */
const ENGINE_SDKS = ['@duckdb/node-api', '@databricks/sql', '@databricks/sql/*', 'thrift', 'apache-arrow'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/coverage', '**/test-output', '**/vitest.config.*', 'vitest.shared.mts', '**/.data', '.nx'],
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          // Engine subpaths are loaded on demand (await import) by design, next to static imports of the core.
          checkDynamicDependenciesExceptions: ['@odoo-ce/warehouse'],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:common', onlyDependOnLibsWithTags: [], bannedExternalImports: ENGINE_SDKS },
            { sourceTag: 'scope:warehouse', onlyDependOnLibsWithTags: ['scope:common'] },
            { sourceTag: 'scope:catalog', onlyDependOnLibsWithTags: ['scope:warehouse', 'scope:common'], bannedExternalImports: ENGINE_SDKS },
            { sourceTag: 'scope:bundle', onlyDependOnLibsWithTags: ['scope:warehouse', 'scope:common'], bannedExternalImports: ENGINE_SDKS },
            { sourceTag: 'scope:data-quality', onlyDependOnLibsWithTags: ['scope:warehouse', 'scope:common'], bannedExternalImports: ENGINE_SDKS },
            { sourceTag: 'scope:feature-engineering', onlyDependOnLibsWithTags: ['scope:warehouse', 'scope:common'], bannedExternalImports: ENGINE_SDKS },
            // connectors/odoo/testing serves sample data from its local Odoo-protocol server.
            { sourceTag: 'scope:connectors', onlyDependOnLibsWithTags: ['scope:warehouse', 'scope:common', 'scope:sample-data'], bannedExternalImports: ENGINE_SDKS },
            { sourceTag: 'scope:ml', onlyDependOnLibsWithTags: ['scope:feature-engineering', 'scope:warehouse', 'scope:common'], bannedExternalImports: ENGINE_SDKS },
            { sourceTag: 'scope:sample-data', onlyDependOnLibsWithTags: ['scope:warehouse', 'scope:common'], bannedExternalImports: ENGINE_SDKS },
            { sourceTag: 'type:app', bannedExternalImports: ENGINE_SDKS },
          ],
        },
      ],
    },
  },
  // Type-aware linting for TypeScript sources.
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  // Engine SDKs stay at the edge: only the engine subfolders of libs/warehouse may import them.
  {
    files: ['libs/warehouse/src/**/*.ts'],
    ignores: ['libs/warehouse/src/duckdb/**', 'libs/warehouse/src/databricks/**', 'libs/warehouse/src/endpoint/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ENGINE_SDKS, message: 'Engine SDKs are imported only in libs/warehouse/src/{duckdb,databricks,endpoint}.' }] }],
    },
  },
  { files: ['**/*.mjs', '**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
];
