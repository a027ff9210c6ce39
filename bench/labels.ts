// Label PDFs: `npx tsx bench/labels.ts [-- --labels=5000]`. Makes a sheet of N labels through
// the core (labels.make: query, layout, pdf-lib with the embedded font) and reports the wall
// time and the longest stretch the thread was not free to answer calls (a 5 ms timer's lateness).
import { makeCore, cleanupTempDirs } from '../tests/helpers';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const N = Number(arg('labels') ?? 5000);
const core = makeCore();
try {
  const access = core.access();
  const insert = core.db.sqlite.transaction(() => {
    for (let i = 0; i < N; i++) {
      core.inventory.create(
        access,
        {
          partId: `b${i}`,
          colorId: [0, 1, 4, 14, 15, 71, 72][i % 7]!,
          quantityTotal: 1,
          storageLocation: 'Bench',
          name: `Bench part ${i} with a name of some length`,
        },
        'reject',
      );
    }
  });
  insert();
  // What the machine alone does to a 5 ms timer, for comparison.
  {
    let worst = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const t = performance.now();
      worst = Math.max(worst, t - last - 5);
      last = t;
    }, 5);
    await new Promise((r) => setTimeout(r, 3000));
    clearInterval(probe);
    process.stdout.write(`idle: longest stall of the timer alone over 3 s ${worst.toFixed(0)} ms\n`);
  }
  for (const layout of ['avery-5167', 'a4-24', 'roll-62mm'] as const) {
    let worst = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const t = performance.now();
      worst = Math.max(worst, t - last - 5);
      last = t;
    }, 5);
    const t0 = performance.now();
    const pdf = await core.labels.make({ location: 'Bench' }, layout);
    const ms = performance.now() - t0;
    clearInterval(probe);
    process.stdout.write(
      `${layout}: ${N} labels, ${pdf.pages} pages, ${(pdf.bytes.length / 1024).toFixed(0)} KB in ${ms.toFixed(0)} ms; longest stall ${worst.toFixed(0)} ms\n`,
    );
  }
} finally {
  core.close();
  cleanupTempDirs();
}
