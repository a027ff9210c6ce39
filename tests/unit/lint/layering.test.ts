// The layering rules are enforced by ESLint, not by memory: prove the rule fires.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers';

const eslint = new ESLint({ cwd: repoRoot });

async function messages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering rules', () => {
  it('refuses electron in the core', async () => {
    const m = await messages('src/main/inventory/bad.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(m.join('\n')).toMatch(/no-restricted-imports: .*Only src\/main\/index.ts/);
  });

  it('allows electron in the Electron shell and the preload', async () => {
    for (const file of ['src/main/electron/ok.ts', 'src/main/index.ts', 'src/preload/ok.ts']) {
      expect(await messages(file, "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
    }
  });

  it('keeps src/shared free of Node and database modules', async () => {
    expect((await messages('src/shared/bad.ts', "import fs from 'node:fs';\nexport const x = fs;\n")).join()).toMatch(
      /no-restricted-imports/,
    );
    expect((await messages('src/shared/bad.ts', "import path from 'path';\nexport const x = path;\n")).join()).toMatch(
      /no-restricted-imports/,
    );
    expect((await messages('src/shared/bad.ts', "import { app } from 'electron';\nexport const x = app;\n")).join()).toMatch(
      /no-restricted-imports/,
    );
  });

  it('keeps the renderer away from main-process code', async () => {
    const m = await messages('src/renderer/bad.ts', "import { createCore } from '../main/core';\nexport const x = createCore;\n");
    expect(m.join()).toMatch(/no-restricted-imports/);
  });
});
