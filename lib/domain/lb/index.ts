// Load-balancer configs (HAProxy, NGINX, AWS Classic ELB) for the DTR replicas that exist.
export { LbConfigError } from './errors';
export { failoverSeconds, type FailoverEstimate, type FailoverOptions } from './failover';
export { lbReplicasFromStatus } from './from-status';
export { generateLbConfig, type LbConfigFile } from './generate';
export {
  LB_CONFIG_PATH,
  LB_KINDS,
  LB_OPTION_DEFAULTS,
  LB_OPTIONS_USED,
  LbOptionsSchema,
  parseLbOptions,
  permalinkOf,
  type LbKind,
  type LbOptions,
  type LbOptionsInput,
} from './options';
export { validateReplicas, type LbReplica, type LbReplicaInput } from './replicas';
export { cacheLbConfig, cacheLbDockerRun, CACHE_LB_KINDS, type CacheLbKind } from './cache';
