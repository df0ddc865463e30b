import { startJobsApiStandIn, type JobsApiStandIn } from '@odoo-ce/bundle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsApiFromEnv } from './jobs-api-auth.js';

/**
 * The deploy workflows authenticate with a service principal's OAuth M2M secret, not a token: the
 * Jobs API client must get an access token from the workspace's /oidc/v1/token first. The token
 * endpoint is played by a fetch wrapper; every Jobs API call goes to the stand-in, which only
 * accepts the minted token.
 */
describe('jobsApiFromEnv', () => {
  let standIn: JobsApiStandIn;
  const tokenRequests: { url: string; auth: string | null; body: string }[] = [];
  const fetchWith =
    (answer: { status: number; body: unknown }): typeof fetch =>
    async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith('/oidc/v1/token')) {
        tokenRequests.push({ url, auth: new Headers(init?.headers).get('authorization'), body: String(init?.body) });
        return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'Content-Type': 'application/json' } });
      }
      return fetch(url.replace('https://adb-1.2.azuredatabricks.net', standIn.url), init);
    };

  beforeAll(async () => {
    standIn = await startJobsApiStandIn({ token: 'minted-access-token', jobs: [{ job_id: 7, name: 'odoo-ce Scout daily sync (prod)' }] });
  });
  afterAll(async () => standIn.close());

  it('exchanges DATABRICKS_CLIENT_ID/SECRET for an access token (client credentials, all-apis) and uses it', async () => {
    const env = { DATABRICKS_HOST: 'adb-1.2.azuredatabricks.net', DATABRICKS_CLIENT_ID: 'sp-app-id', DATABRICKS_CLIENT_SECRET: 'dose-secret' };
    const client = await jobsApiFromEnv(env, fetchWith({ status: 200, body: { access_token: 'minted-access-token', token_type: 'Bearer', expires_in: 3600 } }));
    expect((await client.findJobByName('odoo-ce Scout daily sync (prod)')).job_id).toBe(7);
    expect(tokenRequests.at(-1)).toEqual({
      url: 'https://adb-1.2.azuredatabricks.net/oidc/v1/token',
      auth: `Basic ${Buffer.from('sp-app-id:dose-secret').toString('base64')}`,
      body: 'grant_type=client_credentials&scope=all-apis',
    });
    expect(standIn.requests.at(-1)?.authorized).toBe(true);
  });

  it('a refused secret → one line naming the client id and the reason, never the secret', async () => {
    const env = { DATABRICKS_HOST: 'adb-1.2.azuredatabricks.net', DATABRICKS_CLIENT_ID: 'sp-app-id', DATABRICKS_CLIENT_SECRET: 'dose-secret' };
    const refused = jobsApiFromEnv(env, fetchWith({ status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } }));
    await expect(refused).rejects.toThrow('Jobs API: OAuth M2M token for DATABRICKS_CLIENT_ID sp-app-id refused: Client authentication failed');
    await expect(refused).rejects.not.toThrow(/dose-secret/);
  });

  it('neither a token nor a client secret → says which variables to set', async () => {
    await expect(jobsApiFromEnv({ DATABRICKS_HOST: 'adb-1.2.azuredatabricks.net' })).rejects.toThrow(/set DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET/);
  });
});
