import { ConfigError, displayValue, type ConfigIssue } from '@odoo-ce/common';

/** n8n integration settings (the secret is never shown). */
export interface N8nSettings {
  /** Shared secret of the HMAC-SHA256 signatures, both directions. */
  readonly secret: string;
  /** n8n workflow webhook URLs triggered on job events (may be empty). */
  readonly workflowUrls: readonly string[];
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Reads `N8N_WEBHOOK_SECRET` (at least 16 characters) and `N8N_WORKFLOW_WEBHOOK_URLS`
 * (optional, comma-separated http(s) URLs). Throws one {@link ConfigError}; the secret is masked,
 * and so are URL paths (an n8n webhook path is a bearer secret too).
 */
export function loadN8nSettings(env: Readonly<Record<string, string | undefined>>, options: { requireSecret?: boolean } = {}): N8nSettings {
  const issues: ConfigIssue[] = [];
  const secret = env['N8N_WEBHOOK_SECRET'] ?? '';
  if (secret === '') {
    if (options.requireSecret !== false) issues.push({ field: 'N8N_WEBHOOK_SECRET', value: '(unset)', expected: 'to be set (the shared HMAC secret, 16+ characters)' });
  } else if (secret.length < 16) {
    issues.push({ field: 'N8N_WEBHOOK_SECRET', value: displayValue('N8N_WEBHOOK_SECRET', secret), expected: 'at least 16 characters' });
  }
  const urls = (env['N8N_WORKFLOW_WEBHOOK_URLS'] ?? '').split(',').map((u) => u.trim()).filter((u) => u !== '');
  for (const url of urls) {
    if (!isHttpUrl(url)) issues.push({ field: 'N8N_WORKFLOW_WEBHOOK_URLS', value: maskUrl(url), expected: 'comma-separated http(s) URLs of n8n Webhook nodes' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return Object.freeze({ secret, workflowUrls: Object.freeze(urls) });
}

/** `https://n8n.example.ph/webhook/***` — a URL without its last path segment. */
export function maskUrl(value: string): string {
  try {
    const u = new URL(value);
    return `${u.protocol}//${u.host}${u.pathname.replace(/[^/]+$/, '***')}`;
  } catch {
    return '<unparseable URL>';
  }
}
