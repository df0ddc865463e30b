import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { DeployError } from '../errors.js';

/**
 * Vendor annotation keywords of the official bundle schema. Declaring them keeps ajv's strict
 * mode for everything else (platform-facts.md §0: plain `new Ajv()` rejects `markdownDescription`).
 */
const ANNOTATION_KEYWORDS = ['markdownDescription', 'doNotSuggest', 'enumDescriptions', 'deprecationMessage', 'x-databricks-launch-stage'];

export interface OfficialSchema {
  /** Where it came from: a file path, `$DATABRICKS_BUNDLE_SCHEMA`, or `databricks bundle schema`. */
  readonly source: string;
  readonly validate: ValidateFunction;
}

export interface SchemaSourceOptions {
  /** `--schema <file>`: wins over everything. */
  readonly file?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Runs `databricks bundle schema` (tests pass a stub); default: the CLI on PATH, if any. */
  readonly runCli?: () => string | undefined;
}

const compiled = new Map<string, ValidateFunction>();

/**
 * The official Databricks bundle JSON schema, compiled with ajv: from `--schema`, else
 * `$DATABRICKS_BUNDLE_SCHEMA`, else `databricks bundle schema` when the Databricks CLI is
 * installed. The schema is licensed for use with Databricks only, so the repository never
 * carries a copy; CI points `DATABRICKS_BUNDLE_SCHEMA` at the CLI's output.
 * Compiling takes 1.5–2.5 s; a compiled schema is cached per source in the process.
 */
export function loadOfficialSchema(options: SchemaSourceOptions): OfficialSchema {
  const fromFile = options.file ?? options.env['DATABRICKS_BUNDLE_SCHEMA'];
  if (fromFile !== undefined && fromFile !== '') {
    const path = resolve(options.cwd, fromFile);
    const field = options.file !== undefined ? '--schema' : 'DATABRICKS_BUNDLE_SCHEMA';
    if (!existsSync(path)) throw new DeployError('SCHEMA_UNAVAILABLE', `${field} = ${JSON.stringify(fromFile)}: no such file; expected the output of \`databricks bundle schema\``);
    return { source: path, validate: compile(path, () => readFileSync(path, 'utf8'), field) };
  }
  const text = (options.runCli ?? runDatabricksCli)();
  if (text === undefined) {
    throw new DeployError(
      'SCHEMA_UNAVAILABLE',
      'no bundle JSON schema: pass --schema <file>, set DATABRICKS_BUNDLE_SCHEMA, or install the Databricks CLI (`databricks bundle schema`)',
    );
  }
  return { source: 'databricks bundle schema', validate: compile(`cli:${text.length}`, () => text, 'databricks bundle schema') };
}

function compile(key: string, read: () => string, field: string): ValidateFunction {
  const cached = compiled.get(key);
  if (cached) return cached;
  let schema: unknown;
  try {
    schema = JSON.parse(read());
  } catch (error) {
    throw new DeployError('SCHEMA_UNAVAILABLE', `${field}: not valid JSON (${(error as Error).message}); expected the output of \`databricks bundle schema\``);
  }
  const ajv = new Ajv({ allErrors: true });
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword(keyword);
  const validate = ajv.compile(schema as object);
  compiled.set(key, validate);
  return validate;
}

function runDatabricksCli(): string | undefined {
  try {
    return execFileSync('databricks', ['bundle', 'schema'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}
