import type { IncomingMessage, Server } from 'node:http';

export function appendPeerAddress(req: IncomingMessage): void;
export function installPeerAddress(proto?: Server): void;
