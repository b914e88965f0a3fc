// Where a Docker Engine API is dialled and with which TLS settings, from an EngineTarget: shared by
// the inventory adapter (docker.ts) and the execution adapter (engine-exec.ts).
import 'server-only';
import type { EngineTarget } from '@/lib/config';
import type { TlsSettings } from './http';

// The daemon's host name in request URLs over a unix socket, as the Docker CLI sends it.
export const SOCKET_ORIGIN = 'http://docker';

export interface EngineEndpoint {
  /** `http://docker` over a unix socket, else DOCKER_HOST's `https://host:port` origin. */
  origin: string;
  /** The daemon's unix socket; undefined over TCP. */
  socketPath: string | undefined;
  /** The client bundle's CA, certificate and key; undefined over a unix socket. Always verified. */
  tls: TlsSettings | undefined;
}

export function engineEndpoint(engine: EngineTarget): EngineEndpoint {
  if (engine.kind === 'unix') {
    return { origin: SOCKET_ORIGIN, socketPath: engine.socketPath, tls: undefined };
  }
  return {
    origin: new URL(engine.url).origin,
    socketPath: undefined,
    tls: { ca: engine.ca, cert: engine.cert, key: engine.key, insecureTls: false },
  };
}
