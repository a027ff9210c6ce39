// Undo and redo from the window: the keys (Ctrl/Cmd+Z; Ctrl+Shift+Z, Cmd+Shift+Z or Ctrl+Y),
// the Edit menu, the toolbar and toasts all come here. In a text field the keys and the menu
// leave the field its own undo.
import { call } from '../../api';
import { toast } from '../../stores/toasts';

/** Whether the focus is in a place that edits text (its own undo applies there). */
export function typingIn(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled;
  if (el instanceof HTMLInputElement) {
    const textual = ['text', 'search', 'number', 'email', 'url', 'tel', 'password', ''].includes(el.type);
    return textual && !el.readOnly && !el.disabled;
  }
  return el instanceof HTMLElement && el.isContentEditable;
}

let running = false;

/** Undoes or redoes one step of the journal and says what it did (with the way back). */
export async function step(direction: 'undo' | 'redo'): Promise<void> {
  if (running) return;
  running = true;
  try {
    const r = await call(direction === 'undo' ? 'history.undo' : 'history.redo', {});
    if (!r.ok) {
      toast({ kind: r.error.code === 'not-found' ? 'info' : 'error', text: r.error.message }, 10_000);
      return;
    }
    const op = r.data.done[0];
    if (!op) return;
    const back = direction === 'undo' ? 'redo' : 'undo';
    toast({
      kind: 'info',
      text: `${direction === 'undo' ? 'Undone' : 'Redone'}: ${op.label}`,
      action: { label: back === 'redo' ? 'Redo' : 'Undo', run: () => void step(back) },
    });
  } finally {
    running = false;
  }
}

/** The Edit menu's Undo / Redo: a text field with the focus gets its own undo. */
export function menuStep(direction: 'undo' | 'redo'): void {
  if (typingIn(document.activeElement)) {
    document.execCommand(direction);
    return;
  }
  void step(direction);
}

/** Keydown: Ctrl/Cmd+Z undo; Ctrl/Cmd+Shift+Z and Ctrl+Y redo; never while typing in a field. */
export function stepForKey(e: KeyboardEvent): 'undo' | 'redo' | null {
  const mod = e.ctrlKey || e.metaKey;
  if (!mod || e.altKey) return null;
  const k = e.key.toLowerCase();
  if (k === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (k === 'y' && e.ctrlKey && !e.shiftKey) return 'redo';
  return null;
}
