import { join } from 'node:path';
import { defaultServerConditions } from 'vite';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The one vitest configuration every project uses (each project's vitest.config.mts calls this).
 * With CI_TEST_REPORT_DIR set (by .ci/run), each project also writes a JSON report there, from
 * which .ci/run prints the closing `N passed, N failed` line.
 */
export function projectConfig(projectRoot: string, name: string, overrides: { testTimeout?: number } = {}): ViteUserConfig {
  const reportDir = process.env['CI_TEST_REPORT_DIR'];
  return defineConfig({
    root: projectRoot,
    cacheDir: join(import.meta.dirname, 'node_modules', '.vite', name),
    // Vitest runs tests in Vite's SSR environment: resolve sibling workspace packages to their
    // TS sources via the "@odoo-ce/source" export condition (no build needed for tests).
    ssr: { resolve: { conditions: ['@odoo-ce/source', ...defaultServerConditions] } },
    test: {
      name,
      watch: false,
      environment: 'node',
      include: ['src/**/*.{test,spec}.ts'],
      testTimeout: overrides.testTimeout ?? 20_000,
      reporters: reportDir ? ['default', 'json'] : ['default'],
      ...(reportDir ? { outputFile: { json: join(reportDir, `${name.replace(/\//g, '__')}.json`) } } : {}),
    },
  });
}
