// The handler map: every contract channel, each area's handlers over the services it needs.
// Its type (Handlers) fails the build when a channel has no handler.
import { appHandlers, type AppServices } from './app';
import { backupHandlers } from './backup';
import { catalogHandlers } from './catalog';
import { desktopHandlers, type DesktopServices } from './desktop';
import { historyHandlers } from './history';
import { inventoryHandlers } from './inventory';
import { setsHandlers } from './sets';
import { pictureHandlers, type PictureHandlerServices } from './pictures';
import { transferHandlers } from './transfer';
import type { Handlers } from './types';
import type { BackupService } from '../backup/service';
import type { CatalogService } from '../catalog/service';
import type { HistoryService } from '../history/service';
import type { InventoryService } from '../inventory/service';
import type { SetsService } from '../sets/service';
import type { TransferService } from '../transfer/service';

export type { HandlerContext, Handlers } from './types';

/** The services handlers call, read at call time (a restore replaces some of them). */
export interface HandlerServices extends AppServices, DesktopServices, PictureHandlerServices {
  readonly inventory: InventoryService;
  readonly transfer: TransferService;
  readonly catalog: CatalogService;
  readonly sets: SetsService;
  readonly backup: BackupService;
  readonly history: HistoryService;
  /** The core's clock (names of suggested files). */
  now(): number;
}

export function createHandlers(s: HandlerServices): Handlers {
  return {
    ...appHandlers(s),
    ...inventoryHandlers(s),
    ...transferHandlers(s),
    ...catalogHandlers(s),
    ...setsHandlers(s),
    ...backupHandlers(s),
    ...desktopHandlers(s),
    ...historyHandlers(s),
    ...pictureHandlers(s),
  };
}
