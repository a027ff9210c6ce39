// The shapes the import steps hand each other: read options, rows a file offers, checked lots
// and a staged import.
import type { ColumnMapping, Encoding, ImportFormat, MappableField, RowProblem } from '../../../shared/contract';

export interface ReadOptions {
  format?: ImportFormat | undefined;
  encoding?: Encoding | undefined;
  delimiter?: string | undefined;
  sheet?: string | undefined;
  mapping?: ColumnMapping | undefined;
}

/** A row the file offers as a lot, before it is checked. */
export interface SourceRow {
  row: number;
  values: Partial<Record<MappableField, string>>;
  /** The file's own name of each field, for reports (`Quantity`, `quantity_total`, `QTY`). */
  labels: Partial<Record<MappableField, string>>;
  colorSpace: 'rebrickable' | 'bricklink';
  /** Raw problems found while reading (ragged rows). */
  problems?: { field: string; reason: string }[];
}

export interface NonPart {
  row: number;
  type: string;
  itemId: string;
}

export interface CheckedLot {
  row: number;
  partId: string;
  colorId: number;
  quantityTotal: number;
  quantityUsed: number;
  storageLocation: string;
  name: string;
  notes: string;
  imageUrl: string | null;
}

export interface Progress {
  (phase: string, done: number, total: number | null): void;
}

export interface StageResult {
  format: ImportFormat;
  file: string;
  rows: number;
  valid: number;
  invalidCount: number;
  invalid: RowProblem[];
  unknownColors: Map<string, number>;
  nonParts: Map<string, { type: string; itemId: string; rows: number }>;
  /** The stage's schema (an ATTACHed file); its rows are in `<table>.lots`. */
  table: string;
}
