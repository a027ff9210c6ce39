// Undo and Redo in the top bar, named after what they would step (history.state).
import { useContract } from '../../data/queries';
import { step } from './step';

export function UndoRedoButtons() {
  const { data } = useContract('history.state', {});
  const undo = data?.undo ?? null;
  const redo = data?.redo ?? null;
  return (
    <span className="undo-redo">
      <button
        type="button"
        className="btn"
        disabled={!undo}
        title={undo ? `Undo ${undo.label} (Ctrl+Z)` : 'Nothing to undo'}
        aria-label={undo ? `Undo ${undo.label}` : 'Undo'}
        onClick={() => void step('undo')}
      >
        Undo
      </button>
      <button
        type="button"
        className="btn"
        disabled={!redo}
        title={redo ? `Redo ${redo.label} (Ctrl+Shift+Z or Ctrl+Y)` : 'Nothing to redo'}
        aria-label={redo ? `Redo ${redo.label}` : 'Redo'}
        onClick={() => void step('redo')}
      >
        Redo
      </button>
    </span>
  );
}
