// An import's progress, shown outside its dialog too: the apply runs in the background and the
// table stays usable meanwhile (reads answer from the last commit until the import commits). The
// import dialog may be closed meanwhile; this line keeps its Cancel.
import { useEffect, useState } from 'react';
import { call, onEvent } from '../../api';
import { fmtNumber } from '../../format';

const ENDED = new Set(['done', 'failed', 'cancelled', 'previewed']);

export function ImportStatus() {
  const [job, setJob] = useState<{ id: string; phase: string; done: number; total: number | null } | null>(null);
  const [stopping, setStopping] = useState(false);
  useEffect(
    () =>
      onEvent('import.progress', (p) => {
        if (p.phase === 'reading' || p.phase === 'start') return;
        setJob(ENDED.has(p.phase) ? null : p);
        if (ENDED.has(p.phase)) setStopping(false);
      }),
    [],
  );
  if (!job) return null;
  return (
    <div
      className="muted row"
      role="status"
      aria-label="Import in progress"
      data-testid="import-status"
      style={{ padding: '2px 12px', alignItems: 'center' }}
    >
      <span style={{ flex: 1 }}>
        Importing: {job.phase}
        {job.total ? ` ${fmtNumber(job.done)} of ${fmtNumber(job.total)}` : ''} — the table shows the inventory as it was until
        the import is applied.
      </span>
      <button
        type="button"
        className="btn"
        disabled={stopping}
        onClick={() => {
          setStopping(true);
          void call('import.cancel', { jobId: job.id });
        }}
      >
        {stopping ? 'Stopping…' : 'Cancel import'}
      </button>
    </div>
  );
}
