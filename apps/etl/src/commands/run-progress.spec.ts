import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defaultContext } from '../context.js';
import { main } from '../main.js';

describe('etl run on a terminal', () => {
  it('draws the job as a task list with the failing task and its first error line; the summary still prints', async () => {
    let drawn = '';
    const progressStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        drawn += chunk.toString();
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    const cwd = mkdtempSync(join(tmpdir(), 'etl-run-tty-'));
    const printed: string[] = [];
    const errors: string[] = [];
    const ctx = { ...defaultContext({ env: { LOG_LEVEL: 'warn' }, cwd, print: (t) => void printed.push(t) }), progressStream };
    // An empty warehouse: bronze_to_silver fails (no bronze tables), its dependants never run.
    const code = await main(['run', 'bir_etl', '--data-dir', join(cwd, 'data'), '--only', 'reference_data,bronze_to_silver,general_ledger'], ctx, (t) => void errors.push(t));

    expect(code).toBe(1);
    const out = stripVTControlCharacters(drawn);
    expect(out).toMatch(/Run job bir_etl \(dev\) · failed \(7 tasks\)/);
    expect(out).toMatch(/reference_data · 30 rows/);
    expect(out).toMatch(/bronze_to_silver/);
    expect(out).toMatch(/general_ledger: upstream failed/);
    expect(out).toMatch(/accounts_payable: skipped/);
    expect(printed.join('\n')).toMatch(/of bir_etl on dev: failed/);
    expect(errors.join('')).toMatch(/JOB_FAILED/);
  });
});
