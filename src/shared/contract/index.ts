// The one IPC contract: every call is `area.verb` with ONE object argument validated by a zod
// schema, and an output type. Each area keeps its calls in a file of its own beside this one;
// this file joins them. Main registers a handler for each key (the handler map's type fails the
// build when one is missing); the preload, the renderer's client, the CLI and the e2e test host
// all derive from these keys, so no channel string is written twice.
import type { z } from 'zod';
import type { Result } from '../errors';
import { appContract } from './app';
import { backupContract } from './backup';
import { inventoryContract } from './inventory';
import { desktopContract } from './desktop';
import { transferContract } from './transfer';
import { catalogContract } from './catalog';
import { historyContract } from './history';
import { setsContract } from './sets';
import { picturesContract } from './pictures';
import { labelsContract } from './labels';

export * from './common';
export * from './app';
export * from './backup';
export * from './inventory';
export * from './desktop';
export * from './transfer';
export * from './catalog';
export * from './history';
export * from './sets';
export * from './pictures';
export * from './labels';

export const contract = {
  ...appContract,
  ...backupContract,
  ...inventoryContract,
  ...desktopContract,
  ...transferContract,
  ...catalogContract,
  ...historyContract,
  ...setsContract,
  ...picturesContract,
  ...labelsContract,
} as const satisfies Record<string, { input: z.ZodType; output: unknown }>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Input<K extends Channel> = z.input<Contract[K]['input']>;
export type ParsedInput<K extends Channel> = z.output<Contract[K]['input']>;
export type Output<K extends Channel> = Contract[K]['output'];
export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

// Push events, main -> renderer.
export interface EventMap {
  'data.changed': { ownerId: number | null; reason: string };
  'menu.command': { command: MenuCommand };
  'backup.progress': { id: string; phase: string; percent: number };
  'backups.changed': { reason: string };
  'import.progress': { id: string; phase: string; done: number; total: number | null };
  /** The shipped catalogue loading in the background; `done` once, with `error` if it failed. */
  'catalog.progress': { phase: 'reading' | 'applying' | 'done'; item: string; rows: number; percent: number; error?: string };
  /** Pictures that arrived in the cache (their keys, see `pictureKey`): the page shows them now. */
  'pictures.changed': { keys: string[] };
}
export type EventName = keyof EventMap;
export const EVENT_NAMES: EventName[] = [
  'data.changed',
  'menu.command',
  'backup.progress',
  'backups.changed',
  'import.progress',
  'catalog.progress',
  'pictures.changed',
];

export const MENU_COMMANDS = [
  'item.new',
  'import.open',
  'export.open',
  'sets.canBuild',
  'backup.now',
  'backups.open',
  'restore.fromFile',
  'settings.open',
  'about.open',
  'edit.undo',
  'edit.redo',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** What the preload exposes as `window.blockshelf` (and the e2e host installs alike). */
export interface BlockShelfApi {
  invoke<K extends Channel>(channel: K, input: Input<K>): Promise<Result<Output<K>>>;
  on<E extends EventName>(event: E, cb: (payload: EventMap[E]) => void): () => void;
}
