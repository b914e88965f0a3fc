// Channel secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from SESSION_SECRET, so
// a copy of the database alone does not reveal a webhook URL or signing secret. What is sealed is
// the channel's target URL (Slack and Teams URLs are themselves the credential) and its signing
// secret. Nothing here logs; callers never return the opened values to a browser.
import 'server-only';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface ChannelSecrets {
  /** The full target URL, as the operator gave it. */
  url: string;
  /** The HMAC signing secret of a generic webhook; null for none. */
  secret: string | null;
}

const VERSION = 'v1';

function keyFor(sessionSecret: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', sessionSecret, 'dtr-ha-console/alerts', 'A256GCM channel secrets v1', 32),
  );
}

/** "v1.<iv>.<tag>.<ciphertext>", base64url parts. */
export function sealSecrets(value: ChannelSecrets, sessionSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(sessionSecret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export class SecretUnreadableError extends Error {}

/** Opens what sealSecrets sealed; throws SecretUnreadableError (no detail) when it cannot. */
export function openSecrets(sealed: string, sessionSecret: string): ChannelSecrets {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined)
    throw new SecretUnreadableError(
      'the stored channel secret is not in a format this console reads',
    );
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyFor(sessionSecret),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const json = Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
    const value = JSON.parse(json) as ChannelSecrets;
    return { url: String(value.url), secret: value.secret === null ? null : String(value.secret) };
  } catch {
    throw new SecretUnreadableError(
      'the stored channel secret cannot be decrypted: SESSION_SECRET changed since it was saved; enter the channel URL and secret again',
    );
  }
}

/** The last 4 characters, for recognising a secret without showing it. */
export function secretHint(secret: string | null): string | null {
  if (!secret) return null;
  return secret.length <= 8 ? '…' : `…${secret.slice(-4)}`;
}
