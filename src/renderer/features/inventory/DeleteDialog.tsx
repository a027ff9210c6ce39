// Asks before deleting a lot; afterwards offers Undo (the journal's), which puts the lot back as it was.
import { useState } from 'react';
import type { Lot } from '../../../shared/types';
import { call } from '../../api';
import { Dialog } from '../../components/Dialog';
import { fmtNumber } from '../../format';
import { useToasts } from '../../stores/toasts';
import { step } from '../history/step';

export function DeleteDialog({ lot, onClose }: { lot: Lot; onClose: () => void }) {
  const toast = useToasts((s) => s.toast);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = `${lot.partId} ${lot.colorName}${lot.storageLocation ? ` at “${lot.storageLocation}”` : ''}`;

  async function remove() {
    setBusy(true);
    const r = await call('inventory.delete', { id: lot.id });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    onClose();
    toast(
      {
        kind: 'info',
        text: `Deleted ${label}.`,
        action: {
          label: 'Undo',
          run: () => void step('undo'),
        },
      },
      12000,
    );
  }

  return (
    <Dialog
      title="Delete lot?"
      role="alertdialog"
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy} autoFocus>
            Cancel
          </button>
          <button type="button" className="btn danger" onClick={() => void remove()} disabled={busy}>
            Delete
          </button>
        </>
      }
    >
      <p style={{ margin: 0 }}>
        Delete {fmtNumber(lot.quantityTotal)} × {label}
        {lot.name ? ` (${lot.name})` : ''}? You can undo this (Ctrl+Z), and find it later in the deleted lots.
      </p>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
