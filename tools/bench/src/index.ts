/**
 * `@odoo-ce/bench` — benchmark harness. Each benchmark measures its contenders against a baseline
 * in the same run and renders a section of docs/benchmarks.md; `src/main.ts` runs them (`npm run bench`).
 */
export { updateSection } from './markdown-sections.js';
export {
  measureWarehouseFetch,
  renderWarehouseFetchSection,
  runWarehouseFetchBenchmark,
  type FetchPath,
  type WarehouseFetchOptions,
  type WarehouseFetchReport,
} from './warehouse-fetch.js';
