/**
 * Replaces the `## <heading>` section of a markdown document (up to the next `## ` heading) with
 * `section`, which starts with that heading; appends it when absent. Other sections are kept as
 * they are, so each benchmark owns exactly its part of docs/benchmarks.md.
 *
 * @example
 * updateSection('# Benchmarks\n\n## A\nold\n## B\nb\n', '## A\nnew\n'); // → '# Benchmarks\n\n## A\nnew\n\n## B\nb\n'
 */
export function updateSection(document: string, section: string): string {
  const heading = section.split('\n', 1)[0] ?? '';
  if (!heading.startsWith('## ')) throw new Error(`a section starts with a "## " heading, got ${JSON.stringify(heading)}`);
  const body = `${section.trimEnd()}\n`;
  const lines = document.split('\n');
  const start = lines.findIndex((line) => line.trimEnd() === heading.trimEnd());
  if (start === -1) return `${document.trimEnd()}\n\n${body}`;
  const next = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const before = lines.slice(0, start).join('\n');
  const after = next === -1 ? '' : lines.slice(next).join('\n');
  return `${before}${before ? '\n' : ''}${body}${after ? `\n${after}` : ''}`;
}
