// `invoke`: the one entry of every surface (IPC, CLI, test host). Checks the channel, refuses
// calls while an import holds the database, validates the input against the contract, runs the
// handler and wraps the result in the {ok, data} / {ok: false, error} envelope.
import { contract, isChannel, type Channel, type Output } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import type { HandlerContext, Handlers } from '../handlers/types';
import type { Logger } from '../log';
import type { Gate } from '../transfer/service';
import { readOnlyError, toErrorPayload } from './errors';

/**
 * Calls answered while an import's transaction is open in its worker, or while a catalogue job's
 * worker holds the write lock: reads, answered from the last commit (WAL), and the jobs' cancel.
 * Writes get `busy` at once rather than waiting: the worker holds SQLite's one write lock for the
 * whole apply, so a write could only block this thread (better-sqlite3 is synchronous) and every
 * call behind it, then fail anyway.
 */
const CALLS_DURING_IMPORT = new Set<string>([
  'import.cancel',
  'import.problems',
  'app.info',
  'colors.list',
  'profiles.list',
  'profiles.current',
  'profiles.accessible',
  'profiles.impact',
  'collabs.list',
  'preferences.get',
  'config.get',
  'backup.status',
  'backup.list',
  'catalog.stats',
  'catalog.status',
  'catalog.lookup',
  'catalog.search',
  'sets.search',
  'sets.themes',
  'sets.get',
  'sets.parts',
  'sets.build',
  'sets.buildable',
  'sets.builds',
  'inventory.list',
  'inventory.get',
  'inventory.whereIs',
  'inventory.locations',
  'inventory.summary',
  'history.state',
  'history.list',
  'history.lot',
  'history.deleted',
  'history.settings',
  // Pictures and labels only read the database (their settings and cache are files).
  'pictures.settings',
  'pictures.configure',
  'pictures.clear',
  'labels.preview',
  'labels.pickSave',
  'labels.create',
  'labels.print',
]);

export interface Invoke {
  <K extends Channel>(channel: K, input: unknown, ctx?: HandlerContext): Promise<Result<Output<K>>>;
  (channel: string, input: unknown, ctx?: HandlerContext): Promise<Result<unknown>>;
}

export function createInvoke(deps: { handlers: Handlers; gate: Gate; readOnly: boolean; log: Logger }): Invoke {
  const { handlers, gate, readOnly, log } = deps;
  async function invoke(channel: string, input: unknown, hctx: HandlerContext = {}): Promise<Result<unknown>> {
    if (!isChannel(channel)) {
      return { ok: false, error: { code: 'invalid-input', message: `unknown call ${String(channel).slice(0, 80)}` } };
    }
    if ((gate.holder || gate.catalog) && !CALLS_DURING_IMPORT.has(channel)) {
      return {
        ok: false,
        error: {
          code: 'busy',
          message: gate.holder
            ? 'An import is being applied; changes can be made again when it has finished (reading works meanwhile).'
            : 'The parts catalogue is being updated — try again in a moment (reading works meanwhile).',
        },
      };
    }
    const parsed = contract[channel].input.safeParse(input ?? {});
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({
        field: i.path.map(String).join('.') || '(input)',
        message: i.message,
      }));
      return {
        ok: false,
        error: {
          code: 'invalid-input',
          message: fields.map((f) => `${f.field}: ${f.message}`).join('; '),
          fields,
        },
      };
    }
    try {
      const handler = handlers[channel] as (i: unknown, c: HandlerContext) => unknown;
      const data = await handler(parsed.data, hctx);
      return { ok: true, data };
    } catch (e) {
      if (readOnly && String((e as NodeJS.ErrnoException)?.code ?? '').startsWith('SQLITE_READONLY')) {
        return { ok: false, error: readOnlyError().toPayload() };
      }
      return { ok: false, error: toErrorPayload(e, log, channel) };
    }
  }
  return invoke as Invoke;
}
