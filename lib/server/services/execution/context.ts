// What a cluster's runtime holds when EXECUTE=on: the driver that runs steps and this console's
// name among several (the instance that owns an execution renews its lease).
import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ExecutionDriver } from './driver';

export interface ExecutionContext {
  driver: ExecutionDriver;
  /** This console process, as executions record it: "<host>:<pid>:<random>". */
  instance: string;
}

export function executionContext(driver: ExecutionDriver): ExecutionContext {
  return { driver, instance: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}` };
}
