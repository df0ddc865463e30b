import { ConfigError, displayValue, type ConfigIssue } from '@odoo-ce/common';
import { z } from 'zod';
import type { OdooProtocol } from './client.js';

/** Connection settings of the Odoo source. */
export interface OdooSettings {
  readonly url: string;
  readonly db: string;
  readonly username: string;
  readonly apiKey: string;
  readonly protocol: OdooProtocol;
}

const FIELDS = {
  ODOO_URL: z.string().refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'an http(s) URL without credentials, e.g. https://odoo.example.ph'),
  ODOO_DB: z.string().min(1, 'a database name'),
  ODOO_USERNAME: z.string().min(1, 'the login of the bot user'),
  ODOO_API_KEY: z.string().min(8, 'an Odoo API key (Preferences → Account Security → New API Key)'),
  ODOO_PROTOCOL: z.enum(['jsonrpc', 'json2']),
} as const;

/**
 * Reads `ODOO_URL`, `ODOO_DB`, `ODOO_USERNAME`, `ODOO_API_KEY` and `ODOO_PROTOCOL`
 * (`jsonrpc` default, or `json2` for Odoo 19+) and validates them with zod. Throws one
 * {@link ConfigError} naming every bad variable with its value (the key masked).
 */
export function loadOdooSettings(env: Readonly<Record<string, string | undefined>>): OdooSettings {
  const raw: Record<keyof typeof FIELDS, string | undefined> = {
    ODOO_URL: env['ODOO_URL'],
    ODOO_DB: env['ODOO_DB'],
    ODOO_USERNAME: env['ODOO_USERNAME'],
    ODOO_API_KEY: env['ODOO_API_KEY'],
    ODOO_PROTOCOL: env['ODOO_PROTOCOL'] ?? 'jsonrpc',
  };
  const issues: ConfigIssue[] = [];
  for (const [name, schema] of Object.entries(FIELDS) as [keyof typeof FIELDS, z.ZodType][]) {
    const value = raw[name];
    if (value === undefined || value === '') {
      issues.push({ field: name, value: displayValue(name, value), expected: `to be set (${describe(name)})` });
      continue;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) issues.push({ field: name, value: displayValue(name, value), expected: parsed.error.issues[0]?.message ?? describe(name) });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return Object.freeze({
    url: (raw.ODOO_URL as string).replace(/\/+$/, ''),
    db: raw.ODOO_DB as string,
    username: raw.ODOO_USERNAME as string,
    apiKey: raw.ODOO_API_KEY as string,
    protocol: raw.ODOO_PROTOCOL as OdooProtocol,
  });
}

function describe(name: keyof typeof FIELDS): string {
  switch (name) {
    case 'ODOO_URL': return 'the Odoo base URL';
    case 'ODOO_DB': return 'the database name';
    case 'ODOO_USERNAME': return 'the bot user login';
    case 'ODOO_API_KEY': return 'the API key';
    case 'ODOO_PROTOCOL': return 'jsonrpc or json2';
  }
}
