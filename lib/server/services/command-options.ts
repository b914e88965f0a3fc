// What every printed command takes from the console's configuration, for the warnings and the
// wizards alike: the pinned version and image (DTR_VERSION, DTR_IMAGE), and how the command
// trusts UCP's CA — checked against the fingerprint of the CA the console itself verified.
import 'server-only';
import { X509Certificate } from 'node:crypto';
import { parseImageOverride, type ImageOverride } from '@/lib/domain/image';
import type { ClusterTarget, Config } from '@/lib/config';

export interface CommandOptions {
  /** DTR_VERSION; undefined: each command uses the version of the replica it runs against. */
  dtrVersion?: string | null;
  imageOverride: ImageOverride | null;
  /** SHA-256 of the UCP CA in UCP_CA_FILE (AA:BB:…): the printed CA download is checked against it. */
  ucpCaFingerprint: string | null;
  /** The download needs no -k: UCP is plain HTTP, or its certificate chains to a system CA. */
  ucpCaDownloadVerified: boolean;
}

/** The first certificate's SHA-256 fingerprint, or null when the PEM cannot be read. */
export function fingerprintOf(pem: string): string | null {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return null;
  }
}

/** Worked out once at boot: the runtime keeps it as `runtime.commands`. */
export function commandOptionsFor(config: Config, target: ClusterTarget): CommandOptions {
  const ucp = target.ucp;
  const pinned = target.dtrVersion;
  return {
    ...(pinned !== null && { dtrVersion: pinned }),
    imageOverride:
      config.mode === 'live' && config.dtrImage ? parseImageOverride(config.dtrImage) : null,
    ucpCaFingerprint: ucp?.ca ? fingerprintOf(ucp.ca) : null,
    ucpCaDownloadVerified:
      ucp !== null && (ucp.url.startsWith('http://') || (ucp.ca === undefined && !ucp.insecureTls)),
  };
}
