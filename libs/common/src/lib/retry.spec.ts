import { describe, expect, it } from 'vitest';
import { PlatformError } from './errors.js';
import { parseRetryAfter, retry } from './retry.js';

const noSleep = { sleep: async () => undefined };

describe('retry', () => {
  it('retries until success with full-jitter exponential backoff', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 4) throw new Error('flaky');
        return 'ok';
      },
      { ...noSleep, baseDelayMs: 100, random: () => 0.5, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([50, 100, 200]);
  });

  it('caps each wait at maxDelayMs', async () => {
    const delays: number[] = [];
    await expect(retry(async () => Promise.reject(new Error('down')), { ...noSleep, maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 3000, random: () => 0.999, onRetry: ({ delayMs }) => delays.push(delayMs) })).rejects.toThrow('down');
    expect(delays).toEqual([999, 1998, 2997, 2997, 2997]);
  });

  it('rethrows a non-retryable error at once', async () => {
    let calls = 0;
    const err = new PlatformError('ACCESS_DENIED', 'no');
    await expect(retry(async () => { calls++; throw err; }, { ...noSleep, isRetryable: (e) => !(e instanceof PlatformError) })).rejects.toBe(err);
    expect(calls).toBe(1);
  });

  it('honours Retry-After and the elapsed budget', async () => {
    const delays: number[] = [];
    let calls = 0;
    await expect(
      retry(async () => { calls++; throw new Error('429'); }, { ...noSleep, retryAfterMs: () => 400, maxElapsedMs: 1000, onRetry: ({ delayMs }) => delays.push(delayMs), sleep: async () => undefined }),
    ).rejects.toThrow('429');
    expect(delays.every((d) => d === 400)).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('stops when the signal aborts during a wait', async () => {
    const controller = new AbortController();
    const promise = retry(async () => { throw new Error('x'); }, { baseDelayMs: 10_000, random: () => 1, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(promise).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
