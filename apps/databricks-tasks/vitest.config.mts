import { projectConfig } from '../../vitest.shared.mts';

export default projectConfig(import.meta.dirname, 'apps/databricks-tasks', { testTimeout: 60_000 });
