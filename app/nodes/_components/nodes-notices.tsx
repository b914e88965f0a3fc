import { panelTone } from '@/components/ui/tone';

const button = 'font-semibold underline underline-offset-2 hover:no-underline';

/** Why the table may not show what the link promised: ignored parameters, a missing node. */
export function NodesNotices({
  notices,
  onDropInvalid,
  missingNode,
  hiddenNode,
  onShowAll,
}: {
  notices: string[];
  onDropInvalid: () => void;
  missingNode: string | null;
  hiddenNode: string | null;
  onShowAll: () => void;
}) {
  if (notices.length === 0 && !missingNode && !hiddenNode) return null;
  return (
    <div
      data-testid="nodes-notices"
      role="status"
      className={`flex flex-col gap-1 rounded-md border-l-4 p-3 text-sm ${panelTone.warn}`}
    >
      {notices.length > 0 && (
        <>
          <ul className="list-inside list-disc">
            {notices.map((notice) => (
              <li key={notice}>{notice}</li>
            ))}
          </ul>
          <p>
            <button type="button" onClick={onDropInvalid} className={button}>
              Remove them from the address
            </button>
          </p>
        </>
      )}
      {missingNode && (
        <p>
          No node named <code className="font-mono">{missingNode}</code> is in the inventory: it may
          have left the cluster.
        </p>
      )}
      {hiddenNode && (
        <p>
          <code className="font-mono">{hiddenNode}</code> is hidden by the filters.{' '}
          <button type="button" onClick={onShowAll} className={button}>
            Show all nodes
          </button>
        </p>
      )}
    </div>
  );
}
