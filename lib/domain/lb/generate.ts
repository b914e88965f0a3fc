// One entry point: validate the options and the replicas, then write the config of the kind asked for.
import { parseLbOptions, type LbOptionsInput } from './options';
import type { LbReplicaInput } from './replicas';
import { writeLbConfig, type LbConfigFile } from './write';

export type { LbConfigFile } from './write';

/** Throws LbConfigError, naming the input, when an option or a replica is not acceptable. */
export function generateLbConfig(
  replicas: readonly LbReplicaInput[],
  input: LbOptionsInput,
): LbConfigFile {
  return writeLbConfig(replicas, parseLbOptions(input));
}
