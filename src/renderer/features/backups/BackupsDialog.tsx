import type { BackupIntent } from '../../stores/app';
import { Dialog } from '../../components/Dialog';
export function BackupsDialog({ onClose }: { intent: BackupIntent; onClose: () => void }) {
  return <Dialog title="Backups & Restore" onClose={onClose}><p>…</p></Dialog>;
}
