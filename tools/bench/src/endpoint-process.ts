/**
 * Runs a local endpoint in its own process for the fetch benchmark, so its work (DuckDB, encoding,
 * TLS) does not share the client's thread and heap — as with a remote SQL warehouse. Started by
 * {@link startEndpointProcess} with `fork`; reports where it listens over the IPC channel and
 * closes on the message `'close'`.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startLocalEndpoint } from '@odoo-ce/warehouse/endpoint';

/** Where a forked endpoint listens. */
export interface EndpointProcess {
  readonly host: string;
  readonly port: number;
  readonly httpPath: string;
  readonly certFile: string;
  close(): Promise<void>;
}

type Ready = Omit<EndpointProcess, 'close'>;

/** Forks this module as an endpoint process (same loader flags as the parent) and waits until it listens. */
export async function startEndpointProcess(token: string, resultFormat: 'arrow' | 'column'): Promise<EndpointProcess> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', resultFormat], {
    execArgv: process.execArgv,
    env: { ...process.env, BENCH_ENDPOINT_TOKEN: token },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Ready));
    child.once('exit', (code) => reject(new Error(`the endpoint process exited (${code}) before listening`)));
  });
  return {
    ...ready,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}

async function serve(resultFormat: 'arrow' | 'column'): Promise<void> {
  const endpoint = await startLocalEndpoint({ token: process.env['BENCH_ENDPOINT_TOKEN'] ?? '', dataDir: ':memory:', resultFormat });
  process.send?.({ host: endpoint.host, port: endpoint.port, httpPath: endpoint.httpPath, certFile: endpoint.certFile } satisfies Ready);
  process.on('message', (message) => {
    if (message === 'close') void endpoint.close().then(() => process.exit(0));
  });
}

if (process.argv[2] === '--serve') await serve(process.argv[3] === 'column' ? 'column' : 'arrow');
