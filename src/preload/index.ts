// The preload exposes exactly one object, window.blockshelf = { invoke, on }, for the
// contract's channels and events only. It never exposes ipcRenderer or process.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, EVENT_NAMES, type BlockShelfApi, type EventName } from '../shared/contract';
import { INVOKE_CHANNEL, EVENT_CHANNEL_PREFIX } from '../shared/ipc';

const channels = new Set<string>(CHANNELS);
const events = new Set<string>(EVENT_NAMES);

const api: BlockShelfApi = {
  invoke(channel, input) {
    if (!channels.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'invalid-input', message: `unknown call ${String(channel)}` } });
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, channel, input);
  },
  on(event, cb) {
    if (!events.has(event)) throw new Error(`unknown event ${String(event)}`);
    const name = `${EVENT_CHANNEL_PREFIX}${event as EventName}`;
    const listener = (_e: IpcRendererEvent, payload: unknown) => cb(payload as never);
    ipcRenderer.on(name, listener);
    return () => {
      ipcRenderer.removeListener(name, listener);
    };
  },
};

contextBridge.exposeInMainWorld('blockshelf', api);
