// "What happened to my 3001 red?": the lots deleted by a change still in the history, found by
// part, name, colour or location words, each with its own history.
import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useContract } from '../../data/queries';
import { fmtDateTime, fmtNumber } from '../../format';
import { useSession } from '../../stores/session';
import { LotHistory } from './LotHistory';

export function DeletedLotsDialog({ onClose }: { onClose: () => void }) {
  const ownerId = useSession((s) => s.ownerId);
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const q = useContract('history.deleted', { ...(ownerId !== undefined ? { ownerId } : {}), search, limit: 100 }, { keep: true });
  return (
    <Dialog title="Deleted lots" onClose={onClose}>
      <label className="field">
        <span>Find a deleted lot</span>
        <input
          type="search"
          value={search}
          placeholder="part, colour, location…"
          onChange={(e) => setSearch(e.target.value)}
          aria-label="Find a deleted lot"
        />
      </label>
      <p className="muted">Undo (Ctrl+Z) puts back your last deletion while nothing changed the lot since.</p>
      {q.data && q.data.length === 0 && <p className="muted">No deleted lots found in the history.</p>}
      <ul className="deleted-lots">
        {q.data?.map((d) => (
          <li key={`${d.op.id}-${d.lot.id}`}>
            <button
              type="button"
              className="btn link"
              aria-expanded={open === `${d.op.id}-${d.lot.id}`}
              onClick={() => setOpen(open === `${d.op.id}-${d.lot.id}` ? null : `${d.op.id}-${d.lot.id}`)}
            >
              {d.lot.partId} {d.lot.colorName}: {fmtNumber(d.lot.quantityTotal)}
              {d.lot.storageLocation ? ` at ${d.lot.storageLocation}` : ''}
            </button>{' '}
            <span className="muted">
              deleted {fmtDateTime(d.op.createdAt)}
              {d.op.actorName ? ` by ${d.op.actorName}` : ''}
            </span>
            {open === `${d.op.id}-${d.lot.id}` && (
              <LotHistory id={d.lot.id} until={d.op.id} title={`History of lot ${d.lot.id}`} />
            )}
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
