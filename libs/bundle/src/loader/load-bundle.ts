import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { z } from 'zod';
import { BundleError, formatLocation, type SourceLocation } from '../errors.js';
import {
  deletePath,
  dynMap,
  dynScalar,
  formatPath,
  fromPlain,
  getPath,
  isNil,
  mergeDyn,
  nearestLocation,
  parseConfigFile,
  setPath,
  toPlain,
  where,
  type Dyn,
  type DynMap,
  type DynPath,
} from './dyn.js';
import { goGlob } from './glob.js';
import type { Bundle, BundleVariable, BundleWarning, DeferredReference, JobDefinition, SqlFileRef, TaskDefinition } from './model.js';
import { findInvalidExpressions, findReferences, isPureReference, type Reference } from './references.js';
import { KNOWN_JOB_KEYS, KNOWN_TARGET_KEYS, KNOWN_TASK_KEYS, RootSchema, VariableSchema, type JobSettings } from './schema.js';

/** Root config file names, in the CLI's order (`bundle/config/root.go` FileNames). */
export const ROOT_FILE_NAMES = ['databricks.yml', 'databricks.yaml', 'bundle.yml', 'bundle.yaml'] as const;

export interface LoadBundleOptions {
  /** The target to select; default: the CLI's rule (the only target, or the one with `default: true`). */
  readonly target?: string;
  /** `--var name=value` assignments: the highest precedence. */
  readonly vars?: Readonly<Record<string, string>>;
  /** Where `BUNDLE_VAR_<name>` is read from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The deploying user's name, if known. Without it `${workspace.current_user.*}` stays a
   * deploy-time reference (a local run does not need it).
   */
  readonly currentUser?: string;
}

/**
 * Loads a bundle like the Databricks CLI does: the root `databricks.yml`, its `include` globs
 * (Go `filepath.Glob`, relative to the root), the selected target's overrides deep-merged (maps:
 * target wins; sequences concatenated; job `tasks` merged by `task_key`, `parameters` by `name`,
 * `job_clusters` by `job_cluster_key`; `run_as`/`mode` replaced), variables with the CLI's
 * precedence (`--var` > `BUNDLE_VAR_<name>` > lookup > variable-overrides.json > target default >
 * default) and `${var.*}`, `${bundle.*}`, `${workspace.*}` interpolation. `lookup` variables,
 * `${resources.*}` and `${workspace.current_user.*}` are left as references for deploy.
 *
 * Ternaries and other non-path `${…}` expressions are rejected (the CLI would silently keep them as
 * text). Every error names the file, line and key path.
 *
 * @example
 * const bundle = await loadBundle('databricks/bundles', { target: 'dev', vars: { catalog_prefix: 'dev_' } });
 * bundle.jobs['bir_etl'].tasks.map((t) => t.key);
 */
export async function loadBundle(root: string, options: LoadBundleOptions = {}): Promise<Bundle> {
  return new BundleLoader(resolve(root), options).load();
}

const MERGE_FIELDS = ['bundle', 'workspace', 'artifacts', 'resources', 'sync', 'permissions', 'presets'] as const;

class BundleLoader {
  readonly #warnings: BundleWarning[] = [];
  readonly #files: string[] = [];

  constructor(
    readonly root: string,
    readonly options: LoadBundleOptions,
  ) {}

  async load(): Promise<Bundle> {
    const rootFile = this.#findRootFile();
    const merged = this.#processIncludes(this.#readFile(rootFile));
    const declared = this.#validateVariables(merged);
    const target = this.#selectTarget(merged);
    const rootPathExplicit = !isNil(getPath(merged, ['workspace', 'root_path'])) || !isNil(getPath(merged, ['targets', target, 'workspace', 'root_path']));
    let tree = this.#mergeTargetOverrides(merged, target);
    tree = setPath(tree, ['bundle', 'target'], dynScalar(target));
    tree = setPath(tree, ['bundle', 'environment'], dynScalar(target));
    tree = mergeJobArrays(tree);
    tree = this.#workspaceDefaults(tree);
    const variables = this.#assignVariables(tree, declared, target);
    tree = deletePath(deletePath(tree, ['targets']), ['variables']);

    const resolver = new Resolver(tree, variables);
    tree = resolver.resolveTree();
    const resolvedVariables = resolver.variableValues();

    tree = applyModePresets(tree);
    const settings = this.#validateSchema(tree);
    const mode = settings.bundle.mode;
    if (mode === 'production' && !rootPathExplicit && !settings.run_as) {
      throw new BundleError(
        'INVALID_CONFIG',
        `target "${target}" has mode: production but no workspace.root_path; set workspace.root_path (e.g. /Workspace/Shared/.bundle/\${bundle.name}/\${bundle.target}) or run_as, as the Databricks CLI requires`,
        { data: { target } },
      );
    }
    const workspace = {
      ...(typeof settings.workspace?.host === 'string' ? { host: settings.workspace.host } : {}),
      rootPath: String(toPlain(getPath(tree, ['workspace', 'root_path']) ?? dynScalar(''))),
      filePath: String(toPlain(getPath(tree, ['workspace', 'file_path']) ?? dynScalar(''))),
    };
    const syncRoot = this.#syncRoot(tree);
    const jobs: Record<string, JobDefinition> = {};
    for (const [key, job] of Object.entries(settings.resources?.jobs ?? {})) {
      jobs[key] = this.#jobDefinition(tree, key, job, workspace.filePath, syncRoot);
    }
    const config = toPlain(tree) as Record<string, unknown>;
    config['variables'] = Object.fromEntries(
      Object.values(resolvedVariables).map((v) => [v.name, { ...(v.description ? { description: v.description } : {}), ...(v.lookup ? { lookup: v.lookup } : {}), ...(v.value !== undefined ? { value: v.value } : {}) }]),
    );
    return Object.freeze({
      root: this.root,
      name: settings.bundle.name,
      target,
      ...(mode ? { mode } : {}),
      files: Object.freeze([...this.#files]),
      variables: Object.freeze(resolvedVariables),
      workspace: Object.freeze(workspace),
      syncRoot,
      ...(settings.run_as ? { runAs: Object.freeze({ ...settings.run_as }) } : {}),
      jobs: Object.freeze(jobs),
      config: Object.freeze(config),
      deferred: Object.freeze(collectDeferred(tree)),
      warnings: Object.freeze([...this.#warnings]),
    });
  }

  #findRootFile(): string {
    const found = ROOT_FILE_NAMES.filter((name) => existsSync(join(this.root, name)));
    if (found.length === 0) {
      throw new BundleError('FILE_NOT_FOUND', `no bundle configuration in ${this.root}: expected one of ${ROOT_FILE_NAMES.join(', ')}`, { data: { root: this.root } });
    }
    if (found.length > 1) {
      throw new BundleError('INVALID_CONFIG', `${this.root} has several root config files (${found.join(', ')}); keep exactly one`, { data: { root: this.root } });
    }
    return found[0] as string;
  }

  /** Reads, parses and checks one config file (`rel` is relative to the root). */
  #readFile(rel: string): DynMap {
    let text: string;
    try {
      text = readFileSync(join(this.root, rel), 'utf8');
    } catch (error) {
      throw new BundleError('FILE_NOT_FOUND', `cannot read ${rel}: ${(error as Error).message}`, { cause: error, data: { file: rel } });
    }
    const tree = rewriteShorthands(parseConfigFile(text, rel) as DynMap);
    const invalid: string[] = [];
    walkStrings(tree, [], (value, path, loc) => {
      for (const expression of findInvalidExpressions(value)) invalid.push(`${where(loc, path)}: ${JSON.stringify(expression)}`);
    });
    if (invalid.length > 0) {
      throw new BundleError(
        'UNSUPPORTED_EXPRESSION',
        `unsupported interpolation (${invalid.length}):\n  - ${invalid.join('\n  - ')}\n` +
          'Bundle references are plain dotted paths such as ${var.name} or ${bundle.target}: no comparisons, operators, functions or ternaries ' +
          '(the Databricks CLI would keep such text literally). Put per-target values in targets.<target>.variables and reference them as ${var.<name>}.',
        { data: { file: rel, expressions: invalid } },
      );
    }
    this.#files.push(rel);
    return tree;
  }

  #processIncludes(tree: DynMap): DynMap {
    const include = tree.entries.get('include');
    if (isNil(include)) return tree;
    if (include?.kind !== 'seq') throw invalid(include, ['include'], 'expected a list of file paths or glob patterns');
    const seen = new Set<string>(ROOT_FILE_NAMES);
    let merged: Dyn = tree;
    const owners = new Map<string, SourceLocation | undefined>();
    recordResources(tree, owners, this.#files[0] as string);
    include.items.forEach((entry, index) => {
      const path: DynPath = ['include', index];
      if (entry.kind !== 'scalar' || typeof entry.value !== 'string') throw invalid(entry, path, 'expected a file path or glob pattern (a string)');
      const pattern = entry.value;
      if (isAbsolute(pattern)) throw new BundleError('INCLUDE_ERROR', `${where(entry.loc, path)}: ${pattern}: includes must be relative paths (relative to the bundle root)`, { data: { include: pattern } });
      let matches: string[];
      try {
        matches = goGlob(join(this.root, pattern));
      } catch (error) {
        throw new BundleError('INCLUDE_ERROR', `${where(entry.loc, path)}: ${(error as Error).message}`, { data: { include: pattern } });
      }
      if (matches.length === 0 && !/[*?[]/.test(pattern)) {
        throw new BundleError('INCLUDE_ERROR', `${where(entry.loc, path)}: ${pattern} defined in 'include' section does not match any files`, { data: { include: pattern } });
      }
      const files: string[] = [];
      for (const match of matches) {
        const rel = relative(this.root, match).split(sep).join('/');
        if (seen.has(rel)) continue;
        seen.add(rel);
        if (!/\.(ya?ml|json)$/.test(rel)) {
          throw new BundleError(
            'INCLUDE_ERROR',
            `${where(entry.loc, path)}: ${rel} is not a YAML or JSON file; files in 'include' must be bundle configuration (use sync.include for files to upload)`,
            { data: { include: pattern, file: rel } },
          );
        }
        files.push(rel);
      }
      for (const rel of files.sort()) {
        const fileTree = this.#readFile(rel);
        const nested = fileTree.entries.get('include');
        if (!isNil(nested)) {
          this.#warnings.push({ message: `${rel}: an include section outside databricks.yml is ignored (only the root file's includes apply)`, ...(nested?.loc ? { location: nested.loc } : {}), path: 'include' });
        }
        recordResources(fileTree, owners, rel);
        const { entries } = fileTree;
        const withoutInclude = dynMap([...entries].filter(([k]) => k !== 'include'), fileTree.loc);
        merged = mergeDyn(merged, withoutInclude);
      }
    });
    return deletePath(merged, ['include']) as DynMap;
  }

  /** Root `variables.<name>` must be full definitions; returns the declared names. */
  #validateVariables(tree: DynMap): Map<string, z.infer<typeof VariableSchema>> {
    const declared = new Map<string, z.infer<typeof VariableSchema>>();
    const variables = tree.entries.get('variables');
    if (isNil(variables)) return declared;
    if (variables?.kind !== 'map') throw invalid(variables, ['variables'], 'expected a mapping of variable names to {default: …} or {lookup: …}');
    const problems: string[] = [];
    for (const [name, node] of variables.entries) {
      const path = ['variables', name];
      if (node.kind !== 'map') {
        problems.push(`${where(node.loc, path)}: expected {default: …}, {lookup: …} or {description: …}, got ${describe(toPlain(node))} (the shorthand "${name}: value" is only allowed inside targets.<target>.variables)`);
        continue;
      }
      const parsed = VariableSchema.safeParse(toPlain(node));
      if (!parsed.success) {
        problems.push(...zodProblems(parsed.error, tree, path));
        continue;
      }
      declared.set(name, parsed.data);
    }
    if (problems.length > 0) throw problemsError(problems);
    return declared;
  }

  #selectTarget(tree: DynMap): string {
    const targets = tree.entries.get('targets');
    const names: string[] = [];
    if (!isNil(targets)) {
      if (targets?.kind !== 'map') throw invalid(targets, ['targets'], 'expected a mapping of target names to target settings');
      for (const [name, target] of targets.entries) {
        if (isNil(target)) {
          names.push(name);
          continue;
        }
        if (target?.kind !== 'map') throw invalid(target, ['targets', name], 'expected a mapping (mode, workspace, variables, resources, …)');
        for (const [key, value] of target.entries) {
          if (!KNOWN_TARGET_KEYS.has(key)) this.#warnings.push({ message: `${where(value.loc, ['targets', name, key])}: unknown field: ${key}`, ...(value.loc ? { location: value.loc } : {}), path: formatPath(['targets', name, key]) });
        }
        names.push(name);
      }
    }
    const requested = this.options.target;
    if (requested !== undefined) {
      if (names.includes(requested)) return requested;
      throw new BundleError(
        'UNKNOWN_TARGET',
        names.length === 0 ? `target "${requested}" is not defined: the bundle declares no targets` : `target "${requested}" is not defined; expected one of ${names.join(', ')}`,
        { data: { target: requested, targets: names } },
      );
    }
    if (names.length === 0) return 'default';
    if (names.length === 1) return names[0] as string;
    const defaults = names.filter((n) => {
      const flag = getPath(tree, ['targets', n, 'default']);
      return flag?.kind === 'scalar' && flag.value === true;
    });
    if (defaults.length === 1) return defaults[0] as string;
    throw new BundleError(
      'UNKNOWN_TARGET',
      defaults.length > 1 ? `several targets are marked default: true (${defaults.join(', ')}); mark only one` : `no target given and none is marked default: true; choose one of ${names.join(', ')}`,
      { data: { targets: names } },
    );
  }

  #mergeTargetOverrides(tree: DynMap, name: string): Dyn {
    const target = getPath(tree, ['targets', name]);
    if (isNil(target) || target?.kind !== 'map') return tree;
    let root: Dyn = tree;
    const targetVariables = target.entries.get('variables');
    if (!isNil(targetVariables)) {
      if (targetVariables?.kind !== 'map') throw invalid(targetVariables, ['targets', name, 'variables'], 'expected a mapping of variable names to values');
      for (const [varName, variable] of targetVariables.entries) {
        const path = ['targets', name, 'variables', varName];
        if (isNil(getPath(tree, ['variables', varName]))) {
          throw new BundleError('VARIABLE_ERROR', `${where(variable.loc, path)}: variable ${varName} is not defined but is assigned a value; declare it under the root variables: section first`, {
            data: { variable: varName, target: name },
          });
        }
        if (variable.kind !== 'map') continue;
        const vDefault = variable.entries.get('default');
        const vLookup = variable.entries.get('lookup');
        if (vDefault !== undefined) {
          root = setPath(root, ['variables', varName, 'default'], vDefault);
          root = deletePath(root, ['variables', varName, 'lookup']);
        }
        if (vLookup !== undefined) {
          root = setPath(root, ['variables', varName, 'lookup'], vLookup);
          root = deletePath(root, ['variables', varName, 'default']);
        }
      }
    }
    for (const field of MERGE_FIELDS) {
      const override = target.entries.get(field);
      if (override === undefined) continue;
      const base = getPath(root, [field]);
      root = setPath(root, [field], base === undefined ? override : mergeDyn(base, override, [field]));
    }
    const runAs = target.entries.get('run_as');
    if (runAs !== undefined && !isNil(runAs)) root = setPath(root, ['run_as'], runAs);
    for (const key of ['mode', 'cluster_id'] as const) {
      const value = target.entries.get(key);
      if (value !== undefined && !isNil(value)) root = setPath(root, ['bundle', key], value);
    }
    const git = target.entries.get('git');
    if (git !== undefined && !isNil(git)) {
      const base = getPath(root, ['bundle', 'git']);
      root = setPath(root, ['bundle', 'git'], base === undefined ? git : mergeDyn(base, git, ['bundle', 'git']));
    }
    return root;
  }

  /** `workspace.root_path` (`~` expanded), `file_path`, `artifact_path`, `state_path`, `resource_path` defaults. */
  #workspaceDefaults(tree: Dyn): Dyn {
    let root = tree;
    const user = this.options.currentUser;
    if (user !== undefined) {
      root = setPath(root, ['workspace', 'current_user'], fromPlain({ userName: user, user_name: user, short_name: user.split('@')[0]?.replace(/[^\w]/g, '_') ?? user }));
    }
    const home = '/Workspace/Users/${workspace.current_user.userName}';
    const rootPath = getPath(root, ['workspace', 'root_path']);
    if (isNil(rootPath)) {
      root = setPath(root, ['workspace', 'root_path'], dynScalar(`${home}/.bundle/\${bundle.name}/\${bundle.target}`));
    } else if (rootPath?.kind === 'scalar' && typeof rootPath.value === 'string' && rootPath.value.startsWith('~/')) {
      root = setPath(root, ['workspace', 'root_path'], dynScalar(`${home}/${rootPath.value.slice(2)}`, rootPath.loc));
    }
    const defaults = { file_path: 'files', artifact_path: 'artifacts', state_path: 'state', resource_path: 'resources' } as const;
    for (const [key, leaf] of Object.entries(defaults)) {
      if (isNil(getPath(root, ['workspace', key]))) root = setPath(root, ['workspace', key], dynScalar(`\${workspace.root_path}/${leaf}`));
    }
    return root;
  }

  #assignVariables(tree: Dyn, declared: ReadonlyMap<string, z.infer<typeof VariableSchema>>, target: string): Map<string, VariableAssignment> {
    const flags = this.options.vars ?? {};
    const env = this.options.env ?? process.env;
    for (const name of Object.keys(flags)) {
      if (!declared.has(name)) {
        throw new BundleError('VARIABLE_ERROR', `--var ${name}=…: variable ${name} has not been defined; declared variables: ${[...declared.keys()].join(', ') || 'none'}`, { data: { variable: name } });
      }
    }
    const overrides = this.#variableOverridesFile(target);
    const out = new Map<string, VariableAssignment>();
    const missing: string[] = [];
    for (const [name, declaration] of declared) {
      const node = getPath(tree, ['variables', name]) as DynMap;
      const complex = declaration.type === 'complex';
      const lookupNode = node.entries.get('lookup');
      const defaultNode = node.entries.get('default');
      const base = { name, complex, ...(declaration.description ? { description: declaration.description } : {}) };
      const flag = flags[name];
      const envValue = env[`BUNDLE_VAR_${name}`];
      if (flag !== undefined) {
        if (complex) throw new BundleError('VARIABLE_ERROR', `--var ${name}: setting variables of complex type via --var is not supported`, { data: { variable: name } });
        out.set(name, { ...base, source: 'flag', value: dynScalar(flag, { file: `--var ${name}`, line: 0, column: 0 }) });
      } else if (envValue !== undefined) {
        if (complex) throw new BundleError('VARIABLE_ERROR', `BUNDLE_VAR_${name}: setting variables of complex type via environment variables is not supported`, { data: { variable: name } });
        out.set(name, { ...base, source: 'env', value: dynScalar(envValue, { file: `BUNDLE_VAR_${name}`, line: 0, column: 0 }) });
      } else if (!isNil(lookupNode)) {
        out.set(name, { ...base, source: 'lookup', lookup: toPlain(lookupNode as Dyn) as Record<string, string> });
      } else if (overrides && Object.hasOwn(overrides.values, name)) {
        out.set(name, { ...base, source: 'override-file', value: fromPlain(overrides.values[name], { file: overrides.file, line: 0, column: 0 }) });
      } else if (defaultNode !== undefined) {
        out.set(name, { ...base, source: 'default', value: defaultNode });
      } else {
        missing.push(name);
      }
    }
    if (missing.length > 0) {
      throw new BundleError(
        'VARIABLE_ERROR',
        `no value assigned to required variable${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (target "${target}"); assign with --var ${missing[0]}=<value>, the BUNDLE_VAR_${missing[0]} environment variable, a default, or targets.${target}.variables`,
        { data: { variables: missing, target } },
      );
    }
    return out;
  }

  #variableOverridesFile(target: string): { file: string; values: Record<string, unknown> } | undefined {
    const file = `.databricks/bundle/${target}/variable-overrides.json`;
    const path = join(this.root, file);
    if (!existsSync(path)) return undefined;
    try {
      const values = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new Error('expected a JSON object of variable values');
      return { file, values: values as Record<string, unknown> };
    } catch (error) {
      throw new BundleError('VARIABLE_ERROR', `${file}: ${(error as Error).message}`, { cause: error, data: { file } });
    }
  }

  #validateSchema(tree: Dyn): z.infer<typeof RootSchema> {
    const parsed = RootSchema.safeParse(toPlain(tree));
    if (!parsed.success) throw problemsError(zodProblems(parsed.error, tree, []));
    const jobs = getPath(tree, ['resources', 'jobs']);
    if (jobs?.kind === 'map') {
      for (const [jobKey, job] of jobs.entries) {
        if (job.kind !== 'map') continue;
        for (const [key, value] of job.entries) {
          if (!KNOWN_JOB_KEYS.has(key)) this.#unknownField(value, ['resources', 'jobs', jobKey, key]);
        }
        const tasks = job.entries.get('tasks');
        if (tasks?.kind !== 'seq') continue;
        tasks.items.forEach((task, i) => {
          if (task.kind !== 'map') return;
          for (const [key, value] of task.entries) {
            if (!KNOWN_TASK_KEYS.has(key)) this.#unknownField(value, ['resources', 'jobs', jobKey, 'tasks', i, key]);
          }
        });
      }
    }
    return parsed.data;
  }

  #unknownField(value: Dyn, path: DynPath): void {
    this.#warnings.push({ message: `${where(value.loc, path)}: unknown field: ${String(path[path.length - 1])}`, ...(value.loc ? { location: value.loc } : {}), path: formatPath(path) });
  }

  /** The local directory `${workspace.file_path}` mirrors: the common parent of the root and `sync.paths`. */
  #syncRoot(tree: Dyn): string {
    const paths = getPath(tree, ['sync', 'paths']);
    if (paths?.kind !== 'seq' || paths.items.length === 0) return this.root;
    let common = this.root;
    for (const item of paths.items) {
      if (item.kind !== 'scalar' || typeof item.value !== 'string') continue;
      const base = item.loc ? dirname(join(this.root, item.loc.file)) : this.root;
      common = commonParent(common, resolve(base, item.value));
    }
    return common;
  }

  #jobDefinition(tree: Dyn, key: string, job: JobSettings, filePath: string, syncRoot: string): JobDefinition {
    const jobPath = ['resources', 'jobs', key];
    const tasks = job.tasks.map((task, i): TaskDefinition => {
      const taskPath = [...jobPath, 'tasks', i];
      const loc = getPath(tree, taskPath)?.loc;
      const dependsOn = (task.depends_on ?? []).map((d, j) => {
        const depLoc = getPath(tree, [...taskPath, 'depends_on', j])?.loc ?? getPath(tree, [...taskPath, 'depends_on', j, 'task_key'])?.loc;
        return { taskKey: d.task_key, ...(d.outcome ? { outcome: d.outcome } : {}), ...(depLoc ? { location: depLoc } : {}) };
      });
      let sql: TaskDefinition['sql'];
      if (task.sql_task) {
        const file = task.sql_task.file;
        let fileRef: SqlFileRef | undefined;
        if (file) {
          const pathNode = getPath(tree, [...taskPath, 'sql_task', 'file', 'path']);
          fileRef = this.#sqlFile(file.path, file.source ?? 'WORKSPACE', pathNode?.loc, filePath, syncRoot, [...taskPath, 'sql_task', 'file', 'path']);
        }
        sql = { warehouseId: task.sql_task.warehouse_id, ...(fileRef ? { file: fileRef } : {}), parameters: Object.freeze({ ...(task.sql_task.parameters ?? {}) }) };
      }
      const timeout = typeof task.timeout_seconds === 'number' && task.timeout_seconds > 0 ? task.timeout_seconds : undefined;
      return Object.freeze({
        key: task.task_key,
        ...(task.description ? { description: task.description } : {}),
        dependsOn: Object.freeze(dependsOn),
        runIf: task.run_if ?? 'ALL_SUCCESS',
        ...(sql ? { sql: Object.freeze(sql) } : {}),
        ...(timeout ? { timeoutSeconds: timeout } : {}),
        ...(loc ? { location: loc } : {}),
      });
    });
    const loc = getPath(tree, jobPath)?.loc;
    return Object.freeze({
      key,
      name: job.name ?? key,
      ...(job.description ? { description: job.description } : {}),
      tasks: Object.freeze(tasks),
      ...(job.schedule
        ? { schedule: Object.freeze({ quartzCronExpression: job.schedule.quartz_cron_expression, timezoneId: job.schedule.timezone_id, pauseStatus: job.schedule.pause_status }) }
        : {}),
      ...(job.max_concurrent_runs !== undefined ? { maxConcurrentRuns: job.max_concurrent_runs } : {}),
      tags: Object.freeze({ ...(job.tags ?? {}) }),
      parameters: Object.freeze((job.parameters ?? []).map((p) => Object.freeze({ name: p.name, default: p.default }))),
      ...(loc ? { location: loc } : {}),
      settings: job,
    });
  }

  #sqlFile(path: string, source: 'WORKSPACE' | 'GIT', loc: SourceLocation | undefined, filePath: string, syncRoot: string, keyPath: DynPath): SqlFileRef {
    if (source === 'GIT') return { path, source };
    let localPath: string | undefined;
    if (filePath && path.startsWith(`${filePath}/`)) localPath = join(syncRoot, path.slice(filePath.length + 1));
    else if (!path.startsWith('/') && !path.includes('${')) localPath = resolve(loc ? dirname(join(this.root, loc.file)) : this.root, path);
    if (localPath && !existsSync(localPath)) {
      this.#warnings.push({ message: `${where(loc, keyPath)}: SQL file ${path} not found (${relative(this.root, localPath)} from the bundle root)`, ...(loc ? { location: loc } : {}), path: formatPath(keyPath) });
    }
    return { path, source, ...(localPath ? { localPath } : {}) };
  }
}

/** A variable after precedence: its (unresolved) value node, or a lookup. */
interface VariableAssignment {
  readonly name: string;
  readonly description?: string;
  readonly complex: boolean;
  readonly source: BundleVariable['source'];
  readonly value?: Dyn;
  readonly lookup?: Readonly<Record<string, string>>;
}

/** Why a reference cannot be resolved locally: it is left in place for deploy. */
const DEFERRED = Symbol('deferred');

/** Resolves `${…}` references over the merged tree (the CLI's `ResolveVariableReferences*`). */
class Resolver {
  readonly #memo = new Map<string, Dyn | typeof DEFERRED>();
  readonly #active: string[] = [];
  #tree: Dyn;

  constructor(
    tree: Dyn,
    readonly variables: ReadonlyMap<string, VariableAssignment>,
  ) {
    this.#tree = tree;
  }

  resolveTree(): Dyn {
    this.#tree = this.#resolveNode(this.#tree, []);
    return this.#tree;
  }

  variableValues(): Record<string, BundleVariable> {
    const out: Record<string, BundleVariable> = {};
    for (const [name, v] of this.variables) {
      const value = v.value === undefined ? undefined : this.#variable(name, undefined, ['variables', name]);
      out[name] = Object.freeze({
        name,
        complex: v.complex,
        source: v.source,
        ...(v.description ? { description: v.description } : {}),
        ...(value !== undefined && value !== DEFERRED ? { value: toPlain(value) } : {}),
        ...(v.lookup ? { lookup: Object.freeze({ ...v.lookup }) } : {}),
      });
    }
    return out;
  }

  #resolveNode(node: Dyn, path: DynPath): Dyn {
    if (node.kind === 'map') {
      const entries = new Map<string, Dyn>();
      for (const [k, v] of node.entries) entries.set(k, this.#resolveNode(v, [...path, k]));
      return { ...node, entries };
    }
    if (node.kind === 'seq') return { ...node, items: node.items.map((item, i) => this.#resolveNode(item, [...path, i])) };
    if (typeof node.value !== 'string' || !node.value.includes('${')) return node;
    return this.#resolveString(node.value, node.loc, path);
  }

  #resolveString(text: string, loc: SourceLocation | undefined, path: DynPath): Dyn {
    const refs = findReferences(text);
    if (refs.length === 0) return dynScalar(text, loc);
    if (isPureReference(text)) {
      const value = this.#reference(refs[0] as Reference, loc, path);
      if (value === DEFERRED) return dynScalar(text, loc);
      return relocate(value, loc);
    }
    let out = '';
    let last = 0;
    for (const ref of refs) {
      out += text.slice(last, ref.start);
      last = ref.end;
      const value = this.#reference(ref, loc, path);
      if (value === DEFERRED) {
        out += ref.text;
        continue;
      }
      if (value.kind !== 'scalar') {
        throw new BundleError('INVALID_CONFIG', `${where(loc, path)}: ${ref.text} is ${value.kind === 'map' ? 'a map' : 'a list'} and cannot be interpolated into the string ${JSON.stringify(text)}; use it as the whole value`, {
          data: { path: formatPath(path), reference: ref.text, ...(loc ? { location: loc } : {}) },
        });
      }
      out += value.value === null ? '' : String(value.value);
    }
    out += text.slice(last);
    return dynScalar(out, loc);
  }

  #reference(ref: Reference, loc: SourceLocation | undefined, path: DynPath): Dyn | typeof DEFERRED {
    const [head, second, third] = ref.parts;
    if (head === 'var' && typeof second === 'string') return this.#descend(this.#variable(second, loc, path, ref), ref.parts.slice(2), ref, loc, path);
    if (head === 'variables' && typeof second === 'string' && third === 'value') return this.#descend(this.#variable(second, loc, path, ref), ref.parts.slice(3), ref, loc, path);
    if (head === 'resources' || head === 'artifacts') {
      if (head === 'resources' && ref.parts.length >= 3 && getPath(this.#tree, ref.parts.slice(0, 3)) === undefined) {
        throw unknownReference(ref, loc, path, `resource ${ref.parts.slice(1, 3).join('.')} is not declared in this bundle`);
      }
      return DEFERRED;
    }
    if (head === 'workspace' && second === 'current_user' && getPath(this.#tree, ['workspace', 'current_user']) === undefined) return DEFERRED;
    if (head === 'bundle' && second === 'git' && getPath(this.#tree, ['bundle', 'git']) === undefined) return DEFERRED;
    if (head === 'bundle' || head === 'workspace') {
      const key = formatPath(ref.parts);
      const memo = this.#memo.get(key);
      if (memo !== undefined) return memo;
      const node = getPath(this.#tree, ref.parts);
      if (node === undefined) {
        const section = getPath(this.#tree, [head]);
        const known = section?.kind === 'map' ? [...section.entries.keys()].map((k) => `${head}.${k}`) : [];
        throw unknownReference(ref, loc, path, `${key} is not set${known.length ? `; known: ${known.join(', ')}` : ''}`);
      }
      const value = this.#guard(key, ref, loc, path, () => this.#resolveValue(node, ref.parts));
      this.#memo.set(key, value);
      return value;
    }
    throw unknownReference(ref, loc, path, 'references start with var., bundle., workspace., resources. or artifacts.');
  }

  #variable(name: string, loc: SourceLocation | undefined, path: DynPath, ref?: Reference): Dyn | typeof DEFERRED {
    const variable = this.variables.get(name);
    if (!variable) {
      const known = [...this.variables.keys()];
      throw unknownReference(ref ?? { text: `\${var.${name}}`, path: `var.${name}`, parts: ['var', name], start: 0, end: 0 }, loc, path, `variable ${name} is not declared; declared variables: ${known.join(', ') || 'none'}`);
    }
    if (variable.value === undefined) return DEFERRED;
    const key = `variables.${name}.value`;
    const memo = this.#memo.get(key);
    if (memo !== undefined) return memo;
    const value = this.#guard(key, ref, loc, path, () => this.#resolveValue(variable.value as Dyn, ['variables', name, 'value']));
    this.#memo.set(key, value);
    return value;
  }

  /** Resolves a value found by reference; a value that is itself a pure deferred reference stays deferred. */
  #resolveValue(node: Dyn, path: DynPath): Dyn | typeof DEFERRED {
    if (node.kind === 'scalar' && typeof node.value === 'string' && isPureReference(node.value)) {
      const ref = findReferences(node.value)[0] as Reference;
      const value = this.#reference(ref, node.loc, path);
      return value === DEFERRED ? DEFERRED : relocate(value, node.loc);
    }
    return this.#resolveNode(node, path);
  }

  #guard(key: string, ref: Reference | undefined, loc: SourceLocation | undefined, path: DynPath, fn: () => Dyn | typeof DEFERRED): Dyn | typeof DEFERRED {
    if (this.#active.includes(key)) {
      const cycle = [...this.#active.slice(this.#active.indexOf(key)), key].join(' → ');
      throw new BundleError('VARIABLE_ERROR', `${where(loc, path)}: ${ref?.text ?? key} refers to itself: ${cycle}`, { data: { cycle } });
    }
    this.#active.push(key);
    try {
      return fn();
    } finally {
      this.#active.pop();
    }
  }

  #descend(value: Dyn | typeof DEFERRED, rest: readonly (string | number)[], ref: Reference, loc: SourceLocation | undefined, path: DynPath): Dyn | typeof DEFERRED {
    if (value === DEFERRED || rest.length === 0) return value;
    const inner = getPath(value, rest);
    if (inner === undefined) throw unknownReference(ref, loc, path, `the variable's value has no ${formatPath(rest)}`);
    return inner;
  }
}

function unknownReference(ref: Reference, loc: SourceLocation | undefined, path: DynPath, detail: string): BundleError {
  return new BundleError('UNKNOWN_REFERENCE', `${where(loc, path)}: unknown reference ${ref.text}: ${detail}`, {
    data: { reference: ref.text, path: formatPath(path), ...(loc ? { location: loc } : {}) },
  });
}

/** A copy of `value` placed at `loc` (where the reference was written), keeping inner locations. */
function relocate(value: Dyn, loc: SourceLocation | undefined): Dyn {
  if (!loc) return value;
  return { ...value, loc };
}

/** Targets' variable shorthand: `name: value` → `name: {default: value}` (CLI `rewriteShorthands`). */
function rewriteShorthands(tree: DynMap): DynMap {
  const targets = tree.entries.get('targets');
  if (targets?.kind !== 'map') return tree;
  let out: Dyn = tree;
  for (const [name, target] of targets.entries) {
    const variables = target.kind === 'map' ? target.entries.get('variables') : undefined;
    if (variables?.kind !== 'map') continue;
    for (const [varName, variable] of variables.entries) {
      if (isNil(variable)) continue;
      if (variable.kind === 'map' && isFullVariableOverride([...variable.entries.keys()])) continue;
      out = setPath(out, ['targets', name, 'variables', varName], dynMap([['default', variable]], variable.loc));
    }
  }
  return out as DynMap;
}

const FULL_OVERRIDES = [['default', 'type', 'description'], ['default', 'type'], ['default', 'description'], ['lookup', 'description'], ['default'], ['lookup']];

function isFullVariableOverride(keys: readonly string[]): boolean {
  return FULL_OVERRIDES.some((allowed) => allowed.length === keys.length && allowed.every((k) => keys.includes(k)));
}

/** Job `tasks` by task_key, `parameters` by name, `job_clusters` by job_cluster_key (CLI resourcemutator/merge_*.go). */
function mergeJobArrays(tree: Dyn): Dyn {
  const jobs = getPath(tree, ['resources', 'jobs']);
  if (jobs?.kind !== 'map') return tree;
  let out = tree;
  for (const [key, job] of jobs.entries) {
    if (job.kind !== 'map') continue;
    for (const [field, keyField, sort] of [
      ['tasks', 'task_key', true],
      ['job_clusters', 'job_cluster_key', true],
      ['parameters', 'name', false],
    ] as const) {
      const list = job.entries.get(field);
      if (list?.kind !== 'seq') continue;
      out = setPath(out, ['resources', 'jobs', key, field], elementsByKey(list.items, keyField, sort, list.loc, ['resources', 'jobs', key, field]));
    }
  }
  return out;
}

function elementsByKey(items: readonly Dyn[], keyField: string, sort: boolean, loc: SourceLocation | undefined, path: DynPath): Dyn {
  const seen = new Map<string, Dyn>();
  const order: string[] = [];
  items.forEach((item, i) => {
    const keyNode = item.kind === 'map' ? item.entries.get(keyField) : undefined;
    const key = keyNode?.kind === 'scalar' && keyNode.value !== null ? String(keyNode.value) : '';
    const existing = seen.get(key);
    if (existing === undefined) {
      order.push(key);
      seen.set(key, item);
    } else seen.set(key, mergeDyn(existing, item, [...path, i]));
  });
  if (sort) order.sort();
  return { kind: 'seq', items: order.map((k) => seen.get(k) as Dyn), ...(loc ? { loc } : {}) };
}

/** `mode: development` presets the runner cares about: schedules/triggers without a pause_status are PAUSED. */
function applyModePresets(tree: Dyn): Dyn {
  const mode = getPath(tree, ['bundle', 'mode']);
  const jobs = getPath(tree, ['resources', 'jobs']);
  if (mode?.kind !== 'scalar' || mode.value !== 'development' || jobs?.kind !== 'map') return tree;
  let out = tree;
  for (const [key, job] of jobs.entries) {
    for (const field of ['schedule', 'trigger', 'continuous']) {
      const section = job.kind === 'map' ? job.entries.get(field) : undefined;
      if (section?.kind === 'map' && isNil(section.entries.get('pause_status'))) {
        out = setPath(out, ['resources', 'jobs', key, field, 'pause_status'], dynScalar('PAUSED', section.loc));
      }
    }
  }
  return out;
}

/** Records `resources.<type>.<key>` → defining file; a key defined in two files is an error (CLI VerifySafeMerge). */
function recordResources(tree: DynMap, owners: Map<string, SourceLocation | undefined>, file: string): void {
  const resources = tree.entries.get('resources');
  if (resources?.kind !== 'map') return;
  for (const [type, group] of resources.entries) {
    if (group.kind !== 'map') continue;
    for (const [key, value] of group.entries) {
      const id = `${type}.${key}`;
      if (owners.has(id)) {
        const first = owners.get(id);
        throw new BundleError(
          'INVALID_CONFIG',
          `resource ${id} is defined in more than one file: ${formatLocation(first) || '?'} and ${formatLocation(value.loc) || file}; define each resource once (use targets.<t>.resources to override it)`,
          { data: { resource: id } },
        );
      }
      owners.set(id, value.loc ?? { file, line: 0, column: 0 });
    }
  }
}

function collectDeferred(tree: Dyn): DeferredReference[] {
  const out: DeferredReference[] = [];
  walkStrings(tree, [], (value, path, loc) => {
    for (const ref of findReferences(value)) out.push({ path: formatPath(path), reference: ref.text, ...(loc ? { location: loc } : {}) });
  });
  return out;
}

function walkStrings(node: Dyn, path: DynPath, fn: (value: string, path: DynPath, loc: SourceLocation | undefined) => void): void {
  if (node.kind === 'map') for (const [k, v] of node.entries) walkStrings(v, [...path, k], fn);
  else if (node.kind === 'seq') node.items.forEach((v, i) => walkStrings(v, [...path, i], fn));
  else if (typeof node.value === 'string') fn(node.value, path, node.loc);
}

function commonParent(a: string, b: string): string {
  const pa = a.split(sep);
  const pb = b.split(sep);
  const out: string[] = [];
  for (let i = 0; i < Math.min(pa.length, pb.length) && pa[i] === pb[i]; i++) out.push(pa[i] as string);
  return out.join(sep) || sep;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function invalid(node: Dyn | undefined, path: DynPath, expected: string): BundleError {
  const got = node === undefined ? '(missing)' : describe(toPlain(node));
  return new BundleError('INVALID_CONFIG', `${where(node?.loc, path)}: ${expected}, got ${got}`, { data: { path: formatPath(path), ...(node?.loc ? { location: node.loc } : {}) } });
}

/** One line per zod issue: `file:line:col: key.path: message, got <value>`. */
function zodProblems(error: z.ZodError, tree: Dyn, prefix: DynPath): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        lines.push(`${where(nearestLocation(tree, keyPath), keyPath)}: unknown field ${JSON.stringify(key)}`);
      }
      continue;
    }
    const node = getPath(tree, path);
    const got = node === undefined ? 'missing' : `got ${describe(toPlain(node))}`;
    const message = issue.code === 'invalid_union' ? (issue.errors[0]?.[0]?.message ?? issue.message) : issue.message;
    lines.push(`${where(nearestLocation(tree, path), path)}: ${message} (${got})`);
  }
  return lines;
}

function problemsError(problems: readonly string[]): BundleError {
  return new BundleError('INVALID_CONFIG', `invalid bundle configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`, {
    data: { problems },
  });
}

