// Backups & Restore: the list of verified backups, Backup Now with progress, Restore (after a
// confirmation that says the current data is backed up first), Restore from File, a portable
// archive (.zip) for another computer, the folder and the automatic schedule. Opened from the File menu and from the app's Backups button.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackupEntry, PickedFile, VerifyReport } from '../../../shared/contract';
import { call, onEvent } from '../../api';
import { Dialog } from '../../components/Dialog';
import { invalidateChannel, invalidateFor, useContract } from '../../data/queries';
import { fmtBytes, fmtDateTime, fmtNumber, plural } from '../../format';
import type { BackupIntent } from '../../stores/ui';

const NOT_VERIFIED: Partial<Record<BackupEntry['check'], string>> = {
  'no-manifest': 'not verified (no manifest)',
  'size-differs': 'damaged (size differs)',
  'checksum-differs': 'damaged (checksum differs)',
};

const REASONS: Record<string, string> = {
  manual: 'Made by you',
  startup: 'At start',
  timer: 'Automatic',
  'pre-restore': 'Before a restore',
  'pre-migration': 'Before an update',
  'before-import': 'Before an import',
};

const PHASES: Record<string, string> = {
  copy: 'Copying the database…',
  check: 'Checking the copy…',
  compress: 'Compressing…',
  finish: 'Saving…',
  verify: 'Checking the backup…',
  'pre-restore': 'Backing up the current data first…',
  swap: 'Putting the backup in place…',
  archive: 'Writing the archive…',
};

type Confirm = { kind: 'backup'; entry: BackupEntry } | { kind: 'file'; file: PickedFile; report: VerifyReport };

const BACKUP_START = { phase: 'copy', percent: 0 };

type Message = { kind: 'ok' | 'error'; text: string } | null;

export function BackupsDialog({ intent, onClose }: { intent: BackupIntent; onClose: () => void }) {
  // Opened to back up now or to restore from a file, the dialog starts with that step running.
  const [progress, setProgress] = useState<{ phase: string; percent: number } | null>(intent === 'now' ? BACKUP_START : null);
  const [busy, setBusy] = useState<null | 'backup' | 'restore' | 'pick' | 'archive'>(
    intent === 'now' ? 'backup' : intent === 'fromFile' ? 'pick' : null,
  );
  const [message, setMessage] = useState<Message>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const started = useRef(false);

  // Kept fresh by backups.changed (see data/queries.ts).
  const statusQuery = useContract('backup.status', {});
  const listQuery = useContract('backup.list', {});
  const status = statusQuery.data ?? null;
  const list = listQuery.data ?? null;
  const loadError = (statusQuery.error ?? listQuery.error)?.message ?? null;
  const reload = useCallback(() => {
    invalidateChannel('backup.status');
    invalidateChannel('backup.list');
  }, []);

  useEffect(
    () =>
      onEvent('backup.progress', (p) => {
        if (p.phase === 'done' || p.phase === 'failed' || p.phase === 'cancelled') setProgress(null);
        else setProgress({ phase: p.phase, percent: p.percent });
      }),
    [],
  );

  // The steps below run once the dialog shows them as running (see backupNow and pickFile).
  const runBackup = useCallback(
    () =>
      call('backup.create', { reason: 'manual' }).then((r) => {
        setBusy(null);
        setProgress(null);
        if (r.ok) {
          setMessage({
            kind: 'ok',
            text: `Backup made ${fmtDateTime(r.data.createdAt)}: ${plural(r.data.lots, 'lot')}, ${fmtBytes(r.data.sizeBytes)}, verified.`,
          });
        } else if (r.error.code === 'cancelled') {
          setMessage({ kind: 'error', text: 'The backup was cancelled; nothing was written.' });
        } else {
          setMessage({ kind: 'error', text: `The backup failed: ${r.error.message}` });
        }
        reload();
      }),
    [reload],
  );

  const runPick = useCallback(
    () =>
      call('backup.pickFile', { purpose: 'restore' })
        .then(async (picked) => {
          if (!picked.ok) return setMessage({ kind: 'error', text: picked.error.message });
          if (!picked.data) return;
          const report = await call('backup.verify', { fileToken: picked.data.token });
          if (!report.ok) {
            return setMessage({ kind: 'error', text: `${picked.data.name} cannot be restored: ${report.error.message}` });
          }
          setConfirm({ kind: 'file', file: picked.data, report: report.data });
        })
        .finally(() => setBusy(null)),
    [],
  );

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (intent === 'now') void runBackup();
    if (intent === 'fromFile') void runPick();
  }, [intent, runBackup, runPick]);

  function backupNow() {
    setBusy('backup');
    setMessage(null);
    setProgress(BACKUP_START);
    void runBackup();
  }

  function pickFile() {
    setMessage(null);
    setBusy('pick');
    void runPick();
  }

  // The save dialog picks where the zip goes (main keeps the path); the archive is a job of the
  // backup engine with progress, like a backup.
  async function saveArchive() {
    setMessage(null);
    setBusy('pick');
    const picked = await call('backup.pickFile', { purpose: 'archive' });
    if (!picked.ok || !picked.data) {
      setBusy(null);
      if (!picked.ok) setMessage({ kind: 'error', text: picked.error.message });
      return;
    }
    setBusy('archive');
    setProgress({ phase: 'archive', percent: 0 });
    const r = await call('backup.archive', { fileToken: picked.data.token });
    setBusy(null);
    setProgress(null);
    if (r.ok) {
      setMessage({
        kind: 'ok',
        text: `Saved the portable archive ${r.data.name}: ${plural(r.data.lots, 'lot')}, ${fmtBytes(r.data.bytes)}. Restore the blockshelf.db inside it on the other computer.`,
      });
    } else if (r.error.code === 'cancelled') {
      setMessage({ kind: 'error', text: 'The archive was cancelled; nothing was written.' });
    } else {
      setMessage({ kind: 'error', text: `The archive could not be written: ${r.error.message}` });
    }
  }

  async function restore(c: Confirm) {
    setConfirm(null);
    setBusy('restore');
    setMessage(null);
    setProgress({ phase: 'verify', percent: 0 });
    const r = await call('backup.restore', c.kind === 'backup' ? { backupId: c.entry.id } : { fileToken: c.file.token });
    setBusy(null);
    setProgress(null);
    if (r.ok) {
      setMessage({
        kind: 'ok',
        text: `Restored ${c.kind === 'backup' ? `the backup from ${fmtDateTime(c.entry.createdAt)}` : c.file.name}: ${plural(
          r.data.lots,
          'lot',
        )}. The data from before is kept as the backup from ${fmtDateTime(r.data.preRestoreBackup.createdAt)}.`,
      });
      invalidateFor({ kind: 'all' });
    } else {
      setMessage({ kind: 'error', text: `The restore failed and your data was left as it was: ${r.error.message}` });
    }
    reload();
  }

  const running = busy === 'backup' || busy === 'restore' || busy === 'archive';
  return (
    <Dialog title="Backups & Restore" wide onClose={onClose} busy={busy === 'restore'}>
      <div className="stack">
        {loadError && (
          <p className="notice error" role="alert" style={{ margin: 0 }}>
            {loadError}
          </p>
        )}
        <div className="row" style={{ alignItems: 'center', gap: 8 }}>
          <button type="button" className="btn primary" onClick={backupNow} disabled={!!busy}>
            Back up now
          </button>
          {(busy === 'backup' || busy === 'archive') && (
            <button type="button" className="btn" onClick={() => void call('backup.cancel', {})}>
              {busy === 'backup' ? 'Cancel backup' : 'Cancel archive'}
            </button>
          )}
          <button type="button" className="btn" onClick={pickFile} disabled={!!busy}>
            Restore from file…
          </button>
          <button type="button" className="btn" onClick={() => void saveArchive()} disabled={!!busy}>
            Save a portable archive…
          </button>
          <span className="spacer" style={{ flex: 1 }} />
          <button type="button" className="btn" onClick={() => void call('desktop.openFolder', { which: 'backups' })}>
            Open backups folder
          </button>
        </div>
        {running && progress && (
          <div className="stack" style={{ gap: 4 }}>
            <div
              className="progress"
              role="progressbar"
              aria-label={busy === 'restore' ? 'Restore progress' : busy === 'archive' ? 'Archive progress' : 'Backup progress'}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(progress.percent)}
            >
              <span style={{ width: `${Math.max(2, Math.min(100, progress.percent))}%` }} />
            </div>
            <span className="muted">{PHASES[progress.phase] ?? progress.phase}</span>
          </div>
        )}
        {message && (
          <p className={`notice ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} style={{ margin: 0 }}>
            {message.text}
          </p>
        )}
        {status?.lastError && (
          <p className="notice warn" style={{ margin: 0 }}>
            The last automatic backup ({fmtDateTime(status.lastError.at)}) failed: {status.lastError.message} It is retried later.
          </p>
        )}
        {list === null ? (
          !loadError && <p className="muted">Loading…</p>
        ) : list.length === 0 ? (
          <p className="muted">No backups yet.</p>
        ) : (
          <div style={{ maxHeight: 320, overflow: 'auto', border: '1px solid var(--border)', borderRadius: 6 }}>
            <table className="simple" aria-label="Backups">
              <thead>
                <tr>
                  <th>Date and time</th>
                  <th>Reason</th>
                  <th className="num">Size</th>
                  <th className="num">Lots</th>
                  <th>Checked</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((b) => (
                  <tr key={b.id}>
                    <td>{fmtDateTime(b.createdAt)}</td>
                    <td>{REASONS[b.reason] ?? b.reason}</td>
                    <td className="num">{fmtBytes(b.sizeBytes)}</td>
                    <td className="num">{fmtNumber(b.lots)}</td>
                    <td
                      title={
                        b.checkedAt
                          ? `Checksum compared with the manifest ${fmtDateTime(b.checkedAt)}`
                          : 'No manifest to compare with'
                      }
                    >
                      {b.verified ? '✓ verified' : <span className="avail-zero">{NOT_VERIFIED[b.check] ?? 'not verified'}</span>}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="btn"
                        disabled={!!busy}
                        aria-label={`Restore the backup from ${fmtDateTime(b.createdAt)}`}
                        onClick={() => setConfirm({ kind: 'backup', entry: b })}
                      >
                        Restore…
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {status && (
          <dl className="stack" style={{ margin: 0, gap: 6 }}>
            <div>
              <dt className="muted">Folder</dt>
              <dd className="path" style={{ margin: 0 }} data-testid="backup-folder">
                {status.folder}
                {status.folderIsDefault ? ' (default)' : ''}
                {!status.folderWritable && <strong className="avail-zero"> — cannot be written!</strong>}
              </dd>
            </div>
            <div>
              <dt className="muted">Schedule</dt>
              <dd style={{ margin: 0 }} data-testid="backup-schedule">
                {status.schedule.auto
                  ? `Automatic backups at start and every ${status.schedule.intervalHours} ${
                      status.schedule.intervalHours === 1 ? 'hour' : 'hours'
                    } when something changed${status.schedule.nextAt ? `; next check ${fmtDateTime(status.schedule.nextAt)}` : ''}.`
                  : 'Automatic backups are off (Settings).'}{' '}
                Keeps every backup of the last {status.policy.keepRecentHours} hours (at most {status.policy.keepRecentMax}),{' '}
                {status.policy.keepDaily} daily, {status.policy.keepWeekly} weekly and {status.policy.keepMonthly} monthly.
              </dd>
            </div>
            <div>
              <dt className="muted">In the folder</dt>
              <dd style={{ margin: 0 }}>
                {plural(status.count, 'backup')}, {fmtBytes(status.totalBytes)}
              </dd>
            </div>
          </dl>
        )}
      </div>
      {confirm && <ConfirmRestore confirm={confirm} onCancel={() => setConfirm(null)} onRestore={() => void restore(confirm)} />}
    </Dialog>
  );
}

function ConfirmRestore(props: { confirm: Confirm; onCancel: () => void; onRestore: () => void }) {
  const c = props.confirm;
  const what =
    c.kind === 'backup'
      ? `the backup from ${fmtDateTime(c.entry.createdAt)} (${plural(c.entry.lots, 'lot')})`
      : `${c.file.name} (${plural(c.report.lots, 'lot')}${
          c.report.manifest ? `, made ${fmtDateTime(c.report.manifest.createdAt)}` : ''
        })`;
  return (
    <Dialog
      title="Restore this backup?"
      role="alertdialog"
      onClose={props.onCancel}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onCancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="btn danger" onClick={props.onRestore}>
            Restore
          </button>
        </>
      }
    >
      <p style={{ marginTop: 0 }}>
        Your inventory, profiles and their preferences will be replaced by {what}. This computer’s backup folder, schedule and
        retention stay as they are.
      </p>
      <p style={{ marginBottom: 0 }}>
        First, BlockShelf backs up the current data, so you can go back to it from this list. Undo (Ctrl+Z) cannot reverse a
        restore, and changes made before it cannot be undone afterwards: that backup is the way back.
        {c.kind === 'file' && c.report.schemaVersion < c.report.appSchemaVersion
          ? ' The backup comes from an older version and is updated after restoring.'
          : ''}
      </p>
    </Dialog>
  );
}
