import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FEATURES_SQL_PATH } from './build.js';
import { featuresScript } from './feature-sql.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe(FEATURES_SQL_PATH, () => {
  it('is exactly what the builders generate (the ml_training job runs this file as its features sql_task)', () => {
    const path = join(REPO_ROOT, FEATURES_SQL_PATH);
    if (process.env['UPDATE_FEATURE_SQL'] === '1') writeFileSync(path, featuresScript());
    expect(readFileSync(path, 'utf8')).toBe(featuresScript());
  });
});
