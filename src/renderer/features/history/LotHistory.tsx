// A lot's history: each operation that changed it, newest first, with its time, what changed
// (old → new) and the operation's name; an undone one is marked so.
import type { LotHistoryEntry } from '../../../shared/contract';
import { useContract } from '../../data/queries';
import { fmtDateTime } from '../../format';

function describe(e: LotHistoryEntry): string {
  if (e.change === 'created')
    return `Created with ${e.after?.quantityTotal ?? '?'}${e.after?.storageLocation ? ` at ${e.after.storageLocation}` : ''}`;
  if (e.change === 'deleted') return 'Deleted';
  if (!e.changes.length) return 'No visible change';
  return e.changes
    .map((c) => `${c.field}: ${c.old === null || c.old === '' ? '—' : c.old} → ${c.new === null || c.new === '' ? '—' : c.new}`)
    .join('; ');
}

export function LotHistory({ id, until, title = 'History' }: { id: number; until?: number; title?: string }) {
  const q = useContract('history.lot', { id, limit: 100, ...(until !== undefined ? { until } : {}) });
  return (
    <section className="lot-history" aria-label={title}>
      <h3>{title}</h3>
      {q.isPending && <p className="muted">Loading…</p>}
      {q.error && <p className="muted">{q.error.message}</p>}
      {q.data && q.data.length === 0 && <p className="muted">No changes recorded.</p>}
      {q.data && q.data.length > 0 && (
        <ol className="history-list">
          {q.data.map((e) => (
            <li key={e.op.id} className={e.op.state === 'undone' ? 'undone' : undefined}>
              <time dateTime={new Date(e.op.createdAt).toISOString()}>{fmtDateTime(e.op.createdAt)}</time>{' '}
              <span className="change">{describe(e)}</span>{' '}
              <span className="muted">
                — {e.op.label}
                {e.op.actorName ? ` (${e.op.actorName})` : ''}
                {e.op.state === 'undone' ? ' · undone' : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
