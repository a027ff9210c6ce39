// What the profile shown has built and not taken apart, newest first, each with Take apart
// (its pieces go back out of `used`, lot by lot).
import type { BuildRecord } from '../../../shared/contract';
import { useContract } from '../../data/queries';
import { fmtDateTime, fmtNumber } from '../../format';
import { useSets } from '../../stores/sets';
import { useCanEdit, useOwnerRef, useTakeApart } from './owner';

const NONE: BuildRecord[] = [];

export function BuiltList() {
  const owner = useOwnerRef();
  const canEdit = useCanEdit();
  const open = useSets((s) => s.open);
  const takeApart = useTakeApart();
  const builds = useContract('sets.builds', owner);
  const list = builds.data ?? NONE;

  return (
    <div className="sets-page">
      <h1>Built</h1>
      {builds.error && (
        <p className="notice error" role="alert">
          {builds.error.message}
        </p>
      )}
      {builds.data && list.length === 0 && (
        <p className="empty">Nothing is marked as built. A set’s page has Mark as built once you have all its parts.</p>
      )}
      {list.length > 0 && (
        <table className="simple" aria-label="Builds" data-testid="all-builds">
          <thead>
            <tr>
              <th scope="col">Set or list</th>
              <th scope="col">Name</th>
              <th scope="col">Built on</th>
              <th scope="col" className="num">
                Copies
              </th>
              <th scope="col" className="num">
                Pieces in use
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => (
              <tr key={b.id}>
                <td>
                  {b.source.kind === 'set' ? (
                    <button
                      type="button"
                      className="btn link"
                      aria-label={`Open ${b.source.id} ${b.source.name}`}
                      onClick={() => open({ kind: 'set', setNum: b.source.id })}
                    >
                      {b.source.id}
                    </button>
                  ) : (
                    b.source.id
                  )}
                </td>
                <td>{b.source.name}</td>
                <td>{fmtDateTime(b.builtAt)}</td>
                <td className="num">{fmtNumber(b.quantity)}</td>
                <td className="num">{fmtNumber(b.pieces)}</td>
                <td>
                  <button
                    type="button"
                    className="btn"
                    disabled={!canEdit}
                    aria-label={`Take apart ${b.source.id}, built ${fmtDateTime(b.builtAt)}`}
                    onClick={() => void takeApart(b.id)}
                  >
                    Take apart
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
