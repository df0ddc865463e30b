import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigIssue } from '@odoo-ce/common';
import { z } from 'zod';

/** How the connection uses TLS: `disable` (local only), `require` (encrypt, no verification) or `verify-full`. */
export type SupabaseSslMode = 'disable' | 'require' | 'verify-full';

/** Connection settings of Supabase's Postgres (the password is never shown). */
export interface SupabaseSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly sslMode: SupabaseSslMode;
  /** Extra CA (PEM) to trust with `verify-full` (Supabase's root certificate). */
  readonly caCert?: string;
  /** `postgresql://user:***@host:port/db`, for messages and logs. */
  readonly display: string;
}

const URL_SCHEMA = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '' && u.username !== '';
  } catch {
    return false;
  }
}, 'a postgres URL with user and host, e.g. postgresql://postgres.<ref>:<password>@aws-0-ap-southeast-1.pooler.supabase.com:5432/postgres');

const SSL_SCHEMA = z.enum(['disable', 'require', 'verify-full']);

/** `postgresql://user:***@host:port/db` — a connection URL with its password masked. */
export function maskDbUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    // Unparseable: mask anything between "://user:" and "@".
    return value.replace(/(:\/\/[^:/@]*:)[^@]*@/, '$1***@').replace(/(password=)[^&]*/gi, '$1***');
  }
}

/**
 * Reads `SUPABASE_DB_URL` (`postgresql://user:password@host:port/db`; an `sslmode` query
 * parameter is honoured), `SUPABASE_DB_SSL` (`disable`, `require` or `verify-full`, default
 * `verify-full`, or the URL's `sslmode`) and `SUPABASE_DB_CA_CERT_FILE` (optional PEM), validated
 * with zod. Throws one {@link ConfigError} naming every bad variable; the password is masked.
 */
export function loadSupabaseSettings(env: Readonly<Record<string, string | undefined>>): SupabaseSettings {
  const issues: ConfigIssue[] = [];
  const url = env['SUPABASE_DB_URL'];
  let parsed: URL | undefined;
  if (url === undefined || url === '') {
    issues.push({ field: 'SUPABASE_DB_URL', value: '(unset)', expected: 'to be set (the Postgres connection string of the Supabase project)' });
  } else {
    const r = URL_SCHEMA.safeParse(url);
    if (r.success) parsed = new URL(url);
    else issues.push({ field: 'SUPABASE_DB_URL', value: maskDbUrl(url), expected: r.error.issues[0]?.message ?? 'a postgres URL' });
  }
  const fromUrl = parsed?.searchParams.get('sslmode') ?? undefined;
  const sslRaw = env['SUPABASE_DB_SSL'] ?? (fromUrl === 'verify-ca' ? 'verify-full' : fromUrl === 'prefer' || fromUrl === 'allow' ? 'require' : fromUrl) ?? 'verify-full';
  const ssl = SSL_SCHEMA.safeParse(sslRaw);
  if (!ssl.success) issues.push({ field: 'SUPABASE_DB_SSL', value: sslRaw, expected: 'disable, require or verify-full' });
  let caCert: string | undefined;
  const caFile = env['SUPABASE_DB_CA_CERT_FILE'];
  if (caFile !== undefined && caFile !== '') {
    try {
      caCert = readFileSync(caFile, 'utf8');
    } catch {
      issues.push({ field: 'SUPABASE_DB_CA_CERT_FILE', value: caFile, expected: 'a readable PEM file' });
    }
  }
  if (issues.length > 0 || !parsed || !ssl.success) throw new ConfigError(issues);
  const port = parsed.port === '' ? 5432 : Number(parsed.port);
  return Object.freeze({
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    sslMode: ssl.data,
    ...(caCert !== undefined ? { caCert } : {}),
    display: maskDbUrl(url as string),
  });
}
