import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describeSecurable, gateSql, GrantEvaluator, loadPolicy, SqlParser } from '@odoo-ce/catalog';
import { CliExit, type CliContext } from '../context.js';

/** The repository's policy (apps/etl/src/commands → databricks/catalog). */
const POLICY_DIR = fileURLToPath(new URL('../../../../databricks/catalog', import.meta.url));

/**
 * `etl grants check --principal <p> "<sql>" [--json]` — would the SQL gate let this principal run
 * this statement under the policy in databricks/catalog? Prints allowed/refused and why; exit 1
 * when refused, so scripts can use it.
 */
export function registerGrantsCommand(program: Command, ctx: CliContext): void {
  const grants = program.command('grants').description('Unity Catalog grants as code (databricks/catalog)');
  grants
    .command('check')
    .description('check one statement against the SQL gate and a principal\'s effective privileges')
    .argument('<sql>', 'the statement, in Databricks SQL')
    .requiredOption('-p, --principal <name>', 'principal: service principal name or application id, group, or user e-mail')
    .option('--policy <dir>', 'directory with catalogs.yml, principals.yml, grants.yml', POLICY_DIR)
    .option('--namespace <catalog.schema>', 'where 1- and 2-part names resolve', 'main.default')
    .option('--json', 'print the decision as JSON')
    .action(async (sql: string, opts: { principal: string; policy: string; namespace: string; json?: boolean }) => {
      const [catalog, schema, ...extra] = opts.namespace.split('.');
      if (!catalog || !schema || extra.length > 0) throw new CliExit(`--namespace must be catalog.schema, got "${opts.namespace}"`, 2);
      const policy = await loadPolicy(opts.policy);
      const evaluator = new GrantEvaluator(policy.principals, policy.grants);
      const parser = new SqlParser();
      try {
        const result = await gateSql(sql, opts.principal, { evaluator, parser, namespace: { catalog, schema } });
        if (opts.json) {
          ctx.print(JSON.stringify({ principal: opts.principal, ...result }));
        } else if (result.allowed) {
          const objects = [
            ...result.tables.map((t) => `table ${t}`),
            ...result.functions.map((f) => `function ${f}`),
            ...(result.securable && result.tables.length === 0 ? [describeSecurable(result.securable).toLowerCase()] : []),
          ];
          ctx.print(`allowed: ${result.kind} for ${opts.principal}${objects.length > 0 ? ` — ${objects.join(', ')}` : ''}`);
        } else {
          ctx.print(`refused [${result.code}]: ${result.reason}`);
        }
        if (!result.allowed) throw new CliExit('', 1);
      } finally {
        await parser.close();
      }
    });
}
