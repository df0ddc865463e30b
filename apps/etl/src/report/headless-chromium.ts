import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Where Debian's `chromium` package installs the browser. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Options of {@link launchHeadlessChromium}. */
export interface HeadlessChromiumOptions {
  readonly executablePath?: string;
  /** Viewport width and height in CSS pixels (default 1280 × 900). */
  readonly width?: number;
  readonly height?: number;
  /** Give up on any single DevTools call after this long (default 15 s). */
  readonly timeoutMs?: number;
}

/** Something the page reported: a console error, an uncaught exception, a log entry, a request. */
export interface PageEvent {
  readonly kind: 'console' | 'exception' | 'log' | 'request';
  readonly level: string;
  readonly text: string;
}

/** One page in a headless Chromium, driven over the DevTools protocol. */
export interface HeadlessPage {
  /** Navigates and resolves once the page's load event fired. */
  goto(url: string): Promise<void>;
  /** Evaluates an expression in the page (awaiting promises) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the whole page (beyond the viewport), or of the given region in CSS pixels. */
  screenshot(region?: { readonly x: number; readonly y: number; readonly width: number; readonly height: number }): Promise<Buffer>;
  /** Console errors and warnings, exceptions, error log entries and every request the page made. */
  readonly events: readonly PageEvent[];
  close(): Promise<void>;
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/**
 * Starts Chromium headless with `--remote-debugging-pipe` (the DevTools protocol over file
 * descriptors 3 and 4, NUL-separated JSON messages — no port, no WebSocket) and opens one page.
 * A throwaway profile directory is created and removed on close.
 *
 * @example
 * const page = await launchHeadlessChromium();
 * await page.goto('file:///tmp/report.html');
 * const title = await page.evaluate<string>('document.title');
 * await page.close();
 */
export async function launchHeadlessChromium(options: HeadlessChromiumOptions = {}): Promise<HeadlessPage> {
  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  const child = spawn(
    options.executablePath ?? DEFAULT_CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--hide-scrollbars',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const client = new PipeClient(child, options.timeoutMs ?? 15_000, () => stderr.join('').slice(-2000));
  try {
    const { targetId } = (await client.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await client.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    return await openPage(client, sessionId, options, async () => {
      await client.send('Browser.close').catch(() => undefined);
      await client.exited(5_000);
      await rm(profile, { recursive: true, force: true });
    });
  } catch (error) {
    child.kill('SIGKILL');
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

async function openPage(client: PipeClient, sessionId: string, options: HeadlessChromiumOptions, close: () => Promise<void>): Promise<HeadlessPage> {
  const events: PageEvent[] = [];
  client.onEvent(sessionId, (method, params) => {
    if (method === 'Runtime.consoleAPICalled' && (params['type'] === 'error' || params['type'] === 'warning' || params['type'] === 'assert')) {
      const args = (params['args'] as { value?: unknown; description?: string }[] | undefined) ?? [];
      events.push({ kind: 'console', level: String(params['type']), text: args.map((a) => (a.value !== undefined ? String(a.value) : (a.description ?? ''))).join(' ') });
    } else if (method === 'Runtime.exceptionThrown') {
      const details = params['exceptionDetails'] as { text?: string; exception?: { description?: string } } | undefined;
      events.push({ kind: 'exception', level: 'error', text: details?.exception?.description ?? details?.text ?? 'exception' });
    } else if (method === 'Log.entryAdded') {
      const entry = params['entry'] as { level?: string; text?: string; url?: string } | undefined;
      events.push({ kind: 'log', level: entry?.level ?? 'info', text: `${entry?.text ?? ''}${entry?.url ? ` (${entry.url})` : ''}` });
    } else if (method === 'Network.requestWillBeSent') {
      const request = params['request'] as { url?: string } | undefined;
      events.push({ kind: 'request', level: 'info', text: request?.url ?? '' });
    }
  });
  const session = (method: string, params?: Record<string, unknown>) => client.send(method, params, sessionId);
  await session('Page.enable');
  await session('Runtime.enable');
  await session('Log.enable');
  await session('Network.enable');
  await session('Emulation.setDeviceMetricsOverride', { width: options.width ?? 1280, height: options.height ?? 900, deviceScaleFactor: 1, mobile: false });
  return {
    events,
    async goto(url) {
      const loaded = client.waitForEvent(sessionId, 'Page.loadEventFired');
      const result = (await session('Page.navigate', { url })) as { errorText?: string };
      if (result.errorText) throw new Error(`cannot open ${url}: ${result.errorText}`);
      await loaded;
    },
    async evaluate<T>(expression: string) {
      const result = (await session('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
        result: { value?: unknown };
        exceptionDetails?: { text?: string; exception?: { description?: string } };
      };
      if (result.exceptionDetails) throw new Error(`page evaluation failed: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text ?? ''}`);
      return result.result.value as T;
    },
    async screenshot(region) {
      const { cssContentSize } = (await session('Page.getLayoutMetrics')) as { cssContentSize: { width: number; height: number } };
      const clip = { ...(region ?? { x: 0, y: 0, width: Math.ceil(cssContentSize.width), height: Math.ceil(cssContentSize.height) }), scale: 1 };
      const { data } = (await session('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip })) as { data: string };
      return Buffer.from(data, 'base64');
    },
    close,
  };
}

/** A DevTools protocol client over Chromium's pipe transport (fd 3: to the browser, fd 4: from it). */
class PipeClient {
  readonly #input: Writable;
  readonly #pending = new Map<number, { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void; method: string }>();
  readonly #listeners = new Set<(sessionId: string | undefined, method: string, params: Record<string, unknown>) => void>();
  readonly #exit: Promise<void>;
  #nextId = 1;
  #buffer = '';
  #failure: Error | undefined;

  constructor(
    readonly child: ChildProcess,
    readonly timeoutMs: number,
    readonly diagnostics: () => string,
  ) {
    this.#input = child.stdio[3] as Writable;
    const output = child.stdio[4] as Readable;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.#receive(chunk));
    this.#input.on('error', () => undefined);
    this.#exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#fail(new Error(`chromium exited (code ${code}, signal ${signal}): ${this.diagnostics()}`));
        resolve();
      });
      child.once('error', (error) => {
        this.#fail(new Error(`cannot start chromium: ${error.message}`));
        resolve();
      });
    });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`DevTools call ${method} got no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.#pending.set(id, {
        method,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  onEvent(sessionId: string, listener: (method: string, params: Record<string, unknown>) => void): void {
    this.#listeners.add((sid, method, params) => {
      if (sid === sessionId) listener(method, params);
    });
  }

  waitForEvent(sessionId: string, method: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${this.timeoutMs} ms`)), this.timeoutMs);
      const listener = (sid: string | undefined, m: string) => {
        if (sid === sessionId && m === method) {
          clearTimeout(timer);
          this.#listeners.delete(listener);
          resolve();
        }
      };
      this.#listeners.add(listener);
    });
  }

  /** Waits for the browser to exit; kills it after `graceMs`. */
  async exited(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    const outcome = await Promise.race([this.#exit, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.child.kill('SIGKILL');
      await this.#exit;
    }
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    let end: number;
    while ((end = this.#buffer.indexOf('\0')) >= 0) {
      const text = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 1);
      const message = JSON.parse(text) as Message;
      if (message.id !== undefined) {
        const pending = this.#pending.get(message.id);
        if (!pending) continue;
        this.#pending.delete(message.id);
        if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`));
        else pending.resolve(message.result ?? {});
      } else if (message.method) {
        for (const listener of [...this.#listeners]) listener(message.sessionId, message.method, message.params ?? {});
      }
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
