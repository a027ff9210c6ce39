// No module under src/ takes part in an import cycle (type-only imports included): enforced by
// dependency-cruiser in `npm run lint`, not by memory. Prove the rule fires on a real cycle in a
// src-like layout, stays quiet without one, and that the real src/ is clean.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers';

const config = path.join(repoRoot, '.dependency-cruiser.cjs');
const depcruiseBin = path.join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** Runs `depcruise src` exactly as `npm run lint` does, in `cwd`: its exit code and report. */
function depcruise(cwd: string): { code: number; report: string; cycles: string[] } {
  let code = 0;
  let report: string;
  try {
    report = execFileSync(process.execPath, [depcruiseBin, 'src', '--config', config], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { status: number; stdout: string };
    code = err.status;
    report = err.stdout;
  }
  // "error no-circular: a.ts → b.ts → a.ts": one entry per cycle, its modules sorted.
  const cycles = report
    .split(/\n\s*(?=error |warn |x |✔ )/)
    .filter((block) => block.trimStart().startsWith('error no-circular:'))
    .map((block) =>
      [
        ...new Set(
          block
            .replace('error no-circular:', '')
            .split('→')
            .map((m) => m.trim())
            .filter(Boolean),
        ),
      ]
        .sort()
        .join(' '),
    );
  return { code, report, cycles };
}

const made: string[] = [];
/** A throw-away project folder inside the repository, with files under src/. */
function project(files: Record<string, string>): string {
  const root = path.join(repoRoot, 'test-results');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(path.join(root, 'cycle-fixture-'));
  made.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('the import-cycle rule', () => {
  it('fires on two modules that import each other, even by type only', () => {
    const dir = project({
      'src/main/core.ts': "import type { Service } from './service/index';\nexport interface Core { service: Service }\n",
      'src/main/service/index.ts': "import type { Core } from '../core';\nexport interface Service { core: Core }\n",
    });
    const r = depcruise(dir);
    expect(r.code, r.report).not.toBe(0);
    expect(r.cycles).toEqual(['src/main/core.ts src/main/service/index.ts']);
  });

  it('fires on a longer cycle of value imports', () => {
    const dir = project({
      'src/a.ts': "import { b } from './b';\nexport const a = () => b();\n",
      'src/b.ts': "import { c } from './c';\nexport const b = () => c();\n",
      'src/c.ts': "import { a } from './a';\nexport const c = () => a;\n",
    });
    const r = depcruise(dir);
    expect(r.code, r.report).not.toBe(0);
    expect(r.cycles).toEqual(['src/a.ts src/b.ts src/c.ts']);
  });

  it('stays quiet when the shared types live in their own module', () => {
    const dir = project({
      'src/main/types.ts': 'export interface Core { n: number }\nexport interface Service { core: Core }\n',
      'src/main/core.ts': "import type { Service } from './types';\nexport const make = (s: Service) => s;\n",
      'src/main/service/index.ts': "import type { Core } from '../types';\nexport const use = (c: Core) => c.n;\n",
    });
    const r = depcruise(dir);
    expect(r.report).toMatch(/no dependency violations found \(3 modules, 2 dependencies/);
    expect([r.code, r.cycles]).toEqual([0, []]);
  });

  it('finds no cycle in the real src/', () => {
    const r = depcruise(repoRoot);
    expect(r.report).toMatch(/no dependency violations found/);
    expect([r.code, r.cycles]).toEqual([0, []]);
  });
});
