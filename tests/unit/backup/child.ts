// A separate BlockShelf process for the fault-injection and locking tests:
//   child.ts backup DATA_DIR            make one backup
//   child.ts restore DATA_DIR FILE      restore FILE (printing `progress PHASE PERCENT` lines)
//   child.ts hold DATA_DIR              keep the database open until killed
// It prints `ready` once the core is open and `done` when the work is finished.
import { createCore } from '../../../src/main/core';

const [mode, dataDir, file] = process.argv.slice(2);
const core = createCore({ dataDir: dataDir!, logToFile: false, processKind: `test ${mode}` });
process.stdout.write('ready\n');
try {
  if (mode === 'backup') {
    const b = await core.backup.create('manual');
    process.stdout.write(`done ${b.id}\n`);
  } else if (mode === 'restore') {
    core.events.on('backup.progress', (p) => process.stdout.write(`progress ${p.phase} ${p.percent}\n`));
    const r = await core.backup.restore({ path: file! });
    process.stdout.write(`done ${r.lots}\n`);
  } else if (mode === 'hold') {
    await new Promise(() => undefined);
  }
  core.close();
} catch (e) {
  process.stdout.write(`error ${(e as { code?: string }).code ?? ''} ${(e as Error).message}\n`);
  core.close();
  process.exitCode = 1;
}
