// Runs once before the unit tests: builds the command line (out/cli/blockshelf.js) when it is
// missing or older than its sources, so the CLI tests run the JavaScript users run. `npm test`
// runs vitest before `electron-vite build`, and a fresh build takes about a second.
import { buildCliIfStale } from '../scripts/build-cli.mjs';

export default async function setup(): Promise<void> {
  await buildCliIfStale({ log: (m) => process.stdout.write(`${m}\n`) });
}
