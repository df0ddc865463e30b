import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { renderBundleConfig, type Bundle } from '@odoo-ce/bundle';
import { adapterFor, renderSql } from '@odoo-ce/warehouse';
import { stringify } from 'yaml';
import { BundleSourceMap } from './source-map.js';
import { applyTaskWheel } from './task-wheel.js';
import { layoutOf, taskParameters } from './validate.js';

export interface RenderedBundle {
  readonly target: string;
  readonly outDir: string;
  /** Files written, relative to `outDir`. */
  readonly files: readonly string[];
}

/**
 * Writes one target, resolved, into `outDir` (normally `dist/bundles/<target>/`): a self-contained
 * `databricks.yml` (no includes, no other targets, variables resolved, lookups kept) whose
 * `sql_task.file.path`s point at `sql/…` files rendered for the target (catalog names filled in,
 * `{{params.x}}` → the named marker `:x` that Databricks binds from the task parameters), and the
 * dashboards it deploys under `dashboards/`, and the `odoo_ce_tasks` wheel under `artifacts/` with the
 * wheel tasks it runs (data-quality gates after gated tasks, the ML steps; see task-wheel.ts).
 * `databricks bundle deploy -t <target>` runs from there.
 * The directory is replaced as a whole, so nothing stale survives a rename.
 */
export function renderBundle(bundle: Bundle, outDir: string): RenderedBundle {
  const out = resolve(outDir);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const files: string[] = [];
  const config = structuredClone(renderBundleConfig(bundle)) as Record<string, unknown> & { resources?: Record<string, Record<string, Record<string, unknown>>> };
  delete config['include'];
  delete config['sync'];
  const adapter = adapterFor('databricks');
  const layout = layoutOf(bundle);

  const write = (rel: string, content: string) => {
    mkdirSync(dirname(join(out, rel)), { recursive: true });
    writeFileSync(join(out, rel), content);
    if (!files.includes(rel)) files.push(rel);
  };

  for (const job of Object.values(bundle.jobs)) {
    const tasks = (config.resources?.['jobs']?.[job.key]?.['tasks'] ?? []) as { task_key: string; sql_task?: { file?: { path: string } } }[];
    for (const task of job.tasks) {
      const local = task.sql?.file?.localPath;
      const target = tasks.find((t) => t.task_key === task.key);
      if (!local || !target?.sql_task?.file) continue;
      const rel = relative(bundle.syncRoot, local).replace(/^(\.\.\/)+/, '');
      const sql = renderSql(readFileSync(local, 'utf8'), { layout, adapter, params: taskParameters(bundle, job.key, task), source: relative(bundle.root, local) }).sql;
      write(rel, `-- Rendered by \`deploy bundle render -t ${bundle.target}\` from ${relative(bundle.syncRoot, local)}; do not edit.\n${sql}`);
      target.sql_task.file.path = `./${rel}`;
    }
  }

  const map = new BundleSourceMap(bundle.root, bundle.files, bundle.target);
  files.push(...applyTaskWheel(bundle, (config.resources?.['jobs'] ?? {}) as Parameters<typeof applyTaskWheel>[1], layout, map, out));

  const dashboards = config.resources?.['dashboards'] ?? {};
  if (Object.keys(dashboards).length > 0) {
    for (const [key, dashboard] of Object.entries(dashboards)) {
      const path = dashboard['file_path'];
      if (typeof path !== 'string') continue;
      // Relative to the file that wrote it (the target override, if any).
      const where = map.locate(['resources', 'dashboards', key, 'file_path'], config);
      const source = resolve(where ? dirname(join(bundle.root, where.file)) : bundle.root, path);
      const rel = join('dashboards', basename(source));
      mkdirSync(join(out, 'dashboards'), { recursive: true });
      copyFileSync(source, join(out, rel));
      files.push(rel);
      dashboard['file_path'] = `./${rel}`;
    }
  }

  write('databricks.yml', `# Rendered by \`deploy bundle render -t ${bundle.target}\`; deploy with \`databricks bundle deploy -t ${bundle.target}\` from this directory.\n${stringify(config, { lineWidth: 0 })}`);
  return { target: bundle.target, outDir: out, files: files.sort() };
}
