#!/usr/bin/env node
// The `databricks-mcp-server` command: src/main.ts, run from source with no build step (@odoo-ce/common/run-ts-main).
import { runTsMain } from '@odoo-ce/common/run-ts-main';

await runTsMain(new URL('../src/main.ts', import.meta.url).href);
