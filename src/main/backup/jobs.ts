// Jobs of the backup engine: one at a time (a backup, a restore or an archive), with progress
// events, cancellation and the busy answer, written once for all of them.
import { randomBytes } from 'node:crypto';
import type { BackupJob, BackupPhase, BackupReason } from '../../shared/contract/backup';
import { AppError } from '../../shared/errors';
import type { BackupHost } from './host';

export type RunningJob = BackupJob & { promise: Promise<unknown>; abort: AbortController };

export function throwIfCancelled(signal: AbortSignal | undefined, what = 'The backup'): void {
  if (signal?.aborted) throw new AppError('cancelled', `${what} was cancelled.`);
}

export function createJobs(host: Pick<BackupHost, 'now' | 'events'>) {
  let running: RunningJob | null = null;
  const lastSent = new WeakMap<BackupJob, string>();

  function report(job: BackupJob, phase: BackupPhase, percent: number): void {
    const p = Math.max(0, Math.min(100, Math.round(percent)));
    if (lastSent.get(job) === `${phase}:${p}`) return;
    lastSent.set(job, `${phase}:${p}`);
    job.phase = phase;
    job.percent = p;
    host.events.emit('backup.progress', { id: job.id, phase, percent: p });
  }

  function busy(): AppError {
    return new AppError('busy', `A ${running!.kind} is running; try again when it has finished.`);
  }

  /**
   * Runs `body` as the one job of the engine: it is `running` from this call until it settles,
   * and cancelled by `cancel()` or by the caller's own signal.
   */
  function run<T>(
    kind: BackupJob['kind'],
    reason: BackupReason | null,
    outer: AbortSignal | undefined,
    body: (job: BackupJob, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const abort = new AbortController();
    const job: BackupJob = { id: randomBytes(6).toString('hex'), kind, reason, phase: 'copy', percent: 0, startedAt: host.now() };
    const signal = outer ? AbortSignal.any([abort.signal, outer]) : abort.signal;
    let start!: () => void;
    const started = new Promise<void>((r) => (start = r));
    const promise = started
      .then(() => body(job, signal))
      .finally(() => {
        if (running?.id === job.id) running = null;
      });
    running = Object.assign(job, { promise, abort });
    start();
    return promise;
  }

  return {
    report,
    busy,
    run,
    get running(): RunningJob | null {
      return running;
    },
    /** Cancels a running backup or archive (a restore cannot be cancelled once it runs). */
    cancel(): boolean {
      if (!running || running.kind === 'restore') return false;
      running.abort.abort();
      return true;
    },
  };
}

export type Jobs = ReturnType<typeof createJobs>;
