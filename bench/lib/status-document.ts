// The parts of GET /api/status (DESIGN.md §5) the benchmark reads; the SSE `snapshot` data is the same document.

export interface StatusDocument {
  generatedAt: string;
  dtr: {
    replicas: { id: string; status: string; since: string }[];
    quorum: { status: string };
  };
  ucp: { nodes: unknown[] };
}

export function replicaStatus(doc: StatusDocument, replicaId: string): string | null {
  return doc.dtr.replicas.find((r) => r.id === replicaId)?.status ?? null;
}

export function allHealthy(doc: StatusDocument): boolean {
  return doc.dtr.replicas.length > 0 && doc.dtr.replicas.every((r) => r.status === 'healthy');
}
