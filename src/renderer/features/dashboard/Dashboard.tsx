// Totals, top colours and locations, low stock (threshold from settings) and recent lots.
import { useContract } from '../../data/queries';
import { Swatch } from '../../components/Swatch';
import { fmtDateTime, fmtNumber } from '../../format';
import { useSession } from '../../stores/session';
import { useUi } from '../../stores/ui';

export function Dashboard() {
  return (
    <>
      <h1 className="visually-hidden">Dashboard</h1>
      <DashboardBody />
    </>
  );
}

function DashboardBody() {
  const ownerId = useSession((s) => s.ownerId);
  const colorById = useSession((s) => s.colorById);
  const openBackups = useUi((s) => s.openBackups);
  // Refreshed on data changes and on a new low-stock threshold (see data/queries.ts).
  const { data: summary, error } = useContract(
    'inventory.summary',
    { ...(ownerId !== undefined ? { ownerId } : {}), top: 8 },
    { keep: true },
  );

  if (error)
    return (
      <p className="notice error" role="alert">
        {error.message}
      </p>
    );
  if (!summary) return <p className="muted">Loading…</p>;
  const maxColor = Math.max(1, ...summary.topColors.map((c) => c.quantity));
  const maxLoc = Math.max(1, ...summary.topLocations.map((l) => l.lots));

  return (
    <div>
      <section className="cards" aria-label="Totals">
        <Card label="Lots" value={summary.lots} />
        <Card label="Parts in total" value={summary.quantityTotal} />
        <Card label="In use" value={summary.quantityUsed} />
        <Card label="Available" value={summary.quantityAvailable} />
        <Card label="Locations" value={summary.locations} />
      </section>
      <div className="panels">
        <section className="panel" aria-labelledby="dash-colors">
          <h2 id="dash-colors">Top colours</h2>
          {summary.topColors.length === 0 ? (
            <p className="muted">No lots yet.</p>
          ) : (
            <ul className="bars">
              {summary.topColors.map((c) => (
                <li key={c.colorId}>
                  <span className="name">
                    <Swatch color={colorById.get(c.colorId)} />
                    {c.colorName}
                  </span>
                  <span className="bar" aria-hidden="true">
                    <span style={{ width: `${(100 * c.quantity) / maxColor}%` }} />
                  </span>
                  <span className="num">{fmtNumber(c.quantity)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel" aria-labelledby="dash-locs">
          <h2 id="dash-locs">Top locations</h2>
          {summary.topLocations.length === 0 ? (
            <p className="muted">No locations yet.</p>
          ) : (
            <ul className="bars">
              {summary.topLocations.map((l) => (
                <li key={l.storageLocation}>
                  <span className="name" title={l.storageLocation}>
                    {l.storageLocation}
                  </span>
                  <span className="bar" aria-hidden="true">
                    <span style={{ width: `${(100 * l.lots) / maxLoc}%` }} />
                  </span>
                  <span className="num">{fmtNumber(l.lots)} lots</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel" aria-labelledby="dash-low">
          <h2 id="dash-low">Low stock (≤ {fmtNumber(summary.lowStockThreshold)} available)</h2>
          {summary.lowStock.length === 0 ? (
            <p className="muted">Nothing is running low.</p>
          ) : (
            <table className="simple fixed">
              <colgroup>
                <col style={{ width: '22%' }} />
                <col style={{ width: '28%' }} />
                <col />
                <col style={{ width: '84px' }} />
              </colgroup>
              <thead>
                <tr>
                  <th>Part</th>
                  <th>Colour</th>
                  <th>Location</th>
                  <th className="num">Available</th>
                </tr>
              </thead>
              <tbody>
                {summary.lowStock.map((l) => (
                  <tr key={l.id}>
                    <td className="clip" title={l.name}>
                      {l.partId}
                    </td>
                    <td className="clip" title={l.colorName}>
                      <Swatch color={colorById.get(l.colorId)} />
                      {l.colorName}
                    </td>
                    <td className="clip" title={l.storageLocation}>
                      {l.storageLocation || '—'}
                    </td>
                    <td className="num">{fmtNumber(l.quantityAvailable)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel" aria-labelledby="dash-recent">
          <h2 id="dash-recent">Recently added</h2>
          {summary.recent.length === 0 ? (
            <p className="muted">No lots yet.</p>
          ) : (
            <table className="simple fixed">
              <colgroup>
                <col />
                <col style={{ width: '30%' }} />
                <col style={{ width: '70px' }} />
                <col style={{ width: '190px' }} />
              </colgroup>
              <thead>
                <tr>
                  <th>Part</th>
                  <th>Colour</th>
                  <th className="num">Total</th>
                  <th>Added</th>
                </tr>
              </thead>
              <tbody>
                {summary.recent.map((l) => (
                  <tr key={l.id}>
                    <td className="clip" title={l.partId}>
                      {l.partId} <span className="muted">{l.name}</span>
                    </td>
                    <td className="clip" title={l.colorName}>
                      <Swatch color={colorById.get(l.colorId)} />
                      {l.colorName}
                    </td>
                    <td className="num">{fmtNumber(l.quantityTotal)}</td>
                    <td className="muted nowrap">{fmtDateTime(l.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <p style={{ marginTop: 16 }}>
        <button type="button" className="btn" onClick={() => openBackups('list')}>
          Backups &amp; Restore…
        </button>
      </p>
    </div>
  );
}

function Card({ label, value }: { label: string; value: number }) {
  return (
    <div className="card">
      <div className="value">{fmtNumber(value)}</div>
      <div className="label">{label}</div>
    </div>
  );
}
