import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { changeToSql, loadPolicy } from '@odoo-ce/catalog';
import { loadConfig } from '@odoo-ce/common';
import { CliExit, type DeployContext } from '../context.js';
import { formatGrantsPlan, grantsStoreFor, planGrants, terraformGrants } from '../grants/grants-plan.js';
import { DEPLOY_TARGETS, targetOption } from './options.js';

interface GrantsOptions {
  readonly target: string;
  readonly policy?: string;
  readonly dataDir?: string;
  readonly ignorePrincipal: string[];
  readonly json?: boolean;
}

/** Each environment calls the platform module, whose unity_catalog module creates the securables; the metastore owner declares `var.metastore_id`. */
const TERRAFORM_OPTIONS = { dependsOn: ['module.platform'], metastoreId: '${var.metastore_id}' };

/** The environment whose state manages the shared metastore's (authoritative) grants. */
export const DEFAULT_METASTORE_OWNER = 'prod';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `deploy grants plan|apply|terraform` — Unity Catalog grants from databricks/catalog/*.yml. */
export function registerGrantsCommand(program: Command, ctx: DeployContext): void {
  const grants = program.command('grants').description('Unity Catalog grants: the policy in databricks/catalog against the target, like terraform plan/apply');
  const defaultPolicy = join(ctx.repoRoot, 'databricks', 'catalog');
  for (const action of ['plan', 'apply'] as const) {
    targetOption(grants.command(action), true)
      .description(
        action === 'plan'
          ? 'compare the policy with the grants in place (SHOW GRANTS per securable on Databricks, <ops>.grants on DuckDB); exit 2 when they differ (drift; usage errors exit 64)'
          : 'run the plan: REVOKE what the policy does not grant, GRANT what is missing',
      )
      .option('--policy <dir>', `policy directory (default: ${defaultPolicy})`)
      .option('--data-dir <dir>', 'DuckDB data directory for the local target')
      .option('--ignore-principal <principal>', 'leave this principal alone, e.g. the deploying service principal (repeatable)', collect, [])
      .option('--json', 'print the plan as JSON')
      .action(async (opts: GrantsOptions) => {
        const policy = await loadPolicy(opts.policy ?? defaultPolicy);
        const config = ctx.loadConfig(opts.target, opts.dataDir);
        const warehouse = await ctx.openWarehouse(opts.target, opts.dataDir);
        try {
          const store = grantsStoreFor(warehouse, config.target.warehouse.engine);
          const plan = await planGrants(store, policy, warehouse.layout, { ignore: opts.ignorePrincipal, perSecurable: config.target.warehouse.engine === 'databricks' });
          if (action === 'apply') await store.apply(plan.changes);
          if (opts.json) {
            ctx.print(JSON.stringify({ target: opts.target, applied: action === 'apply', drift: plan.changes.length > 0, missing: plan.missing, changes: plan.changes.map((c) => ({ ...c, sql: changeToSql(c) })) }, null, 2));
          } else {
            ctx.print(formatGrantsPlan(plan, opts.target));
            if (action === 'apply' && plan.changes.length > 0) ctx.print(`Applied: ${plan.changes.length} statement(s).`);
          }
          if (action === 'plan' && plan.changes.length > 0) throw new CliExit('', 2);
        } finally {
          await warehouse.close();
        }
      });
  }

  targetOption(grants.command('terraform'))
    .description(
      'write the policy\'s metastore, catalog and schema grants as Terraform JSON (databricks_grants per securable) for terraform/environments/<target>; object grants (tables, functions) stay with `grants apply`',
    )
    .option('--policy <dir>', `policy directory (default: ${defaultPolicy})`)
    .option(
      '--metastore-owner <target>',
      'the one environment that manages the shared metastore\'s METASTORE grant (databricks_grants is authoritative)',
      (value: string) => {
        if (!DEPLOY_TARGETS.includes(value)) throw new InvalidArgumentError(`--metastore-owner must be one of ${DEPLOY_TARGETS.join(', ')}, got "${value}"`);
        return value;
      },
      DEFAULT_METASTORE_OWNER,
    )
    .option('--out <file>', 'output file, - for stdout (default: terraform/environments/<target>/grants.tf.json)')
    .option('--check', 'do not write; exit 1 when the file differs from what the policy generates')
    .action(async (opts: { target: string; policy?: string; out?: string; check?: boolean; metastoreOwner: string }) => {
      const options = { ...TERRAFORM_OPTIONS, includeMetastore: opts.target === opts.metastoreOwner };
      const policy = await loadPolicy(opts.policy ?? defaultPolicy);
      // Only the catalog names matter here; the target's layout does not depend on its engine, so
      // no workspace credentials are needed to generate the file.
      const layout = loadConfig({ env: { ...ctx.env, ETL_WAREHOUSE: 'duckdb' }, cwd: ctx.cwd, target: opts.target }).target.layout;
      const json = terraformGrants(policy, layout, options);
      const text = `${JSON.stringify(json, null, 2)}\n`;
      if (opts.out === '-') {
        ctx.print(text.trimEnd());
        return;
      }
      const out = opts.out ? resolve(ctx.cwd, opts.out) : join(ctx.repoRoot, 'terraform', 'environments', opts.target, 'grants.tf.json');
      const shown = relative(ctx.repoRoot, out);
      if (opts.check) {
        const current = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
        if (current !== text) throw new CliExit(`${shown} is out of date with databricks/catalog; run: npx deploy grants terraform -t ${opts.target}`, 1);
        ctx.print(`${shown} is up to date`);
        return;
      }
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, text);
      ctx.print(`wrote ${shown} (${Object.keys((json.resource as { databricks_grants: object }).databricks_grants).length} databricks_grants resources)`);
    });
}
