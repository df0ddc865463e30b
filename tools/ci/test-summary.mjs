#!/usr/bin/env node
// Reads the vitest JSON reports in a directory (one per project, written when CI_TEST_REPORT_DIR
// is set) plus optional extra `{"passed": n, "failed": n}` files, and prints the closing line
// `N passed, N failed` that CI recognises. A test file that failed to load counts as one failure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: test-summary.mjs <report-dir>');
  process.exit(2);
}
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  if ('numPassedTests' in report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // Suites that failed without running a test (import error, syntax error) have no failed test.
    for (const suite of report.testResults ?? []) {
      if (suite.status === 'failed' && (suite.assertionResults ?? []).every((a) => a.status !== 'failed')) failed += 1;
    }
    console.log(`  ${file.replace(/\.json$/, '').replace(/__/g, '/')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  } else {
    passed += report.passed ?? 0;
    failed += report.failed ?? 0;
    console.log(`  ${file.replace(/\.json$/, '')}: ${report.passed ?? 0} passed, ${report.failed ?? 0} failed`);
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
