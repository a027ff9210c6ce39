// The renderer's data layer: reads from main are TanStack queries keyed by contract channel and
// input (`[channel, input]`). Nothing polls and nothing goes stale by itself: main says what
// changed through push events (data.changed, backups.changed), and `invalidateFor` refreshes
// exactly the keys that event affects. The inventory table pages its lots itself
// (useLotPages) but listens to the same invalidation through `onInvalidate`.
import { QueryClient, keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Channel, EventMap, Input, Output } from '../../shared/contract';
import { callOrThrow } from '../api';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Main pushes every change, so cached answers stay good until an event says otherwise.
      staleTime: Infinity,
      gcTime: 5 * 60_000,
      // An offline app: never wait for the browser's idea of "online", never refetch on focus.
      networkMode: 'always',
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
      // Expected failures are answers (error codes), not flaky networks.
      retry: false,
    },
    mutations: { networkMode: 'always' },
  },
});

export type ContractKey<K extends Channel = Channel> = readonly [K, Input<K>];

export function contractKey<K extends Channel>(channel: K, input: Input<K>): ContractKey<K> {
  return [channel, input] as const;
}

/**
 * Reads one contract call and keeps it fresh; a failure is the query's error (the AppError
 * from main). `keep` shows the previous answer while a new
 * input loads (no "Loading…" flash when only the owner or a filter changed).
 */
export function useContract<K extends Channel, T = Output<K>>(
  channel: K,
  input: Input<K>,
  opts: { enabled?: boolean; keep?: boolean; select?: (data: Output<K>) => T } = {},
) {
  return useQuery<Output<K>, Error, T, readonly unknown[]>({
    queryKey: contractKey(channel, input),
    queryFn: () => callOrThrow(channel, input) as Promise<Output<K>>,
    ...(opts.enabled !== undefined ? { enabled: opts.enabled } : {}),
    ...(opts.keep ? { placeholderData: keepPreviousData } : {}),
    ...(opts.select ? { select: opts.select } : {}),
  });
}

/** What main said changed. */
export type Change =
  | ({ kind: 'data' } & EventMap['data.changed'])
  | ({ kind: 'backups' } & EventMap['backups.changed'])
  /** Everything may differ (the database was replaced). */
  | { kind: 'all' };

const INVENTORY = (c: string) => c.startsWith('inventory.') || c.startsWith('history.');
/** Sets reads whose answer follows the lots: build matching and the builds recorded. */
const SETS_ON_LOTS = (c: string) => c === 'sets.build' || c === 'sets.builds';

/** Which channels a change can alter. */
function channelAffected(change: Change, channel: string): boolean {
  if (change.kind === 'all') return true;
  if (change.kind === 'backups') return channel.startsWith('backup.') || channel === 'app.info';
  switch (change.reason) {
    case 'reopened':
      return true;
    case 'preferences':
      // The dashboard's low-stock list follows the threshold preference.
      return channel === 'preferences.get' || channel === 'inventory.summary';
    case 'catalog':
      // A catalogue update can bring a set's parts (inventory_parts), themes or new sets.
      return channel.startsWith('catalog.') || channel.startsWith('sets.') || channel === 'colors.list';
    default:
      if (change.reason.startsWith('profile')) {
        return (
          INVENTORY(channel) ||
          SETS_ON_LOTS(channel) ||
          channel === 'app.info' ||
          channel.startsWith('profiles.') ||
          channel.startsWith('collabs.') ||
          channel === 'preferences.get'
        );
      }
      // Lots were added, changed, deleted, imported, named, parted out or built.
      return INVENTORY(channel) || SETS_ON_LOTS(channel) || channel === 'app.info';
  }
}

/** Whether a change can alter the answer to `channel` with `input`. */
export function affects(change: Change, channel: string, input: unknown): boolean {
  if (!channelAffected(change, channel)) return false;
  // A lot change in one owner's inventory leaves reads of another owner's inventory alone
  // (a read without ownerId is the current profile's own: it may be the one that changed).
  if (change.kind === 'data' && change.ownerId !== null && change.reason !== 'reopened' && !change.reason.startsWith('profile')) {
    const owner = (input as { ownerId?: number } | undefined)?.ownerId;
    if (owner !== undefined && owner !== change.ownerId) return false;
  }
  return true;
}

type Listener = { channel: string; input: () => unknown; run: () => void };
const listeners = new Set<Listener>();

/** Refreshes every query (and every paging hook) that `change` affects. */
export function invalidateFor(change: Change): void {
  void queryClient.invalidateQueries({
    predicate: (q) => {
      const [channel, input] = q.queryKey as [string, unknown];
      return typeof channel === 'string' && affects(change, channel, input);
    },
  });
  for (const l of [...listeners]) if (affects(change, l.channel, l.input())) l.run();
}

/** Refreshes the answers to one channel (for calls made here that main does not announce). */
export function invalidateChannel(channel: Channel): void {
  void queryClient.invalidateQueries({ queryKey: [channel] });
}

/**
 * Calls `run` whenever a change affects `channel` with the current `input` (for data kept
 * outside the query cache, like the inventory table's blocks).
 */
export function useInvalidation<K extends Channel>(channel: K, input: Input<K>, run: () => void): void {
  const latest = useRef({ input, run });
  useEffect(() => {
    latest.current = { input, run };
  });
  useEffect(() => {
    const l: Listener = { channel, input: () => latest.current.input, run: () => latest.current.run() };
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, [channel]);
}
