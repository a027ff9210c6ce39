// Toasts: short messages at the bottom of the window, some with an action (Undo).
import { create } from 'zustand';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
  action?: { label: string; run: () => void };
}

interface ToastState {
  toasts: Toast[];
  toast(t: Omit<Toast, 'id'>, ms?: number): void;
  dismiss(id: number): void;
}

let toastSeq = 0;

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  toast(t, ms = 6000) {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { ...t, id }] }));
    if (ms > 0) setTimeout(() => get().dismiss(id), ms);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Shows a toast from outside a component (stable; no subscription). */
export const toast: ToastState['toast'] = (t, ms) => useToasts.getState().toast(t, ms);
