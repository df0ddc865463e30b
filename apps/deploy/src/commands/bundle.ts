import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliExit, type DeployContext } from '../context.js';
import { loadOfficialSchema } from '../bundle/official-schema.js';
import { formatProblem } from '../bundle/problems.js';
import { renderBundle } from '../bundle/render.js';
import { validateBundle, type BundleValidation } from '../bundle/validate.js';
import { collectPair, targetOption } from './options.js';

interface BundleOptions {
  readonly target: string;
  readonly bundle?: string;
  readonly schema?: string;
  readonly var: Record<string, string>;
  readonly json?: boolean;
  readonly strict?: boolean;
}

/** `deploy bundle validate|render` — the repository's Databricks bundle, checked and rendered offline. */
export function registerBundleCommand(program: Command, ctx: DeployContext): void {
  const bundle = program.command('bundle').description('the Databricks bundle in databricks/bundles: validate offline, render for deployment');
  const defaultRoot = join(ctx.repoRoot, 'databricks', 'bundles');
  const common = (command: Command) =>
    targetOption(command)
      .option('--bundle <dir>', `bundle root holding databricks.yml (default: ${defaultRoot})`)
      .option('--schema <file>', 'official bundle JSON schema (default: $DATABRICKS_BUNDLE_SCHEMA, else `databricks bundle schema`)')
      .option('--var <name=value>', 'set a bundle variable (repeatable)', collectPair('--var'), {});

  common(bundle.command('validate'))
    .description('validate one target: zod model, the official JSON schema, SQL files render, task DAG, Quartz cron, variables, dev schedules paused; errors name file:line')
    .option('--strict', 'fail on warnings (unknown keys) too, like `databricks bundle validate --strict`')
    .option('--json', 'print the result as JSON')
    .action(async (opts: BundleOptions) => {
      const result = await validate(ctx, opts, defaultRoot);
      const failed = !result.ok || (opts.strict === true && result.warnings.length > 0);
      if (opts.json) {
        ctx.print(JSON.stringify({ target: result.target, ok: !failed, problems: result.problems, warnings: result.warnings }, null, 2));
      } else {
        for (const p of result.problems) ctx.print(`error: ${formatProblem(p)}`);
        for (const w of result.warnings) ctx.print(`warning: ${formatProblem(w)}`);
        if (!failed) ctx.print(`bundle ${result.bundle?.name ?? ''} target ${result.target}: valid (${Object.keys(result.bundle?.jobs ?? {}).length} jobs, ${result.warnings.length} warnings)`);
      }
      if (failed) throw new CliExit(`bundle target ${opts.target}: ${result.problems.length} problem(s)${opts.strict ? `, ${result.warnings.length} warning(s)` : ''}`, 1);
    });

  common(bundle.command('render'))
    .description('write the validated, resolved bundle and its rendered SQL to dist/bundles/<target>/ for `databricks bundle deploy`')
    .option('--out <dir>', 'output directory (default: dist/bundles/<target> under the repository root)')
    .option('--json', 'print the written files as JSON')
    .action(async (opts: BundleOptions & { out?: string }) => {
      const result = await validate(ctx, opts, defaultRoot);
      if (!result.ok || !result.bundle) {
        for (const p of result.problems) ctx.print(`error: ${formatProblem(p)}`);
        throw new CliExit(`bundle target ${opts.target} is not valid; nothing rendered`, 1);
      }
      const outDir = opts.out ? resolve(ctx.cwd, opts.out) : join(ctx.repoRoot, 'dist', 'bundles', opts.target);
      const rendered = renderBundle(result.bundle, outDir);
      if (opts.json) ctx.print(JSON.stringify(rendered, null, 2));
      else ctx.print(`rendered target ${rendered.target} → ${rendered.outDir} (${rendered.files.length} files)\n  deploy: cd ${rendered.outDir} && databricks bundle deploy -t ${rendered.target}`);
    });
}

async function validate(ctx: DeployContext, opts: BundleOptions, defaultRoot: string): Promise<BundleValidation> {
  const schema = loadOfficialSchema({ ...(opts.schema !== undefined ? { file: opts.schema } : {}), env: ctx.env, cwd: ctx.cwd });
  return validateBundle(opts.bundle ? resolve(ctx.cwd, opts.bundle) : defaultRoot, { target: opts.target, env: ctx.env, vars: opts.var, schema: schema.validate });
}
