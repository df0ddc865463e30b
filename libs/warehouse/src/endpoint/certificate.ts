import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generate } from 'selfsigned';

/** The endpoint's TLS identity; `tempDir` is set when the files live in a directory made for them. */
export interface EndpointCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly certFile: string;
  readonly tempDir?: string;
}

/**
 * Loads `certFile` + `keyFile` when both exist; otherwise generates a self-signed certificate
 * (EC P-256, valid one year) for `127.0.0.1`, `localhost` and `host`, and writes it to `certFile`
 * (default: a new temp directory) so clients can trust it through the driver's `customCaCert`
 * or `NODE_EXTRA_CA_CERTS`. The key is written only when `keyFile` is given.
 *
 * The driver always speaks HTTPS (`https: true` is hard-coded) and ignores
 * `NODE_TLS_REJECT_UNAUTHORIZED`, so the endpoint cannot offer plain HTTP.
 */
export async function endpointCertificate(options: { certFile?: string; keyFile?: string; host: string }): Promise<EndpointCertificate> {
  const { certFile, keyFile } = options;
  if (certFile && keyFile && existsSync(certFile) && existsSync(keyFile)) {
    return { certPem: await readFile(certFile, 'utf8'), keyPem: await readFile(keyFile, 'utf8'), certFile };
  }
  const names = new Set(['localhost', '127.0.0.1', options.host]);
  const altNames = [...names].filter((n) => n !== '0.0.0.0' && n !== '::').map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n }));
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  const tempDir = certFile ? undefined : await mkdtemp(join(tmpdir(), 'databricks-endpoint-'));
  const file = certFile ?? join(tempDir as string, 'endpoint-cert.pem');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, pems.cert);
  if (keyFile) {
    await mkdir(dirname(keyFile), { recursive: true });
    await writeFile(keyFile, pems.private, { mode: 0o600 });
  }
  return { certPem: pems.cert, keyPem: pems.private, certFile: file, ...(tempDir ? { tempDir } : {}) };
}
