// Label PDFs are drawn in a worker thread, so the thread that answers calls never waits for
// pdf-lib (parsing and subsetting the font, drawing thousands of labels, writing the file). The
// worker is plain JavaScript evaluated from a string (like backup/worker.ts): the drawing
// function's own source, with pdf-lib and fontkit required by the paths this module resolves.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { drawLabelsPdf, type DrawInput } from './draw';

const requireHere = createRequire(import.meta.url);

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const __name = (f) => f; // some transpilers name functions through a helper of this name
const draw = (${drawLabelsPdf.toString()});
draw(require(workerData.pdfLib), require(workerData.fontkit), workerData.input).then(
  (bytes) => parentPort.postMessage({ type: 'result', bytes }, [bytes.buffer]),
  (e) => parentPort.postMessage({ type: 'error', message: String((e && e.message) || e) }),
);
`;

/** The PDF's bytes, drawn in a worker (or here, where no worker can start). */
export async function drawInWorker(input: DrawInput): Promise<Uint8Array> {
  let paths: { pdfLib: string; fontkit: string };
  try {
    paths = { pdfLib: requireHere.resolve('pdf-lib'), fontkit: requireHere.resolve('@pdf-lib/fontkit') };
  } catch {
    return drawHere(input);
  }
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...paths, input } });
  } catch {
    return drawHere(input);
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    let settled = false;
    // A worker that cannot load the libraries (an unusual install) draws here instead.
    const fallBack = () => {
      if (settled) return;
      settled = true;
      drawHere(input).then(resolve, reject);
    };
    worker.on('message', (m: { type: string; bytes?: Uint8Array; message?: string }) => {
      if (settled) return;
      settled = true;
      if (m.type === 'result' && m.bytes) resolve(m.bytes);
      else reject(new Error(`the labels could not be drawn: ${m.message ?? 'no answer'}`));
      void worker.terminate();
    });
    worker.on('error', fallBack);
    worker.on('exit', fallBack);
  });
}

async function drawHere(input: DrawInput): Promise<Uint8Array> {
  const [lib, fontkit] = await Promise.all([import('pdf-lib'), import('@pdf-lib/fontkit')]);
  return drawLabelsPdf(lib, fontkit.default, input);
}
