import type { TransferIntent } from '../../stores/app';
import { Dialog } from '../../components/Dialog';
export function TransferDialog({ onClose }: { intent: TransferIntent; onClose: () => void }) {
  return <Dialog title="Import" onClose={onClose}><p>…</p></Dialog>;
}
