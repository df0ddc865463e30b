import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the signature: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const N8N_SIGNATURE_HEADER = 'x-n8n-signature';

/** `sha256=<hex>` of `body` under `secret`. */
export function signN8nPayload(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of a `sha256=<hex>` signature (a bare hex digest is accepted too). */
export function verifyN8nSignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const given = header.trim().replace(/^sha256=/i, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}
