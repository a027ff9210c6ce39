import { Dialog } from '../../components/Dialog';
import { useContract } from '../../data/queries';
import { fmtNumber } from '../../format';

export function AboutDialog({ onClose }: { onClose: () => void }) {
  const { data: info } = useContract('app.info', {});
  return (
    <Dialog
      title="About BlockShelf"
      onClose={onClose}
      footer={
        <button type="button" className="btn primary" onClick={onClose}>
          Close
        </button>
      }
    >
      {info ? (
        <dl className="stack" style={{ margin: 0 }}>
          <div>
            <dt className="muted">Version</dt>
            <dd style={{ margin: 0 }}>
              {info.appVersion} (database schema {info.schemaVersion})
            </dd>
          </div>
          <div>
            <dt className="muted">Database</dt>
            <dd className="path" style={{ margin: 0 }}>
              {info.dbPath}
            </dd>
          </div>
          <div>
            <dt className="muted">Backups</dt>
            <dd className="path" style={{ margin: 0 }}>
              {info.backupDir}
            </dd>
          </div>
          <div>
            <dt className="muted">Contents</dt>
            <dd style={{ margin: 0 }}>
              {fmtNumber(info.counts.lots)} lots, {fmtNumber(info.counts.quantityTotal)} parts, {fmtNumber(info.counts.locations)}{' '}
              locations, {fmtNumber(info.counts.profiles)} profiles
            </dd>
          </div>
        </dl>
      ) : (
        <p className="muted">Loading…</p>
      )}
      <p className="muted" style={{ marginBottom: 0 }}>
        LEGO® is a trademark of the LEGO Group, which does not sponsor or endorse this app.
      </p>
    </Dialog>
  );
}
