/**
 * Philippine TIN format: `###-###-###` with an optional 3- or 5-digit branch code
 * (`000` / `00000` = head office). There is no public check-digit algorithm, so only the format
 * is validated (bir-rules.md §4). Also usable as a SQL regex (RE2 and Java agree on it).
 */
export const TIN_PATTERN = '^[0-9]{3}-[0-9]{3}-[0-9]{3}(-([0-9]{3}|[0-9]{5}))?$';
const TIN = new RegExp(TIN_PATTERN);

/** True when `value` has the TIN format. */
export function isValidTin(value: string): boolean {
  return TIN.test(value);
}

/**
 * The 17-character form `###-###-###-#####`: a missing branch becomes `00000`, a 3-digit branch
 * is left-padded (`000` ≡ `00000`, our convention). Undefined for a malformed TIN.
 *
 * @example
 * normalizeTin('123-456-789'); // '123-456-789-00000'
 */
export function normalizeTin(value: string): string | undefined {
  const m = TIN.exec(value.trim());
  if (!m) return undefined;
  const [base, branch = '0'] = [value.trim().slice(0, 11), m[2]];
  return `${base}-${branch.padStart(5, '0')}`;
}
