// Wires the contract to Electron IPC: one invoke channel whose handler checks the sender frame,
// then hands the call to core.invoke (which validates the input); core events go to the window.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { EVENT_NAMES } from '../../shared/contract';
import { INVOKE_CHANNEL, EVENT_CHANNEL_PREFIX } from '../../shared/ipc';
import type { Result } from '../../shared/errors';
import type { Core } from '../core';

export function registerIpc(opts: {
  ipcMain: IpcMain;
  core: () => Core;
  isTrustedFrame: (url: string) => boolean;
  /** Told about every answered call (the shell follows theme changes this way). */
  onResult?: (channel: string, result: Result<unknown>) => void;
}): () => void {
  opts.ipcMain.handle(
    INVOKE_CHANNEL,
    async (event: IpcMainInvokeEvent, channel: unknown, input: unknown): Promise<Result<unknown>> => {
      const url = event.senderFrame?.url ?? '';
      if (!opts.isTrustedFrame(url) || event.senderFrame?.parent) {
        opts.core().log.warn(`refused an IPC call from ${url || 'an unknown frame'}`);
        return { ok: false, error: { code: 'forbidden', message: 'calls are only accepted from the BlockShelf window' } };
      }
      const result = await opts.core().invoke(String(channel), input);
      try {
        opts.onResult?.(String(channel), result);
      } catch (e) {
        opts.core().log.error('IPC result hook failed', e);
      }
      return result;
    },
  );
  return () => opts.ipcMain.removeHandler(INVOKE_CHANNEL);
}

/** Forwards every core event to a window's renderer. Returns an unsubscribe. */
export function forwardEvents(core: Core, target: () => WebContents | null): () => void {
  const offs = EVENT_NAMES.map((name) =>
    core.events.on(name, (payload) => {
      const wc = target();
      if (wc && !wc.isDestroyed()) wc.send(`${EVENT_CHANNEL_PREFIX}${name}`, payload);
    }),
  );
  return () => offs.forEach((off) => off());
}
