/** Values exactly as Odoo's external API returns them (see shared/domain/odoo-external-api.md §3.5). */

/** A many2one value: `[id, display_name]`, or `false` when empty. */
export type Many2one = [number, string] | false;

export function m2o(record: { id: number; name: string } | undefined | null): Many2one {
  return record ? [record.id, record.name] : false;
}

/** `"YYYY-MM-DD HH:MM:SS"` in UTC, as Odoo serialises datetime fields. */
export function odooDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** `"YYYY-MM-DD"`, as Odoo serialises date fields. */
export function odooDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Centavos → a monetary float as Odoo's JSON carries it (2 decimals). */
export function money(centavos: number): number {
  return Math.round(centavos) / 100;
}

/** Centavos → an exact decimal string, as Postgres `numeric` arrives through `pg`. */
export function decimalString(centavos: number): string {
  const sign = centavos < 0 ? '-' : '';
  const abs = Math.abs(Math.round(centavos));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A formatted TIN `###-###-###-#####` (branch code of 3 or 5 digits, or none). */
export function formatTin(digits9: string, branch?: string): string {
  const base = `${digits9.slice(0, 3)}-${digits9.slice(3, 6)}-${digits9.slice(6, 9)}`;
  return branch ? `${base}-${branch}` : base;
}
