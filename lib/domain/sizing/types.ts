// The sizing plan: every output with the one line that explains it.
import type { Severity } from '../types';
import type { DowntimePoint } from './availability';
import type { SizingInput, TierTarget } from './input';
import type { ZoneSpread } from './zones';

export interface TierAvailability {
  unavailability: number;
  downtimeMinutes: number;
}

export interface TierPlan {
  tier: 'dtr' | 'ucp';
  /** "DTR replicas", "UCP managers" */
  title: string;
  target: TierTarget;
  members: number;
  majority: number;
  failuresTolerated: number;
  why: string;
  zones: ZoneSpread & { why: string };
  availability: TierAvailability & { why: string };
}

export interface CachePlan {
  regions: number;
  perRegion: number;
  nodes: number;
  why: string;
}

export type TotalPart = 'ucp' | 'dtr' | 'caches' | 'workers';

export interface TotalPlan {
  nodes: number;
  breakdown: { part: TotalPart; label: string; nodes: number }[];
  /** The part with most nodes and the input that sets it. */
  driver: { part: TotalPart; input: string; nodes: number };
  why: string;
  driverWhy: string;
  /** What one step of each input adds: "+1 DTR failure tolerated: +2 nodes". */
  sensitivity: string[];
}

export interface ZoneRow {
  zone: string;
  managers: number;
  replicas: number;
  workers: number;
  nodes: number;
}

export interface ZoneLayout {
  zones: number;
  rows: ZoneRow[];
  survivesZoneLoss: boolean;
  why: string;
}

export interface AvailabilityPlan {
  perNodePercent: number;
  /** Registry service: DTR and UCP both up (DTR signs users in through UCP). */
  registry: TierAvailability & { why: string };
  caches: (TierAvailability & { why: string }) | null;
  /** Downtime per year for 1..max(7, planned sizes) members: the chart. */
  series: DowntimePoint[];
  why: string;
}

export interface NodeResources {
  memoryGb: number;
  vcpus: number;
  diskGb: number;
}

export type ResourceVerdict = 'below-minimum' | 'below-recommended' | 'ok';

export interface HardwareCheck {
  resource: keyof NodeResources;
  label: string;
  planned: number;
  minimum: number;
  recommended: number;
  verdict: ResourceVerdict;
}

export interface HardwarePlan {
  /** Nodes that run a DTR replica. */
  nodes: number;
  minimum: { perNode: NodeResources; total: NodeResources };
  recommended: {
    perNode: NodeResources & { diskGbMax: number };
    total: NodeResources & { diskGbMax: number };
  };
  /** The planner's own node size checked against both, when given. */
  checks: HardwareCheck[];
  why: string;
}

export interface StoragePlan {
  dtr: { requirement: string; backends: string[]; why: string };
  caches: { requirement: string; nfsExport: string | null; why: string } | null;
}

export type SizingWarningCode =
  | 'DTR_SINGLE_REPLICA'
  | 'DTR_TWO_REPLICAS'
  | 'DTR_EVEN_REPLICAS'
  | 'DTR_TOO_MANY_REPLICAS'
  | 'UCP_SINGLE_MANAGER'
  | 'UCP_TWO_MANAGERS'
  | 'UCP_EVEN_MANAGERS'
  | 'UCP_TOO_MANY_MANAGERS'
  | 'DTR_ON_MANAGERS'
  | 'SINGLE_ZONE'
  | 'ZONE_LOSS_LOSES_QUORUM'
  | 'CACHES_WITHOUT_SHARED_STORAGE'
  | 'CACHE_SINGLE_NODE'
  | 'NODE_BELOW_MINIMUM'
  | 'NODE_BELOW_RECOMMENDED';

export interface SizingWarning {
  code: SizingWarningCode;
  severity: Severity;
  title: string;
  /** The consequence, in plain words. */
  detail: string;
  /** What to change in the plan. */
  fix: string;
}

export interface SizingPlan {
  input: SizingInput;
  dtr: TierPlan;
  ucp: TierPlan;
  caches: CachePlan;
  workers: { nodes: number; why: string };
  total: TotalPlan;
  zones: ZoneLayout;
  availability: AvailabilityPlan;
  hardware: HardwarePlan;
  storage: StoragePlan;
  /** Most severe first. */
  warnings: SizingWarning[];
}
