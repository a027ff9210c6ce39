// The renderer's typed client over window.blockshelf (the preload in the app, the HTTP bridge
// of the e2e host in a browser). Channel names come from the shared contract only.
import type { BlockShelfApi, Channel, EventMap, EventName, Input, Output } from '../shared/contract';
import { unwrap, type Result } from '../shared/errors';

declare global {
  interface Window {
    blockshelf: BlockShelfApi;
  }
}

export function call<K extends Channel>(channel: K, input: Input<K>): Promise<Result<Output<K>>> {
  return window.blockshelf.invoke(channel, input);
}

/** Like call, but throws an AppError on failure. */
export async function callOrThrow<K extends Channel>(channel: K, input: Input<K>): Promise<Output<K>> {
  return unwrap(await call(channel, input));
}

export function onEvent<E extends EventName>(event: E, cb: (payload: EventMap[E]) => void): () => void {
  return window.blockshelf.on(event, cb);
}

/** A message fit to show for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
