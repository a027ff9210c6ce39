// An import's progress, shown outside its dialog too: the apply runs in the background and the
// table stays usable meanwhile (reads answer from the last commit until the import commits).
import { useEffect, useState } from 'react';
import { onEvent } from '../../api';
import { fmtNumber } from '../../format';

const ENDED = new Set(['done', 'failed', 'cancelled', 'previewed']);

export function ImportStatus() {
  const [job, setJob] = useState<{ phase: string; done: number; total: number | null } | null>(null);
  useEffect(
    () =>
      onEvent('import.progress', (p) => {
        if (p.phase === 'reading' || p.phase === 'start') return;
        setJob(ENDED.has(p.phase) ? null : p);
      }),
    [],
  );
  if (!job) return null;
  return (
    <div
      className="muted"
      role="status"
      aria-label="Import in progress"
      data-testid="import-status"
      style={{ padding: '2px 12px' }}
    >
      Importing: {job.phase}
      {job.total ? ` ${fmtNumber(job.done)} of ${fmtNumber(job.total)}` : ''} — the table shows the inventory as it was until the
      import is applied.
    </div>
  );
}
