import Link from '@/components/ui/cluster-link';
import { needsAttention } from '@/lib/domain/status-document';
import type { ClusterStatus } from '@/lib/domain/types';

const count = new Intl.NumberFormat('en-US');
const link = 'font-semibold underline underline-offset-2 hover:no-underline';

/**
 * The inventory in a few lines: how many nodes, and every listed node that is not ready and
 * active, each linked to its row on the Nodes page. The served status lists all of those (up to
 * its cap, and says how many more there are).
 */
export function NodeSummary({ status }: { status: ClusterStatus }) {
  const counts = status.ucp.nodeCounts;
  const total = counts?.total ?? status.ucp.nodes.length;
  const attention = status.ucp.nodes.filter(needsAttention);
  const more = status.ucp.nodeList?.attentionOmitted ?? 0;
  const readyActive = counts?.readyActive ?? status.ucp.nodes.length - attention.length;
  return (
    <div data-testid="node-summary" className="flex flex-col gap-2 text-sm">
      <p>
        <span className="font-semibold">{count.format(total)} nodes</span>
        {counts && (
          <>
            : {count.format(counts.role.manager)} managers, {count.format(counts.role.worker)}{' '}
            workers ({count.format(counts.applicationWorkers)} for applications only)
          </>
        )}
        . {count.format(readyActive)} ready and active.
      </p>
      {attention.length === 0 ? (
        <p data-testid="node-summary-none">Every node is ready and active.</p>
      ) : (
        <ul data-testid="node-summary-attention" className="flex flex-col gap-1">
          {attention.map((node) => (
            <li key={node.id} data-testid={`node-attention-${node.hostname}`}>
              <Link href={`/nodes?node=${encodeURIComponent(node.hostname)}`} className={link}>
                {node.hostname}
              </Link>{' '}
              is {node.state}
              {node.availability !== 'active' ? `, ${node.availability}` : ''}
              {node.hosts.length > 0 ? ` (hosts ${node.hosts.join(', ')})` : ''}
            </li>
          ))}
        </ul>
      )}
      {more > 0 && (
        <p data-testid="node-summary-more">
          {count.format(more)} more nodes are not ready or not active.{' '}
          <Link href="/nodes?sort=state&dir=desc" className={link}>
            See them on the Nodes page
          </Link>
          .
        </p>
      )}
      <p>
        <Link href="/nodes" className={link}>
          Every node and what losing it would do
        </Link>
      </p>
    </div>
  );
}
