// Handlers of pictures and labels: the picture settings, and label PDFs saved to a file picked in
// the save dialog (a token) or sent to the desktop's print dialog.
import { AppError } from '../../shared/errors';
import type { DesktopHost } from '../desktop';
import type { FileRegistry } from '../files';
import type { LabelsService } from '../labels/service';
import type { PictureService } from '../pictures/service';
import type { Handlers } from './types';

type PictureKeys = 'pictures.settings' | 'pictures.configure' | 'pictures.clear';
type LabelKeys = 'labels.preview' | 'labels.pickSave' | 'labels.create' | 'labels.print';

export interface PictureHandlerServices {
  readonly pictures: PictureService;
  readonly labels: LabelsService;
  readonly files: FileRegistry;
  readonly desktop: DesktopHost | null;
}

export function pictureHandlers(s: PictureHandlerServices): Pick<Handlers, PictureKeys | LabelKeys> {
  return {
    'pictures.settings': () => s.pictures.status(),
    'pictures.configure': (patch) =>
      s.pictures.configure({
        ...(patch.fetch !== undefined ? { fetch: patch.fetch } : {}),
        ...(patch.limitMb !== undefined ? { limitMb: patch.limitMb } : {}),
      }),
    'pictures.clear': () => s.pictures.clear(),

    'labels.preview': ({ selection, layout }) => s.labels.preview(selection, layout),
    'labels.pickSave': async ({ suggestedName }) => {
      if (!s.desktop) throw new AppError('unsupported-format', 'No file dialog is available here.');
      const file = await s.desktop.saveFile({
        title: 'Save labels',
        suggestedName: suggestedName ?? 'labels.pdf',
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
      });
      return file ? s.files.register(file, 'write') : null;
    },
    'labels.create': ({ selection, layout, file }) => s.labels.write(selection, layout, s.files.resolve(file, 'write')),
    'labels.print': async ({ selection, layout }) => {
      const print = s.desktop?.printPdf;
      if (!print)
        throw new AppError(
          'unsupported-format',
          'Printing is only available in the desktop app; save the labels as a PDF instead.',
        );
      const job = await s.labels.forPrint(selection, layout);
      try {
        return { ...job.result, printed: await print.call(s.desktop, job.file) };
      } finally {
        job.done();
      }
    },
  };
}
