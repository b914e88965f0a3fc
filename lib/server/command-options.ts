// What every printed command takes from the console's configuration, for the warnings and the
// wizards alike: the pinned version and image (DTR_VERSION, DTR_IMAGE), and how the command
// trusts UCP's CA — checked against the fingerprint of the CA the console itself verified.
import 'server-only';
import { X509Certificate } from 'node:crypto';
import { parseImageOverride, type ImageOverride } from '@/lib/domain/image';
import type { Runtime } from './runtime';

export interface CommandOptions {
  /** DTR_VERSION; undefined: each command uses the version of the replica it runs against. */
  dtrVersion?: string | null;
  imageOverride: ImageOverride | null;
  /** SHA-256 of the UCP CA in UCP_CA_FILE (AA:BB:…): the printed CA download is checked against it. */
  ucpCaFingerprint: string | null;
  /** The download needs no -k: UCP is plain HTTP, or its certificate chains to a system CA. */
  ucpCaDownloadVerified: boolean;
}

/** What the options are read from: the runtime, or the parts of it alerting is given at boot. */
export type CommandOptionsSource = Pick<Runtime, 'config' | 'target'>;

const cache = new WeakMap<CommandOptionsSource, CommandOptions>();

/** The first certificate's SHA-256 fingerprint, or null when the PEM cannot be read. */
export function fingerprintOf(pem: string): string | null {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return null;
  }
}

export function commandOptions(runtime: CommandOptionsSource): CommandOptions {
  const cached = cache.get(runtime);
  if (cached) return cached;
  const ucp = runtime.target.ucp;
  const config = runtime.config;
  const pinned = runtime.target.dtrVersion;
  const options: CommandOptions = {
    ...(pinned !== null && { dtrVersion: pinned }),
    imageOverride:
      config.mode === 'live' && config.dtrImage ? parseImageOverride(config.dtrImage) : null,
    ucpCaFingerprint: ucp?.ca ? fingerprintOf(ucp.ca) : null,
    ucpCaDownloadVerified:
      ucp !== null && (ucp.url.startsWith('http://') || (ucp.ca === undefined && !ucp.insecureTls)),
  };
  cache.set(runtime, options);
  return options;
}
