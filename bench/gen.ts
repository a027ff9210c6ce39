// Generates (or finds cached) benchmark databases: `npx tsx bench/gen.ts 10000 100000 1000000`.
import { generatedDb } from './generate';

for (const n of process.argv.slice(2).map(Number)) {
  const g = generatedDb(n, (s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`${g.file}${g.cached ? ' (cached)' : ''}\n`);
}
