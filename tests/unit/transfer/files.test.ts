import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import { queuedDesktop } from '../../../src/main/desktop';
import type { FileRef, ImportDetection } from '../../../src/shared/contract';
import { cleanup, fixture, newCore, ok } from './helpers';

let core: Core;
beforeEach(() => {
  core = newCore();
});
afterEach(() => core.close());
afterAll(cleanup);

describe('files picked in a dialog', () => {
  it('hands out a token for the picked file, never the path; a cancelled dialog gives null', async () => {
    const desktop = queuedDesktop();
    desktop.queueOpen([fixture('blockshelf.csv')]);
    desktop.queueOpen(null);
    core.close();
    core = newCore({ desktop });
    const ref = ok<FileRef>(await core.invoke('files.pickImport', {}));
    expect(ref).toMatchObject({ name: 'blockshelf.csv', size: expect.any(Number) });
    expect(JSON.stringify(ref)).not.toContain('fixtures');
    expect(ok<ImportDetection>(await core.invoke('import.detect', { file: ref.token })).format).toBe('blockshelf-csv');
    expect(ok(await core.invoke('files.pickImport', {}))).toBeNull();
  });

  it('says so when there is no dialog (the CLI)', async () => {
    const r = await core.invoke('files.pickExport', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'unsupported-format' } });
  });
});
