import { fileURLToPath } from 'node:url';

/**
 * The repository's policy directory, `databricks/catalog` (resolved from this file: src/ and dist/
 * sit at the same depth), for `loadPolicy(REPO_POLICY_DIR)` in tools, apps and tests.
 */
export const REPO_POLICY_DIR = fileURLToPath(new URL('../../../databricks/catalog', import.meta.url));
