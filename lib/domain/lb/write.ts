// Writes the config of the kind asked for from options already checked (LbOptions): the pages
// call this as settings change, without the schema; generate.ts checks raw options first.
import { elbConfig } from './elb';
import { failoverSeconds, type FailoverEstimate } from './failover';
import { haproxyConfig } from './haproxy';
import { nginxConfig } from './nginx';
import type { LbKind } from './option-values';
import type { LbOptions } from './options';
import { excludedReplicas, validateReplicas, type LbReplicaInput } from './replicas';
import { lbRunInstructions, lbTargetVersions, type LbRunInstructions } from './run';

export interface LbConfigFile {
  kind: LbKind;
  /** The config itself: HAProxy or NGINX text, or the ELB CloudFormation template as JSON. */
  text: string;
  contentType: string;
  /** Suggested file name, e.g. "dtr-haproxy.cfg". */
  filename: string;
  failover: FailoverEstimate;
  /** How to start it: the `docker run` line of the official image (or the host/AWS command). */
  run: LbRunInstructions;
  /** Which versions of the load balancer the file is written for, in one sentence. */
  versions: string;
}

const FILES = {
  haproxy: {
    filename: 'dtr-haproxy.cfg',
    contentType: 'text/plain; charset=utf-8',
    write: haproxyConfig,
  },
  nginx: {
    filename: 'dtr-nginx.conf',
    contentType: 'text/plain; charset=utf-8',
    write: nginxConfig,
  },
  elb: {
    filename: 'dtr-elb.json',
    contentType: 'application/json; charset=utf-8',
    write: elbConfig,
  },
} as const;

/** Throws LbConfigError, naming the input, when a replica is not acceptable. */
export function writeLbConfig(
  replicas: readonly LbReplicaInput[],
  options: LbOptions,
): LbConfigFile {
  const valid = validateReplicas(replicas);
  const file = FILES[options.kind];
  return {
    kind: options.kind,
    text: file.write(valid, options, excludedReplicas(replicas)),
    contentType: file.contentType,
    filename: file.filename,
    failover: failoverSeconds(options),
    run: lbRunInstructions(options, file.filename),
    versions: lbTargetVersions(options),
  };
}
