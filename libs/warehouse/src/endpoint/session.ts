import type { WarehouseConnection, WarehouseDriver } from '../core/dialect.js';
import { WarehouseError } from '../core/errors.js';
import { DuckDbConnection } from '../duckdb/index.js';
import { interceptedQuery, type StatementInterceptor } from './intercept.js';
import { Operation, uuidBytes, type ConnectionLease } from './operation.js';
import { translateStatement } from './sql-translate.js';
import type { TSparkParameter } from './thrift.js';

/** `"catalog"."schema"`, as `USE` takes it. */
type Namespace = string;

/** Spark `date_format` patterns the endpoint understands → strftime formats. */
const DATE_FORMATS: Readonly<Record<string, string>> = {
  yyyy: '%Y',
  'yyyy-MM': '%Y-%m',
  'yyyy-MM-dd': '%Y-%m-%d',
  'yyyy-MM-dd HH:mm:ss': '%Y-%m-%d %H:%M:%S',
  yyyyMM: '%Y%m',
  yyyyMMdd: '%Y%m%d',
  MM: '%m',
  dd: '%d',
};

/**
 * Spark SQL functions that `DatabricksAdapter` emits, as temporary DuckDB macros on every
 * connection the endpoint uses (temp objects are found whatever the current catalog).
 */
const SPARK_FUNCTIONS = [
  'CREATE OR REPLACE TEMP MACRO regexp_like(s, p) AS regexp_matches(s, p)',
  'CREATE OR REPLACE TEMP MACRO get_json_object(j, p) AS json_extract_string(j, p)',
  // Spark: datediff(end, start) is an INT of days; Databricks also has datediff(unit, start, end).
  "CREATE OR REPLACE TEMP MACRO datediff(e, s) AS CAST(date_diff('day', CAST(s AS DATE), CAST(e AS DATE)) AS INTEGER), (u, s, e) AS date_diff(u, s, e)",
  // Spark's regexp_replace replaces every match and writes groups as $1; DuckDB's replaces the first, groups as \1.
  String.raw`CREATE OR REPLACE TEMP MACRO regexp_replace(s, p, r) AS system.main.regexp_replace(s, p, system.main.regexp_replace(r, '\$([0-9])', '\\\1', 'g'), 'g')`,
  // strftime wants a constant format: the Java-style patterns in use, each spelled out.
  `CREATE OR REPLACE TEMP MACRO date_format(d, f) AS CASE f ${Object.entries(DATE_FORMATS)
    .map(([java, c]) => `WHEN '${java}' THEN strftime(CAST(d AS TIMESTAMP), '${c}')`)
    .join(' ')} ELSE error('date_format pattern ' || f || ' is not supported by the local endpoint') END`,
];
const withSparkFunctions = new WeakSet<DuckDbConnection['raw']>();

async function installSparkFunctions(connection: DuckDbConnection): Promise<void> {
  if (withSparkFunctions.has(connection.raw)) return;
  for (const sql of SPARK_FUNCTIONS) await connection.raw.run(sql);
  withSparkFunctions.add(connection.raw);
}

/** The namespace each DuckDB connection is set to (connections move between sessions through the pool). */
const appliedNamespace = new WeakMap<DuckDbConnection['raw'], Namespace>();

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function duckDb(connection: WarehouseConnection): DuckDbConnection {
  if (!(connection instanceof DuckDbConnection)) throw new Error('the local endpoint runs on the DuckDB driver');
  return connection;
}

async function currentNamespace(connection: DuckDbConnection): Promise<Namespace> {
  const result = await connection.raw.run('select current_database(), current_schema()');
  const [catalog, schema] = ((await result.getRows())[0] ?? []) as [string, string];
  const namespace = `${quote(catalog)}.${quote(schema)}`;
  appliedNamespace.set(connection.raw, namespace);
  return namespace;
}

async function useNamespace(connection: DuckDbConnection, namespace: Namespace): Promise<void> {
  await installSparkFunctions(connection);
  if (appliedNamespace.get(connection.raw) === namespace) return;
  await connection.raw.run(`USE ${namespace}`);
  appliedNamespace.set(connection.raw, namespace);
}

/**
 * A client session: a home DuckDB connection (so session state such as the current namespace and
 * temporary objects persists between statements) plus pooled connections for statements that
 * start while an earlier result is still being read — a DuckDB connection holds one open
 * streaming result at a time, and running a second query on it silently ends the first.
 */
export class Session {
  readonly guid = uuidBytes();
  readonly secret = uuidBytes();
  readonly operations = new Map<string, Operation>();
  readonly #driver: WarehouseDriver;
  readonly #home: DuckDbConnection;
  #homeBusy = false;
  #namespace: Namespace;
  readonly #intercept: StatementInterceptor | undefined;

  private constructor(driver: WarehouseDriver, home: DuckDbConnection, namespace: Namespace, intercept?: StatementInterceptor) {
    this.#driver = driver;
    this.#home = home;
    this.#namespace = namespace;
    this.#intercept = intercept;
  }

  /** The current catalog and schema, unquoted. */
  namespaceParts(): { catalog: string; schema: string } {
    const m = /^"((?:[^"]|"")*)"\."((?:[^"]|"")*)"$/.exec(this.#namespace);
    return { catalog: (m?.[1] ?? '').replace(/""/g, '"'), schema: (m?.[2] ?? '').replace(/""/g, '"') };
  }

  /** The namespace a fresh DuckDB connection starts in (`"memory"."main"` for the endpoint's instance). */
  static async defaultNamespace(driver: WarehouseDriver): Promise<Namespace> {
    const connection = duckDb(await driver.acquireConnection());
    try {
      return await currentNamespace(connection);
    } finally {
      await driver.releaseConnection(connection);
    }
  }

  /**
   * Opens a session on `initial` (OpenSession's initialNamespace), else on the engine's default
   * namespace. Fails with the engine's message when the catalog or schema does not exist.
   */
  static async open(
    driver: WarehouseDriver,
    initial: { catalog?: string; schema?: string },
    defaultNamespace: Namespace,
    intercept?: StatementInterceptor,
  ): Promise<Session> {
    const home = duckDb(await driver.acquireConnection());
    try {
      let target = defaultNamespace;
      if (initial.catalog && initial.schema) target = `${quote(initial.catalog)}.${quote(initial.schema)}`;
      else if (initial.catalog) target = quote(initial.catalog);
      else if (initial.schema) target = `${defaultNamespace.split('.')[0]}.${quote(initial.schema)}`;
      try {
        await installSparkFunctions(home);
        await home.raw.run(`USE ${target}`);
      } catch (error) {
        throw new WarehouseError('QUERY_FAILED', (error as Error).message, { cause: error });
      }
      return new Session(driver, home, await currentNamespace(home), intercept);
    } catch (error) {
      appliedNamespace.delete(home.raw);
      await driver.releaseConnection(home);
      throw error;
    }
  }

  /** Starts a statement in the background; the caller decides how long to wait for it. */
  execute(statement: string, parameters: readonly TSparkParameter[], format: 'arrow' | 'column'): Operation {
    let translated;
    try {
      translated = translateStatement(statement, parameters);
    } catch (error) {
      translated = { failed: error };
    }
    const intercept = this.#intercept;
    const query = intercept
      ? {
          // The interceptor sees the statement as sent; when it passes, the translation (or its failure) applies.
          deferred: async () => {
            const answer = await intercept(statement, this.namespaceParts());
            if (answer) return interceptedQuery(answer);
            if ('failed' in translated) throw translated.failed;
            return translated;
          },
        }
      : translated;
    const operation = new Operation(() => this.#lease(), query, format);
    this.operations.set(operation.guid.toString('hex'), operation);
    return operation;
  }

  async #lease(): Promise<ConnectionLease> {
    let connection: DuckDbConnection;
    let giveBack: () => void;
    if (!this.#homeBusy) {
      this.#homeBusy = true;
      connection = this.#home;
      giveBack = () => {
        this.#homeBusy = false;
      };
    } else {
      const pooled = duckDb(await this.#driver.acquireConnection());
      connection = pooled;
      giveBack = () => void this.#driver.releaseConnection(pooled);
    }
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        giveBack();
      }
    };
    try {
      await useNamespace(connection, this.#namespace);
    } catch (error) {
      release();
      throw error;
    }
    return {
      connection,
      release,
      refreshNamespace: async () => {
        this.#namespace = await currentNamespace(connection);
      },
    };
  }

  /** Cancels and closes every operation, waits for their DuckDB work to stop, returns the connections. */
  async close(): Promise<void> {
    const operations = [...this.operations.values()];
    this.operations.clear();
    for (const operation of operations) operation.close();
    await Promise.all(operations.map((o) => o.idle()));
    await this.#driver.releaseConnection(this.#home);
  }
}
