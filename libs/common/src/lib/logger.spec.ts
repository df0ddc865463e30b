import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join(''), lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes JSON lines with time, level, event and ids from child loggers', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, isTTY: false, base: { target: 'local', run_id: 'r1' } });
    log.child({ job: 'bir_etl', task: 'silver' }).info({ event: 'task.finished', rows: 3 });
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 'info', event: 'task.finished', target: 'local', run_id: 'r1', job: 'bir_etl', task: 'silver', rows: 3 });
    expect(typeof line?.['time']).toBe('string');
  });

  it('redacts secrets at any of the first levels', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, isTTY: false });
    log.info({ event: 'x', token: 'dapi-1', config: { password: 'pw', auth: { client_secret: 'cs' } }, headers: { authorization: 'Bearer z' }, api_key: 'k' });
    const text = out.text();
    for (const secret of ['dapi-1', 'pw', 'cs', 'Bearer z', '"k"']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('is human-readable only on a terminal (or when asked)', () => {
    const json = capture();
    createLogger({ destination: json.stream, isTTY: false }).info({ event: 'hello' }, 'msg');
    expect(() => json.lines()).not.toThrow();
    const pretty = capture();
    createLogger({ destination: pretty.stream, isTTY: false, format: 'pretty' }).info({ event: 'hello' }, 'msg');
    expect(pretty.text()).toMatch(/INFO.*msg/);
    expect(() => JSON.parse(pretty.text())).toThrow();
  });
});
