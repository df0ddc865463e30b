/**
 * DuckDB error messages start with their error class (`Catalog Error: …`); Databricks reports a
 * SQLSTATE next to the message. This maps the classes to the SQLSTATEs Databricks uses for the
 * same failures, so callers can branch on `sqlState` without parsing engine text.
 */
const SQL_STATES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Parser Error/, '42601'],
  [/^Catalog Error: (Table|View) with name .* does not exist/, '42P01'],
  [/^Catalog Error: Schema with name .* does not exist/, '3F000'],
  [/^Catalog Error: .*(already exists)/, '42710'],
  [/^Catalog Error/, '42704'],
  [/^Binder Error: .*(column|Referenced column)/i, '42703'],
  [/^Conversion Error/, '22018'],
  [/^Out of Range Error/, '22003'],
  [/^Constraint Error/, '23000'],
  [/^Invalid Input Error/, '22023'],
  [/^Not implemented Error/, '0A000'],
  [/^INTERRUPT Error/, '57014'],
];

/** The SQLSTATE for a DuckDB error message; `42000` (syntax error or access rule violation) when unknown. */
export function sqlStateOf(message: string): string {
  return SQL_STATES.find(([pattern]) => pattern.test(message))?.[1] ?? '42000';
}
