// The core's event bus (push events to the renderer: progress, data changed, …), in its own
// module so services can take it without importing the composition root.
import type { EventMap, EventName } from '../shared/contract';

type Listener<E extends EventName> = (payload: EventMap[E]) => void;

export function createEvents(): Events {
  const listeners = new Map<EventName, Set<Listener<EventName>>>();
  return {
    on<E extends EventName>(event: E, cb: Listener<E>): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb as Listener<EventName>);
      return () => set.delete(cb as Listener<EventName>);
    },
    emit<E extends EventName>(event: E, payload: EventMap[E]): void {
      for (const cb of listeners.get(event) ?? []) {
        try {
          cb(payload);
        } catch {
          // a broken listener must not break the emitter
        }
      }
    },
  };
}
export interface Events {
  on<E extends EventName>(event: E, cb: (payload: EventMap[E]) => void): () => void;
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
}
