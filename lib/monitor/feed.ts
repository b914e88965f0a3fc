// What the rest of the server reads cluster state from: the Monitor itself (one console), or a
// SharedMonitor (several consoles on one Postgres, one of them polling).
import type { ClusterSnapshot } from '@/lib/domain/types';
import type { SnapshotListener } from './monitor';

export type { SnapshotListener };

export interface SnapshotFeed {
  start(): void;
  stop(): void;
  /** A fresh snapshot: polls now (or joins the poll under way), or reads the poller's latest. */
  pollNow(): Promise<ClusterSnapshot>;
  latest(): ClusterSnapshot | null;
  /** Calls `listener` with each snapshot whose content changed (timestamps and latencies aside). */
  subscribe(listener: SnapshotListener): () => void;
}

/** This instance's part when several consoles share one database. */
export interface InstanceRole {
  /** `single`: the only console (SQLite); `poller`/`standby`: one of several (Postgres). */
  role: 'single' | 'poller' | 'standby';
  /** This instance's name (host:pid). */
  instance: string;
  /** The instance whose snapshot is being served, when known. */
  poller: string | null;
  /** When this instance last took or lost the poller role (ISO), null if never. */
  since: string | null;
}
