// A separate BlockShelf process importing a file, for the fault-injection test:
//   import-child.ts DATA_DIR FILE
// It prints `applying` once the apply's worker has rows in its open transaction, `done N` at the end.
import { createCore } from '../../../src/main/core';

const [dataDir, file] = process.argv.slice(2);
const core = createCore({ dataDir: dataDir!, logToFile: false, processKind: 'test import' });
let said = false;
core.events.on('import.progress', (e) => {
  if (!said && e.phase === 'applying' && e.done > 0) {
    said = true;
    process.stdout.write('applying\n');
  }
});
const p = await core.transfer.preview(file!, { ownerId: 1, jobId: 'child' });
process.stdout.write(`ready ${p.lots}\n`);
const r = await core.transfer.apply('child', { canEdit: true });
process.stdout.write(`done ${r.created}\n`);
core.close();
