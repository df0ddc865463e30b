import { describe, expect, it } from 'vitest';
import { updateSection } from './markdown-sections.js';

describe('updateSection', () => {
  const doc = '# Benchmarks\n\nintro\n\n## Data quality\n\ndq numbers\n\n## Warehouse fetch\n\nold\n\n## Later\n\nkept\n';

  it('replaces only its own section', () => {
    expect(updateSection(doc, '## Warehouse fetch\n\nnew\n')).toBe('# Benchmarks\n\nintro\n\n## Data quality\n\ndq numbers\n\n## Warehouse fetch\n\nnew\n\n## Later\n\nkept\n');
  });

  it('appends a section that is not there yet, and refuses one without a heading', () => {
    expect(updateSection('# Benchmarks\n', '## New\n\nx\n')).toBe('# Benchmarks\n\n## New\n\nx\n');
    expect(() => updateSection(doc, 'no heading')).toThrow(/starts with a "## " heading/);
  });
});
