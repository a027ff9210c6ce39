// The one registry of picked files and folders: one token format, purposes that cannot stand in
// for each other, expiry after disuse, and a cap.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract, fileToken } from '../../../src/shared/contract';
import { createFileRegistry, FILE_PURPOSES } from '../../../src/main/files';
import { frozenClock } from '../../helpers';

describe('the file registry', () => {
  it('hands out one token format for every purpose, which the contract accepts everywhere', () => {
    const files = createFileRegistry();
    for (const purpose of FILE_PURPOSES) {
      const { token } = files.register(`/home/me/${purpose}`, purpose);
      expect(token).toMatch(/^f_[A-Za-z0-9_-]{24}$/);
      expect(fileToken.safeParse(token).success).toBe(true);
    }
    const token = files.register('/home/me/x.csv', 'read').token;
    expect(contract['import.detect'].input.safeParse({ file: token }).success).toBe(true);
    expect(contract['backup.restore'].input.safeParse({ fileToken: token }).success).toBe(true);
    expect(contract['backup.archive'].input.safeParse({ fileToken: token }).success).toBe(true);
    expect(contract['config.set'].input.safeParse({ backupFolder: token }).success).toBe(true);
    for (const p of ['/etc/passwd', '../blockshelf.db', 'C:\\Users\\me\\x.csv', 'x.csv'])
      expect(fileToken.safeParse(p).success).toBe(false);
  });

  it('resolves a token only for the purpose it was chosen for', () => {
    const files = createFileRegistry();
    const tokens = Object.fromEntries(FILE_PURPOSES.map((p) => [p, files.register(`/home/me/${p}`, p).token]));
    for (const want of FILE_PURPOSES) {
      for (const got of FILE_PURPOSES) {
        if (want === got) expect(files.resolve(tokens[got]!, want)).toBe(path.resolve(`/home/me/${got}`));
        else
          expect(() => files.resolve(tokens[got]!, want), `${got} token used for ${want}`).toThrow(
            expect.objectContaining({ code: expect.stringMatching(/^(forbidden|not-found)$/) }),
          );
      }
    }
    expect(() => files.resolve(tokens.read!, 'write')).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => files.resolve(tokens.archive!, 'restore')).toThrow(expect.objectContaining({ code: 'not-found' }));
    // The same path for another purpose is another token.
    expect(files.register('/home/me/read', 'write').token).not.toBe(tokens.read);
    expect(files.register('/home/me/read', 'read').token).toBe(tokens.read);
  });

  it('forgets a token unused for the expiry, and keeps one in use', () => {
    const now = frozenClock();
    const files = createFileRegistry({ now, ttlMs: 60_000 });
    const idle = files.register('/home/me/a.csv', 'read').token;
    const used = files.register('/home/me/b.csv', 'read').token;
    now.advance(50_000);
    files.resolve(used, 'read');
    now.advance(20_000);
    expect(files.resolve(used, 'read')).toBe(path.resolve('/home/me/b.csv'));
    expect(() => files.resolve(idle, 'read')).toThrow(expect.objectContaining({ code: 'not-found' }));
    // An expired path registered again gets a fresh token.
    expect(files.register('/home/me/a.csv', 'read').token).not.toBe(idle);
  });

  it('keeps at most its cap, dropping the least recently used', () => {
    const files = createFileRegistry({ max: 3 });
    const t = ['a', 'b', 'c'].map((n) => files.register(`/f/${n}`, 'read').token);
    files.resolve(t[0]!, 'read');
    files.register('/f/d', 'read');
    expect(() => files.resolve(t[1]!, 'read')).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(files.resolve(t[0]!, 'read')).toBe(path.resolve('/f/a'));
    files.forget(t[0]!);
    expect(() => files.resolve(t[0]!, 'read')).toThrow(expect.objectContaining({ code: 'not-found' }));
  });
});
