import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/etl',
  // Vitest runs tests in Vite's SSR environment: resolve sibling workspace
  // packages to their TS sources via the "@odoo-ce/source" export condition.
  ssr: { resolve: { conditions: ['@odoo-ce/source', ...defaultServerConditions] } },
  test: {
    name: 'apps/etl',
    watch: false,
    environment: 'node',
    include: ['src/**/*.{test,spec}.ts'],
    reporters: ['default'],
  },
});
