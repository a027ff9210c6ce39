// The Sets feature: find sets, read a list of needed parts (a catalogue set or a file), match it
// against a profile's lots, rank every set by how much of it the profile owns (in a worker), part
// a list out, mark it built and take it apart, export the shortfall. Lists are read here (files
// are streamed, asynchronously); each write then runs as ONE function in ONE transaction
// (./writes.ts) and emits data.changed. Permissions come from the profiles access helper: reading
// needs access to the inventory, writing needs canEdit.
import { createHash } from 'node:crypto';
import type {
  BuildOptions,
  BuildRecord,
  BuildReport,
  BuildableResult,
  ExportMissingFormat,
  ExportMissingResult,
  ListLabel,
  ListLine,
  PartList,
  PartOutResult,
  ReadListOptions,
  ResolvedBuildOptions,
  TakeApartResult,
  UnmatchedLine,
} from '../../shared/contract';
import type { Lot } from '../../shared/types';
import { AppError } from '../../shared/errors';
import { colorMaps } from '../colors/maps';
import type { DbHandle } from '../db/open';
import type { Events } from '../events';
import type { Journal } from '../history/journal';
import type { AccessCheck } from '../profiles/service';
import { exportLots } from '../transfer/export';
import type { ReadOptions } from '../transfer/importing/types';
import { newJobId } from '../util/jobs';
import { createSetCatalog, PARTS_HOW_TO, type RawPart, type SetFilters } from './catalog';
import { readFileList } from './lists';
import { matchList, type LotRow } from './match';
import { canonFor, enabledRelTypes, type Canon } from './variants';
import { runRankWorker, type RankRun } from './worker';
import * as writes from './writes';

export type FileSource = ReadOptions & { path: string };
/** A list source with the file already resolved from its token. */
export type Source = { setNum: string } | FileSource;

export interface SetsDeps {
  db: () => DbHandle;
  access: AccessCheck;
  events: Events;
  now: () => number;
  colors: () => { id: number; name: string }[];
  /** Runs a long job that `import.cancel` can stop (the transfer service's job list). */
  runJob: <T>(id: string, fn: (signal: AbortSignal) => Promise<T>) => Promise<T>;
  nativeBinding?: string | undefined;
  /** The operation journal: each write is one named operation (absent: not recorded). */
  journal?: () => Journal | undefined;
}

/** Runs a Sets write as one operation of the journal, when there is one. */
function journaled<T>(
  journal: Journal | undefined,
  ownerId: number,
  describe: (r: T) => { kind: string; label: string },
  fn: () => T,
): T {
  return journal ? journal.record({ ownerId, describe }, fn) : fn();
}

interface ReadList {
  source: ListLabel;
  lines: ListLine[];
  unmatched: UnmatchedLine[];
  unmatchedCount: number;
}

export function resolveOptions(o: BuildOptions | undefined): ResolvedBuildOptions {
  return {
    spares: o?.spares ?? false,
    noMinifigs: o?.noMinifigs ?? false,
    quantity: o?.quantity ?? 1,
    countUsed: o?.countUsed ?? false,
    ignorePrints: o?.ignorePrints ?? false,
    moulds: o?.moulds ?? false,
    alternates: o?.alternates ?? false,
    ignoreColor: o?.ignoreColor ?? false,
  };
}

export function createSetsService(deps: SetsDeps) {
  const catalog = createSetCatalog(deps.db);
  const runs = new Set<RankRun>();
  /** Relationship groups per kind set, kept while the catalogue stays the same. */
  let canonCache: { stamp: string; byTypes: Map<string, Canon> } | null = null;
  /** Pieces per inventory (with and without spares), kept while the catalogue stays the same. */
  let neededCache: { stamp: string; bySpares: Map<boolean, { ids: Int32Array; sums: Float64Array }> } | null = null;

  function catalogStamp(): string {
    const m = deps.db().stmt('SELECT snapshot, imported_at AS importedAt FROM catalog_meta WHERE id = 1').get() as
      { snapshot: string | null; importedAt: number | null } | undefined;
    return `${deps.db().file}|${m?.snapshot ?? ''}|${m?.importedAt ?? ''}`;
  }

  function canon(o: ResolvedBuildOptions): Canon {
    const types = enabledRelTypes(o);
    const stamp = catalogStamp();
    if (!canonCache || canonCache.stamp !== stamp) canonCache = { stamp, byTypes: new Map() };
    let c = canonCache.byTypes.get(types);
    if (!c) {
      const rows = types
        ? (deps.db().sqlite.prepare('SELECT rel_type, child_part_num, parent_part_num FROM part_relationships').raw().all() as [
            string,
            string,
            string,
          ][])
        : [];
      c = canonFor(rows, types);
      canonCache.byTypes.set(types, c);
    }
    return c;
  }

  function colorNames(): Map<number, string> {
    return new Map(deps.colors().map((c) => [c.id, c.name]));
  }

  function partName(partId: string): string {
    return (deps.db().stmt('SELECT name FROM parts WHERE part_num = ?').get(partId) as { name: string } | undefined)?.name ?? '';
  }

  /** Summed parts → list lines with names; a colour the database does not know becomes an unmatched line. */
  function toLines(parts: RawPart[], quantity: number, unmatched: UnmatchedLine[]): ListLine[] {
    const names = colorNames();
    const lines: ListLine[] = [];
    for (const p of parts) {
      const colorName = names.get(p.colorId);
      if (colorName === undefined) {
        unmatched.push({
          line: 0,
          part: p.partId,
          color: String(p.colorId),
          quantity: p.quantity * quantity,
          reason: `colour ${p.colorId} is not in the colour list`,
        });
        continue;
      }
      lines.push({ partId: p.partId, colorId: p.colorId, colorName, name: partName(p.partId), quantity: p.quantity * quantity });
    }
    return lines;
  }

  async function readList(src: Source, o: ResolvedBuildOptions, signal?: AbortSignal): Promise<ReadList> {
    if ('setNum' in src) {
      const r = catalog.resolve(src.setNum);
      const source: ListLabel = { kind: 'set', id: r.num, name: r.name, format: null };
      if (!catalog.known(r.num)) {
        throw new AppError('not-found', `The parts of ${r.num} ${r.name} are not known. ${PARTS_HOW_TO}`, {
          details: { setNum: r.num, partsKnown: false },
        });
      }
      const ex = catalog.expand(r.num, { spares: o.spares, noMinifigs: o.noMinifigs, quantity: 1 });
      const unmatched: UnmatchedLine[] = [];
      const lines = toLines(ex.parts, o.quantity, unmatched);
      if (!lines.length)
        throw new AppError(
          'invalid-input',
          `${r.num} ${r.name}: the list is empty (no parts${o.noMinifigs ? ' besides minifigures' : ''}).`,
        );
      return { source, lines, unmatched, unmatchedCount: unmatched.length };
    }
    const { path, ...read } = src;
    const anyPart = deps.db().stmt('SELECT 1 FROM parts LIMIT 1').get();
    const partKnown = anyPart ? (p: string) => !!deps.db().stmt('SELECT 1 FROM parts WHERE part_num = ?').get(p) : null;
    const f = await readFileList(path, read, {
      colors: colorMaps(deps.colors()),
      partKnown,
      ignorePrints: o.ignorePrints,
      spares: o.spares,
      signal,
    });
    const source: ListLabel = { kind: 'file', id: f.name, name: f.name, format: f.format };
    const unmatched = [...f.unmatched];
    const lines = toLines(f.parts, o.quantity, unmatched);
    if (!lines.length) {
      if (f.unmatchedCount > 0) {
        throw new AppError(
          'invalid-input',
          `${f.name}: none of its ${f.unmatchedCount} line${f.unmatchedCount === 1 ? '' : 's'} could be matched (first: line ${f.unmatched[0]!.line}: ${f.unmatched[0]!.reason}).`,
          {
            details: { unmatched: f.unmatched },
          },
        );
      }
      throw new AppError(
        'invalid-input',
        `${f.name}: the list is empty (no part lines${f.rows > 0 && !o.spares ? ' besides spares' : ''}).`,
      );
    }
    return { source, lines, unmatched, unmatchedCount: f.unmatchedCount + (unmatched.length - f.unmatched.length) };
  }

  /** The owner's lots that can serve the lines: every variant of each part, in its colour or any. */
  function lotsFor(ownerId: number, lines: readonly ListLine[], c: Canon, ignoreColor: boolean): LotRow[] {
    const db = deps.db();
    const byPart = db.stmt(
      `SELECT id, part_id AS partId, color_id AS colorId, color_name AS colorName, name, storage_location AS location,
              quantity_total AS total, quantity_used AS used
         FROM inventory_items WHERE user_id = ? AND part_id = ?`,
    );
    const byPair = db.stmt(
      `SELECT id, part_id AS partId, color_id AS colorId, color_name AS colorName, name, storage_location AS location,
              quantity_total AS total, quantity_used AS used
         FROM inventory_items WHERE user_id = ? AND part_id = ? AND color_id = ?`,
    );
    const asked = new Set<string>();
    const out: LotRow[] = [];
    for (const l of lines) {
      for (const m of c.members(l.partId)) {
        const k = ignoreColor ? m : `${m}\u0000${l.colorId}`;
        if (asked.has(k)) continue;
        asked.add(k);
        out.push(...((ignoreColor ? byPart.all(ownerId, m) : byPair.all(ownerId, m, l.colorId)) as LotRow[]));
      }
    }
    return out;
  }

  function report(ownerId: number, list: ReadList, o: ResolvedBuildOptions): BuildReport {
    const c = canon(o);
    const m = matchList(list.lines, lotsFor(ownerId, list.lines, c, o.ignoreColor), c, o);
    return { source: list.source, options: o, ...m, lines: list.lines.length, unmatched: list.unmatched };
  }

  function listKey(lines: readonly ListLine[]): string {
    const h = createHash('sha256');
    for (const l of [...lines].sort((a, b) => (a.partId < b.partId ? -1 : a.partId > b.partId ? 1 : a.colorId - b.colorId))) {
      h.update(`${l.partId}\u0000${l.colorId}\u0000${l.quantity}\n`);
    }
    return h.digest('hex');
  }

  function refuseUnmatched(list: ReadList, skip: boolean | undefined, what: string): void {
    if (!list.unmatchedCount || skip) return;
    const u = list.unmatched[0]!;
    throw new AppError(
      'invalid-input',
      `${list.source.name}: ${list.unmatchedCount} line${list.unmatchedCount === 1 ? '' : 's'} could not be matched (first: ${u.line ? `line ${u.line}, ` : ''}${u.part}: ${u.reason}); nothing was ${what}. Choose to skip them to go on without them.`,
      { details: { unmatched: list.unmatched } },
    );
  }

  const changed = (ownerId: number, reason: string) => deps.events.emit('data.changed', { ownerId, reason });

  return {
    search: (q: { query?: string | undefined; limit?: number | undefined; offset?: number | undefined } & SetFilters) =>
      catalog.search(q.query, q, q.limit ?? 50, q.offset ?? 0),
    themes: () => catalog.themes(),
    get: (setNum: string) => catalog.get(setNum),

    async parts(src: Source, opts: ReadListOptions | undefined): Promise<PartList> {
      const list = await readList(src, resolveOptions(opts));
      return {
        source: list.source,
        lines: list.lines,
        pieces: list.lines.reduce((n, l) => n + l.quantity, 0),
        unmatched: list.unmatched,
      };
    },

    /**
     * A set's list line by line (default options: no spares, exact part and colour), each with
     * the lots its pick list takes it from, in pick order (by location). Labels for a set's parts.
     */
    async pickedLines(
      ownerIdIn: number | undefined,
      setNum: string,
    ): Promise<{ source: ListLabel; lines: (ListLine & { lots: { lotId: number; location: string }[] })[] }> {
      const ownerId = deps.access(ownerIdIn).ownerId;
      const o = resolveOptions(undefined);
      const list = await readList({ setNum }, o);
      const r = report(ownerId, list, o);
      const picks = new Map<string, { lotId: number; location: string }[]>();
      for (const p of r.pick) {
        const k = `${p.forPartId}\u0000${p.forColorId}`;
        const at = picks.get(k) ?? [];
        at.push({ lotId: p.lotId, location: p.location });
        picks.set(k, at);
      }
      return {
        source: list.source,
        lines: list.lines.map((l) => ({ ...l, lots: picks.get(`${l.partId}\u0000${l.colorId}`) ?? [] })),
      };
    },

    async build(ownerIdIn: number | undefined, src: Source, opts: BuildOptions | undefined): Promise<BuildReport> {
      const ownerId = deps.access(ownerIdIn).ownerId;
      const o = resolveOptions(opts);
      return report(ownerId, await readList(src, o), o);
    },

    async buildable(
      q: SetFilters & {
        ownerId?: number | undefined;
        minPct?: number | undefined;
        options?: Omit<BuildOptions, 'quantity'> | undefined;
        limit?: number | undefined;
        offset?: number | undefined;
        jobId?: string | undefined;
      },
    ): Promise<BuildableResult> {
      const ownerId = deps.access(q.ownerId).ownerId;
      const o = resolveOptions(q.options);
      const started = performance.now();
      const { where, params } = catalog.filterSql(q);
      const id = q.jobId ?? newJobId('sets');
      const stamp = catalogStamp();
      if (!neededCache || neededCache.stamp !== stamp) neededCache = { stamp, bySpares: new Map() };
      const cache = neededCache;
      const ranked = await deps.runJob(id, async (signal) => {
        const run = runRankWorker({
          file: deps.db().file,
          nativeBinding: deps.nativeBinding,
          params: {
            ownerId,
            countUsed: o.countUsed,
            ignoreColor: o.ignoreColor,
            noMinifigs: o.noMinifigs,
            spares: o.spares,
            relTypes: enabledRelTypes(o),
            where: where.join(' AND '),
            params,
            minPct: q.minPct ?? 0,
            needed: cache.bySpares.get(o.spares) ?? null,
          },
          onProgress: (phase, done, total) => deps.events.emit('import.progress', { id, phase, done, total }),
        });
        runs.add(run);
        const onAbort = () => run.cancel();
        signal.addEventListener('abort', onAbort);
        try {
          return await run.result;
        } finally {
          signal.removeEventListener('abort', onAbort);
          runs.delete(run);
        }
      });
      if (ranked.needed) cache.bySpares.set(o.spares, ranked.needed);
      deps.events.emit('import.progress', { id, phase: 'done', done: 1, total: 1 });
      const page = ranked.items.slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 50));
      const rows = catalog.summariesOf(page.map((r) => r.setNum));
      return {
        considered: ranked.considered,
        total: ranked.items.length,
        items: page.map((r, i) => ({ ...rows[i]!, needed: r.needed, owned: r.owned, pct: r.pct })),
        durationMs: Math.round(performance.now() - started),
      };
    },

    async partOut(a: {
      ownerId?: number | undefined;
      source: Source;
      location: string;
      options?: ReadListOptions | undefined;
      skipUnmatched?: boolean | undefined;
    }): Promise<PartOutResult> {
      const may = deps.access(a.ownerId);
      if (!may.canEdit) throw new AppError('forbidden', 'You may not add lots to this inventory.');
      const o = resolveOptions(a.options);
      const list = await readList(a.source, o);
      refuseUnmatched(list, a.skipUnmatched, 'added');
      const location = a.location.trim();
      const counts = journaled(
        deps.journal?.(),
        may.ownerId,
        (c) => ({
          kind: 'part-out',
          label: `Part out ${list.source.id}: ${c.pieces} pieces in ${c.created + c.merged} lots at ${location || '(no location)'}`,
        }),
        () => writes.partOut(deps.db(), { ownerId: may.ownerId, lines: list.lines, location, now: deps.now() }),
      );
      changed(may.ownerId, 'sets.partOut');
      return { source: list.source, location, ...counts, unmatched: list.unmatched };
    },

    async markBuilt(a: {
      ownerId?: number | undefined;
      source: Source;
      options?: BuildOptions | undefined;
      skipUnmatched?: boolean | undefined;
    }): Promise<BuildRecord> {
      const may = deps.access(a.ownerId);
      if (!may.canEdit) throw new AppError('forbidden', 'You may not change lots in this inventory.');
      // Only free pieces can go into use, whatever countUsed says.
      const o = { ...resolveOptions(a.options), countUsed: false };
      const list = await readList(a.source, o);
      refuseUnmatched(list, a.skipUnmatched, 'marked as built');
      const c = canon(o);
      const rec = journaled(
        deps.journal?.(),
        may.ownerId,
        (r: BuildRecord) => ({ kind: 'mark-built', label: `Mark ${r.source.id} as built: ${r.pieces} pieces into use` }),
        () =>
          writes.markBuilt(deps.db(), {
            ownerId: may.ownerId,
            lines: list.lines,
            source: list.source,
            listKey: listKey(list.lines),
            quantity: o.quantity,
            options: o,
            canon: c,
            lots: () => lotsFor(may.ownerId, list.lines, c, o.ignoreColor),
            now: deps.now(),
          }),
      );
      changed(may.ownerId, 'sets.markBuilt');
      return rec;
    },

    async takeApart(a: { ownerId?: number | undefined; buildId?: number; source?: Source }): Promise<TakeApartResult> {
      const may = deps.access(a.ownerId);
      if (!may.canEdit) throw new AppError('forbidden', 'You may not change lots in this inventory.');
      let buildId = a.buildId ?? null;
      if (buildId === null && a.source) {
        const kind = 'setNum' in a.source ? 'set' : 'file';
        let list: ReadList | null = null;
        let id: string;
        if ('setNum' in a.source) id = catalog.resolve(a.source.setNum).num;
        else {
          list = await readList(a.source, resolveOptions(undefined));
          id = list.source.id;
        }
        buildId = writes.latestBuildOf(deps.db(), may.ownerId, { kind, id, listKey: list ? listKey(list.lines) : '' });
        if (buildId === null) throw new AppError('not-found', `${id} is not marked as built in this inventory.`);
      }
      if (buildId === null) throw new AppError('invalid-input', 'Say which build to take apart.');
      const id = buildId;
      const r = journaled(
        deps.journal?.(),
        may.ownerId,
        (t: TakeApartResult) => ({ kind: 'take-apart', label: `Take ${t.build.source.id} apart: ${t.pieces} pieces out of use` }),
        () => writes.takeApart(deps.db(), { ownerId: may.ownerId, buildId: id, now: deps.now() }),
      );
      changed(may.ownerId, 'sets.takeApart');
      return r;
    },

    builds(ownerIdIn: number | undefined): BuildRecord[] {
      return writes.buildsOf(deps.db(), deps.access(ownerIdIn).ownerId);
    },

    async exportMissing(a: {
      ownerId?: number | undefined;
      source: Source;
      options?: BuildOptions | undefined;
      path: string;
      format: ExportMissingFormat;
    }): Promise<ExportMissingResult> {
      const ownerId = deps.access(a.ownerId).ownerId;
      const o = resolveOptions(a.options);
      const r = report(ownerId, await readList(a.source, o), o);
      const t = deps.now();
      const lots: Lot[] = r.missing.map((m, i) => ({
        id: i + 1,
        ownerId,
        partId: m.partId,
        colorId: m.colorId,
        colorName: m.colorName,
        name: m.name,
        quantityTotal: m.missing,
        quantityUsed: 0,
        quantityAvailable: m.missing,
        storageLocation: '',
        notes: '',
        imageUrl: null,
        createdAt: t,
        updatedAt: t,
      }));
      const res = await exportLots(a.path, lots, { format: a.format, colors: colorMaps(deps.colors()) });
      const written = new Set(lots.filter((l) => !res.skipped.some((s) => s.partId === l.partId && s.colorId === l.colorId)));
      return {
        file: res.file,
        format: a.format,
        lines: written.size,
        pieces: [...written].reduce((n, l) => n + l.quantityTotal, 0),
        skipped: res.skipped,
        complete: r.missing.length === 0,
      };
    },

    async close(): Promise<void> {
      await Promise.all([...runs].map((r) => r.terminate()));
    },
  };
}

export type SetsService = ReturnType<typeof createSetsService>;
