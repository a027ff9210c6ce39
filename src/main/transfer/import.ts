// The import pipeline: detect → read (streamed, one source per format) → check every row →
// stage → preview (these four in the read worker) → apply (in the apply worker). Each step is its own module under importing/; this is the surface
// the service (and the tests of the bulk path) use.
export { detect } from './importing/detect';
export { checkRow } from './importing/checks';
export { dropStage, MAX_REPORTED_PROBLEMS } from './importing/stage';
export { detectInWorker, previewInWorker, readAndPreview, stageFile } from './importing/reading';
export {
  applyStage,
  BULK_FTS_MIN_LOTS,
  BULK_INDEX_MIN_LOTS,
  BULK_INDEX_MIN_SHARE,
  droppableIndexes,
  type ApplyCounts,
  type SavedIndex,
} from './importing/apply';
export type { CheckedLot, Progress, ReadOptions, StageResult } from './importing/types';
export type { ImportResult } from '../../shared/contract';
