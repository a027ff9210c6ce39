// CLI commands on the operation journal: undo, redo, and the history of the inventory, of one
// lot, or of the lots deleted.
import type { DeletedLot, LotHistoryEntry, Operation } from '../../shared/contract';
import type { Command } from './types';
import { call, UsageError } from './types';

function int(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) throw new UsageError(`--${name} must be a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}`);
  return n;
}

const when = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 19);
const opLine = (o: Operation) =>
  `${String(o.id).padStart(6)}  ${when(o.createdAt)}  ${(o.state === 'undone' ? 'undone' : o.state === 'mark' ? 'final' : '').padEnd(6)}  ${o.label}${o.actorName ? `  (${o.actorName})` : ''}`;
const entryLine = (e: LotHistoryEntry) =>
  `${when(e.op.createdAt)}  ${e.change.padEnd(7)}  ${
    e.changes.length ? e.changes.map((c) => `${c.field} ${c.old ?? '—'} → ${c.new ?? '—'}`).join(', ') : ''
  }${e.changes.length ? '  ' : ''}[${e.op.label}${e.op.state === 'undone' ? ', undone' : ''}]`;
const deletedLine = (d: DeletedLot) =>
  `lot ${d.lot.id} (history: --lot ${d.lot.id} --until ${d.op.id})  ${d.lot.partId} ${d.lot.colorName}  ${d.lot.quantityTotal}${d.lot.storageLocation ? ` at ${d.lot.storageLocation}` : ''}  — ${when(d.op.createdAt)} “${d.op.label}”`;

function stepCommand(direction: 'undo' | 'redo'): Command {
  return {
    summary: direction === 'undo' ? 'undo your last change (or the last N)' : 'redo what you undid last (or the last N)',
    usage: `${direction} [--steps N]`,
    options: { steps: { type: 'string' } },
    async run({ core, values }) {
      const steps = values.steps !== undefined ? int(values.steps, 'steps', 1, 100) : 1;
      const r = await call(core, direction === 'undo' ? 'history.undo' : 'history.redo', { steps });
      const verb = direction === 'undo' ? 'Undone' : 'Redone';
      const next = direction === 'undo' ? r.state.undo : r.state.redo;
      return {
        json: r,
        text: [
          ...r.done.map((o) => `${verb}: ${o.label}`),
          next ? `Next ${direction}: ${next.label}` : `Nothing more to ${direction}.`,
        ].join('\n'),
      };
    },
  };
}

export const history: Command = {
  summary: 'the changes made to the inventory, to one lot (--lot), or the lots deleted (--deleted)',
  usage: 'history [--lot ID [--until OP]] [--deleted [--search WORDS]] [--limit N]',
  options: {
    lot: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    deleted: { type: 'boolean' },
    search: { type: 'string' },
  },
  readOnly: true,
  async run({ core, values }) {
    const limit = values.limit !== undefined ? int(values.limit, 'limit', 1, 1000) : 20;
    if (values.lot !== undefined) {
      const id = int(values.lot, 'lot', 1, Number.MAX_SAFE_INTEGER);
      const until = values.until !== undefined ? int(values.until, 'until', 1, Number.MAX_SAFE_INTEGER) : undefined;
      const entries = await call(core, 'history.lot', { id, limit, ...(until !== undefined ? { until } : {}) });
      return { json: entries, text: entries.length ? entries.map(entryLine).join('\n') : `Lot ${id} has no recorded changes.` };
    }
    if (values.deleted) {
      const found = await call(core, 'history.deleted', {
        limit: Math.min(limit, 500),
        ...(values.search !== undefined ? { search: String(values.search) } : {}),
      });
      return { json: found, text: found.length ? found.map(deletedLine).join('\n') : 'No deleted lots in the history.' };
    }
    const ops = await call(core, 'history.list', { limit });
    return { json: ops, text: ops.length ? ops.map(opLine).join('\n') : 'No changes recorded.' };
  },
};

export const historyCommands: Record<string, Command> = {
  undo: stepCommand('undo'),
  redo: stepCommand('redo'),
  history,
};
