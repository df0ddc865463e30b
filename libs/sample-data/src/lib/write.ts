import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Dataset } from './dataset.js';

/** Where each dataset part lands, relative to the export directory. */
export interface WrittenFile {
  readonly source: 'odoo' | 'scout';
  readonly name: string;
  readonly path: string;
  readonly rows: number;
}

/**
 * Writes the dataset as the "google_drive_exports" source delivers it: one NDJSON file per Odoo
 * model (`odoo/account.move.ndjson`) and per Scout table (`scout/transactions.ndjson`), plus
 * `manifest.json` with the ground truth. Streams rows, so large scales do not build one huge string.
 */
export async function writeDataset(dir: string, dataset: Dataset): Promise<WrittenFile[]> {
  const written: WrittenFile[] = [];
  const parts: [WrittenFile['source'], string, readonly unknown[]][] = [
    ...Object.entries(dataset.odoo).map(([model, rows]) => ['odoo', model, rows] as [WrittenFile['source'], string, readonly unknown[]]),
    ['scout', 'transactions', dataset.scout.transactions],
  ];
  for (const [source, name, rows] of parts) {
    mkdirSync(join(dir, source), { recursive: true });
    const path = join(dir, source, `${name}.ndjson`);
    const out = createWriteStream(path);
    let buffer = '';
    for (const row of rows) {
      buffer += `${JSON.stringify(row)}\n`;
      if (buffer.length > 1 << 20) {
        if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        buffer = '';
      }
    }
    out.end(buffer);
    await finished(out);
    written.push({ source, name, path, rows: rows.length });
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(dataset.manifest, null, 2)}\n`);
  return written;
}
