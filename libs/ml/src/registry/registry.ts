import { param, WarehouseError, type QueryExecutor } from '@odoo-ce/warehouse';
import { invalidInput, MlError } from '../errors.js';

export type ModelStage = 'none' | 'staging' | 'production';

/** How a model's backtest metric is compared: the new version must be strictly better. */
export interface PromotionMetric {
  readonly name: string;
  readonly higherIsBetter: boolean;
}

/** One row of `platinum.models.registry`. */
export interface ModelVersion<A = unknown> {
  readonly name: string;
  readonly version: number;
  readonly createdAt: Date;
  readonly params: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly trainingRunId: string;
  readonly artifact: A;
  readonly stage: ModelStage;
  readonly promotionMetric: string;
  /** The evaluated metric; null until the evaluate step ran. */
  readonly promotionValue: number | null;
}

/** What training registers; version, stage and the evaluated value are the registry's (see {@link recordEvaluation}). */
export type RegisterInput = Pick<ModelVersion, 'name' | 'params' | 'metrics' | 'trainingRunId' | 'artifact' | 'promotionMetric'>;

export interface PromotionDecision {
  readonly name: string;
  readonly version: number;
  readonly promoted: boolean;
  /** The version that was in production before (if any). */
  readonly previous?: number;
  readonly reason: string;
}

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** The registry table (in the platinum catalog, schema `models`). */
export function registryTable(executor: QueryExecutor): string {
  return executor.adapter.quoteQualified([executor.layout.catalogs.platinum, 'models', 'registry']);
}

/** Creates `platinum.models.registry` if missing (idempotent). */
export async function ensureRegistry(executor: QueryExecutor): Promise<void> {
  const a = executor.adapter;
  await executor.query(a.createSchemaSql(executor.layout.catalogs.platinum, 'models'));
  const s = a.typeName('string');
  await executor.query(
    `CREATE TABLE IF NOT EXISTS ${registryTable(executor)} (name ${s}, version ${a.typeName('int')}, created_at ${a.typeName('timestamp')}, ` +
      `params ${s}, metrics ${s}, training_run_id ${s}, artifact ${s}, stage ${s}, promotion_metric ${s}, promotion_value ${a.typeName('double')})`,
  );
}

/**
 * Adds a new version of `name` (stage `none`, not evaluated) and returns its number. Versions count from 1 per name.
 * One writer at a time (the training job); two concurrent registrations could pick the same number.
 */
export async function registerModel(executor: QueryExecutor, input: RegisterInput): Promise<number> {
  if (!NAME.test(input.name)) throw invalidInput('name', input.name, 'a model name of lower-case letters, digits and _');
  await ensureRegistry(executor);
  const table = registryTable(executor);
  const { rows } = await executor.query<{ v: number | bigint | null }>({ sql: `SELECT max(version) AS v FROM ${table} WHERE name = :name`, parameters: { name: input.name } });
  const version = Number(rows[0]?.v ?? 0) + 1;
  await executor.query({
    sql: `INSERT INTO ${table} (name, version, created_at, params, metrics, training_run_id, artifact, stage, promotion_metric, promotion_value) ` +
      `VALUES (:name, :version, :created_at, :params, :metrics, :run_id, :artifact, 'none', :metric, CAST(NULL AS ${executor.adapter.typeName('double')}))`,
    parameters: {
      name: input.name,
      version,
      created_at: param.timestamp(new Date()),
      params: JSON.stringify(input.params),
      metrics: JSON.stringify(input.metrics),
      run_id: input.trainingRunId,
      artifact: JSON.stringify(input.artifact),
      metric: input.promotionMetric,
    },
  });
  return version;
}

interface RegistryRow {
  name: string;
  version: number | bigint;
  created_at: Date;
  params: string;
  metrics: string;
  training_run_id: string;
  artifact: string;
  stage: ModelStage;
  promotion_metric: string;
  promotion_value: number | null;
}

function toVersion<A>(row: RegistryRow, withArtifact: boolean): ModelVersion<A> {
  const parse = (field: string, text: string) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new MlError('INVALID_ARTIFACT', `model ${row.name} v${row.version}: column ${field} is not valid JSON`);
    }
  };
  return {
    name: row.name,
    version: Number(row.version),
    createdAt: row.created_at,
    params: parse('params', row.params) as Record<string, unknown>,
    metrics: parse('metrics', row.metrics) as Record<string, unknown>,
    trainingRunId: row.training_run_id,
    artifact: (withArtifact ? parse('artifact', row.artifact) : undefined) as A,
    stage: row.stage,
    promotionMetric: row.promotion_metric,
    promotionValue: row.promotion_value === null ? null : Number(row.promotion_value),
  };
}

/** The registry's logical name, for messages (callers hand them to AI agents; the quoted physical name means nothing there). */
export const REGISTRY_TABLE = 'platinum.models.registry';

/** SQLSTATEs of a missing table / schema (Databricks, and the local endpoint's mapping of DuckDB's errors). */
const MISSING_SQL_STATES = new Set(['42P01', '3F000']);
/** Databricks' error classes and DuckDB's wording for a table, schema or catalog that does not exist. */
const MISSING_MESSAGE = /TABLE_OR_VIEW_NOT_FOUND|SCHEMA_NOT_FOUND|CATALOG_NOT_FOUND|NO_SUCH_CATALOG|(Table|View|Schema|Catalog) with name .* does not exist/i;

/** True only for "the table (or its schema/catalog) does not exist": auth, connection and timeout failures are not "no model". */
export function isMissingTableError(error: unknown): boolean {
  if (!(error instanceof WarehouseError) || error.code !== 'QUERY_FAILED') return false;
  const sqlState = error.data?.['sqlState'];
  return (typeof sqlState === 'string' && MISSING_SQL_STATES.has(sqlState)) || MISSING_MESSAGE.test(error.message);
}

async function tableExists(executor: QueryExecutor): Promise<boolean> {
  try {
    await executor.query(`SELECT 1 FROM ${registryTable(executor)} WHERE 1 = 0`);
    return true;
  } catch (error) {
    if (isMissingTableError(error)) return false;
    throw error;
  }
}

/** Versions of one model (or all), newest first, without artifacts. */
export async function listModelVersions(executor: QueryExecutor, name?: string): Promise<ModelVersion<undefined>[]> {
  if (!(await tableExists(executor))) return [];
  const cols = 'name, version, created_at, params, metrics, training_run_id, stage, promotion_metric, promotion_value';
  const { rows } = await executor.query<RegistryRow>(
    name
      ? { sql: `SELECT ${cols}, '' AS artifact FROM ${registryTable(executor)} WHERE name = :name ORDER BY version DESC`, parameters: { name } }
      : `SELECT ${cols}, '' AS artifact FROM ${registryTable(executor)} ORDER BY name, version DESC`,
  );
  return rows.map((r) => toVersion<undefined>(r, false));
}

/** One version with its artifact; `version` omitted → the production version. NO_MODEL when absent. */
export async function loadModelVersion<A>(executor: QueryExecutor, name: string, version?: number): Promise<ModelVersion<A>> {
  if (!(await tableExists(executor))) {
    throw new MlError('NO_MODEL', `no model "${name}" is registered (the registry ${REGISTRY_TABLE} does not exist yet: run the ml_training job)`, { data: { name } });
  }
  const where = version === undefined ? `name = :name AND stage = 'production'` : 'name = :name AND version = :version';
  const { rows } = await executor.query<RegistryRow>({
    sql: `SELECT * FROM ${registryTable(executor)} WHERE ${where} ORDER BY version DESC LIMIT 1`,
    parameters: version === undefined ? { name } : { name, version },
  });
  const row = rows[0];
  if (!row) {
    throw new MlError('NO_MODEL', version === undefined ? `model "${name}" has no production version (run the ml_training job)` : `model "${name}" has no version ${version}`, { data: { name, version } });
  }
  return toVersion<A>(row, true);
}

/**
 * Promotes `version` to production when there is no production version yet or when its
 * promotion metric is strictly better than production's; the old production version goes back
 * to `none`. Otherwise the new version stays in `staging`, and the decision says why.
 */
export async function promoteIfBetter(executor: QueryExecutor, name: string, version: number, metric: PromotionMetric): Promise<PromotionDecision> {
  const versions = await listModelVersions(executor, name);
  const candidate = versions.find((v) => v.version === version);
  if (!candidate) throw new MlError('NO_MODEL', `model "${name}" has no version ${version}`, { data: { name, version } });
  const current = versions.find((v) => v.stage === 'production');
  const fmt = (v: number) => Number(v.toPrecision(6));
  if (candidate.promotionValue === null) {
    return { name, version, promoted: false, ...(current ? { previous: current.version } : {}), reason: `version ${version} has not been evaluated (no ${metric.name}); run the evaluate step first` };
  }
  if (current?.version === version) return { name, version, promoted: false, previous: version, reason: `version ${version} is already in production` };
  if (current) {
    const production = current.promotionValue ?? (metric.higherIsBetter ? -Infinity : Infinity);
    const better = metric.higherIsBetter ? candidate.promotionValue > production : candidate.promotionValue < production;
    if (!better) {
      return {
        name, version, promoted: false, previous: current.version,
        reason: `${metric.name} ${fmt(candidate.promotionValue)} does not beat production v${current.version} (${fmt(production)}); v${version} stays in staging`,
      };
    }
  }
  const table = registryTable(executor);
  await executor.query({ sql: `UPDATE ${table} SET stage = 'none' WHERE name = :name AND stage = 'production'`, parameters: { name } });
  await executor.query({ sql: `UPDATE ${table} SET stage = 'production' WHERE name = :name AND version = :version`, parameters: { name, version } });
  return {
    name, version, promoted: true, ...(current ? { previous: current.version } : {}),
    reason: current
      ? `${metric.name} ${fmt(candidate.promotionValue)} beats production v${current.version} (${fmt(current.promotionValue ?? Number.NaN)})`
      : `no production version yet; ${metric.name} ${fmt(candidate.promotionValue)}`,
  };
}

/**
 * The evaluate step's result: merges `metrics` into the version's metrics, sets the promotion
 * metric's value and moves the version to `staging`. A non-finite value is refused.
 */
export async function recordEvaluation(executor: QueryExecutor, name: string, version: number, metrics: Readonly<Record<string, unknown>>, value: number): Promise<void> {
  if (!Number.isFinite(value)) throw invalidInput(`${name} v${version} promotion metric`, value, 'a finite number');
  const [current] = (await listModelVersions(executor, name)).filter((v) => v.version === version);
  if (!current) throw new MlError('NO_MODEL', `model "${name}" has no version ${version}`, { data: { name, version } });
  await executor.query({
    sql: `UPDATE ${registryTable(executor)} SET metrics = :metrics, promotion_value = :value, stage = CASE WHEN stage = 'production' THEN stage ELSE 'staging' END WHERE name = :name AND version = :version`,
    parameters: { metrics: JSON.stringify({ ...current.metrics, ...metrics }), value, name, version },
  });
}

/** Versions registered by one training run (name → version). */
export async function versionsOfRun(executor: QueryExecutor, runId: string): Promise<Map<string, number>> {
  if (!(await tableExists(executor))) return new Map();
  const { rows } = await executor.query<{ name: string; version: number | bigint }>({
    sql: `SELECT name, max(version) AS version FROM ${registryTable(executor)} WHERE training_run_id = :run_id GROUP BY name`,
    parameters: { run_id: runId },
  });
  return new Map(rows.map((r) => [r.name, Number(r.version)]));
}
