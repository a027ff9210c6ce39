// Handlers of the history area: undo, redo and the journal's lists, one line each over the
// history service (which checks what the acting profile may do with each inventory).
import type { HistoryService } from '../history/service';
import { stripUndefined } from '../util/objects';
import type { Handlers } from './types';

type HistoryKeys =
  | 'history.state'
  | 'history.undo'
  | 'history.redo'
  | 'history.list'
  | 'history.lot'
  | 'history.deleted'
  | 'history.settings'
  | 'history.configure';

export function historyHandlers(s: { readonly history: HistoryService }): Pick<Handlers, HistoryKeys> {
  return {
    'history.state': () => s.history.state(),
    'history.undo': ({ steps }) => s.history.undo(steps),
    'history.redo': ({ steps }) => s.history.redo(steps),
    'history.list': ({ ownerId, limit, before }) => s.history.list(ownerId, limit, before),
    'history.lot': ({ id, limit, until }) => s.history.lot(id, limit, until),
    'history.deleted': ({ ownerId, search, limit }) => s.history.deleted(ownerId, search, limit),
    'history.settings': () => s.history.settings(),
    'history.configure': (patch) => s.history.configure(stripUndefined(patch)),
  };
}
