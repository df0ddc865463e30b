import { JobsApiClient } from '@odoo-ce/bundle';
import { DeployError } from '../errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A Jobs API client for the workspace in `DATABRICKS_HOST`, authenticated the way the deploy
 * workflows are: a token (`DATABRICKS_TOKEN`), or a service principal's OAuth M2M secret
 * (`DATABRICKS_CLIENT_ID` / `DATABRICKS_CLIENT_SECRET`, which the SQL driver also accepts), exchanged
 * for an access token at the workspace's `/oidc/v1/token` (client credentials, scope `all-apis`).
 * The access token lasts an hour; `smoke` waits at most the job's timeout (1 h for the defaults).
 */
export async function jobsApiFromEnv(env: Env, fetchImpl: typeof fetch = fetch): Promise<JobsApiClient> {
  const host = env['DATABRICKS_HOST'];
  if (env['DATABRICKS_TOKEN'] || !host) return JobsApiClient.fromEnv(env, { fetch: fetchImpl });
  const clientId = env['DATABRICKS_CLIENT_ID'];
  const secret = env['DATABRICKS_CLIENT_SECRET'];
  if (!clientId || !secret) {
    throw new DeployError('INVALID_INPUT', 'Jobs API: set DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (OAuth M2M), next to DATABRICKS_HOST');
  }
  const base = /^https?:\/\//.test(host) ? host.replace(/\/+$/, '') : `https://${host.replace(/\/+$/, '')}`;
  let response: Response;
  try {
    response = await fetchImpl(`${base}/oidc/v1/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=all-apis',
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new DeployError('INVALID_INPUT', `Jobs API: the OAuth token endpoint ${base}/oidc/v1/token could not be reached (${(error as Error).message})`);
  }
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown; error_description?: unknown };
  if (!response.ok || typeof body.access_token !== 'string') {
    // Never echo the secret; the endpoint's own error words are safe to show.
    const why = typeof body.error_description === 'string' ? body.error_description : typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
    throw new DeployError('INVALID_INPUT', `Jobs API: OAuth M2M token for DATABRICKS_CLIENT_ID ${clientId} refused: ${why}`);
  }
  return new JobsApiClient({ host, token: body.access_token, fetch: fetchImpl });
}
