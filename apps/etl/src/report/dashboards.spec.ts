import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadBundle } from '@odoo-ce/bundle';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './analytics.js';
import { bundleLayout, DASHBOARD_KEYS, DASHBOARD_TARGETS, DASHBOARDS_DIR, generateDashboards } from './dashboards.js';
import type { LakeviewDashboard } from './lakeview.js';

const BUNDLE_ROOT = join(REPO_ROOT, 'databricks', 'bundles');

describe('Lakeview dashboards (databricks/dashboards)', () => {
  it('are committed exactly as the generator writes them (run `npx etl report dashboards` after changing a query)', async () => {
    const generated = await generateDashboards();
    expect(generated.map((g) => g.path).sort()).toEqual(DASHBOARD_TARGETS.flatMap((t) => DASHBOARD_KEYS.map((k) => join(DASHBOARDS_DIR, t, `${k}.lvdash.json`))).sort());
    for (const file of generated) {
      const committed = await readFile(join(REPO_ROOT, file.path), 'utf8').catch(() => '(missing)');
      expect(committed, `${file.path} is out of date`).toBe(file.content);
    }
  });

  it("render every dataset for Databricks SQL with the target's own catalogs and no template left", async () => {
    const generated = await generateDashboards();
    for (const file of generated) {
      const layout = await bundleLayout(file.target);
      const dashboard = JSON.parse(file.content) as LakeviewDashboard;
      const sql = dashboard.datasets.map((d) => d.queryLines.join('')).join('\n');
      expect(sql, file.path).not.toMatch(/\{\{|\}\}/);
      expect(sql, file.path).not.toMatch(/"(bronze|silver|gold|ops)"/);
      const catalogs = [...sql.matchAll(/`([^`]+)`\.(?:\w+\.\w+|`)/g)].map((m) => m[1]);
      expect(new Set(catalogs), file.path).toEqual(new Set(catalogs.filter((c) => Object.values(layout.catalogs).includes(c as string) || c === layout.ops.catalog)));
      expect(catalogs.length, file.path).toBeGreaterThan(0);
    }
    expect((await bundleLayout('dev')).catalogs.gold).toBe('dev_gold');
    expect((await bundleLayout('staging')).ops).toEqual({ catalog: 'staging_ops', schema: 'ops' });
    expect((await bundleLayout('prod')).catalogs.silver).toBe('silver');
  });

  it('declare a parameter for every :marker, and widgets only reference datasets, fields and parameters that exist', async () => {
    for (const file of await generateDashboards({ targets: ['prod'] })) {
      const dashboard = JSON.parse(file.content) as LakeviewDashboard;
      const datasets = new Map(dashboard.datasets.map((d) => [d.name, d]));
      expect(datasets.size, 'dataset names are unique').toBe(dashboard.datasets.length);
      for (const d of dashboard.datasets) {
        const markers = new Set([...d.queryLines.join('').replace(/--.*$/gm, '').matchAll(/(?<![:\w]):([A-Za-z_]\w*)/g)].map((m) => m[1]));
        expect(new Set(d.parameters?.map((p) => p.keyword) ?? []), `${file.key}/${d.name}`).toEqual(markers);
      }
      const names = new Set<string>();
      for (const page of dashboard.pages) {
        const cells = new Set<string>();
        for (const { widget, position } of page.layout) {
          expect(names.has(widget.name), `widget ${widget.name} is unique`).toBe(false);
          names.add(widget.name);
          expect(position.x + position.width, `${page.name}/${widget.name} fits the 6-column grid`).toBeLessThanOrEqual(6);
          for (let x = position.x; x < position.x + position.width; x++) {
            for (let y = position.y; y < position.y + position.height; y++) {
              expect(cells.has(`${x},${y}`), `${page.name}/${widget.name} overlaps another widget`).toBe(false);
              cells.add(`${x},${y}`);
            }
          }
          for (const q of widget.queries ?? []) {
            const dataset = datasets.get(q.query.datasetName);
            expect(dataset, `${widget.name} → ${q.query.datasetName}`).toBeDefined();
            for (const p of q.query.parameters ?? []) expect(dataset?.parameters?.map((x) => x.keyword)).toContain(p.keyword);
            const fieldNames = new Set((q.query.fields ?? []).map((f) => f.name));
            for (const encoding of encodedFieldNames(widget.spec)) expect(fieldNames.has(encoding), `${file.key}/${widget.name} encodes ${encoding}`).toBe(true);
          }
        }
      }
    }
  });

  it.each(DASHBOARD_TARGETS)('are declared as bundle resources that load for target %s and point at that target’s files', async (target) => {
    const bundle = await loadBundle(BUNDLE_ROOT, { target, env: {} });
    expect(bundle.warnings).toEqual([]);
    const resources = (bundle.config['resources'] as { dashboards?: Record<string, Record<string, unknown>> }).dashboards ?? {};
    expect(Object.keys(resources).sort()).toEqual([...DASHBOARD_KEYS].sort());
    for (const key of DASHBOARD_KEYS) {
      const r = resources[key] as Record<string, unknown>;
      // Relative paths resolve against the file that wrote them: resources/dashboards.yml.
      const file = join(BUNDLE_ROOT, 'resources', String(r['file_path']));
      expect(relative(REPO_ROOT, file)).toBe(join(DASHBOARDS_DIR, target, `${key}.lvdash.json`));
      expect(r['warehouse_id']).toBe('${var.warehouse_id}');
      expect(r['display_name']).toMatch(new RegExp(`^odoo-ce .+ \\(${target}\\)$`));
      expect(String(r['parent_path'])).toMatch(new RegExp(`/\\.bundle/odoo_ce_lakehouse/${target}/resources$`));
      expect(r['embed_credentials']).toBe(false);
      await expect(readFile(file, 'utf8')).resolves.toMatch(/^\{\n {2}"datasets"/);
    }
  });
});

/** The `fieldName`s a widget spec's encodings use (value, x, y, y.fields[], color, columns[]). */
function encodedFieldNames(spec: Readonly<Record<string, unknown>> | undefined): string[] {
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'fieldName' && typeof value === 'string') out.push(value);
        else visit(value);
      }
    }
  };
  visit(spec?.['encodings']);
  return out;
}
