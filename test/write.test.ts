import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFilesAtomically } from '../src/cli/write.js';
import { UserError } from '../src/library/problems.js';
import { ROOT } from './support/tools.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function dir(): string {
  const d = path.join(tmp, String(++n));
  mkdirSync(d);
  return d;
}
const bytes = (s: string) => new TextEncoder().encode(s);

describe('all-or-nothing writes', () => {
  it('puts back the files already replaced when a later rename fails, and leaves no temporary file', async () => {
    const d = dir();
    for (const f of ['a.docx', 'a.pdf', 'a.md']) writeFileSync(path.join(d, f), `old ${f}`);
    let calls = 0;
    const err = await writeFilesAtomically(
      ['a.docx', 'a.pdf', 'a.md'].map((f) => ({ path: path.join(d, f), bytes: bytes(`new ${f}`) })),
      {
        force: true,
        hooks: {
          rename: (from, to) => {
            if (++calls === 3) throw Object.assign(new Error('simulated'), { code: 'EIO' });
            renameSync(from, to);
          },
        },
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/cannot write .*a\.md \(EIO\)\. Nothing was written: 2 files already replaced were put back/);
    expect(readdirSync(d).sort()).toEqual(['a.docx', 'a.md', 'a.pdf']);
    for (const f of ['a.docx', 'a.pdf', 'a.md']) expect(readFileSync(path.join(d, f), 'utf8')).toBe(`old ${f}`);
  });

  it('removes a file it created when a later rename fails', async () => {
    const d = dir();
    let calls = 0;
    await expect(
      writeFilesAtomically(['x.md', 'x.html'].map((f) => ({ path: path.join(d, f), bytes: bytes(f) })), {
        hooks: {
          rename: (from, to) => {
            if (++calls === 2) throw Object.assign(new Error('simulated'), { code: 'ENOSPC' });
            renameSync(from, to);
          },
        },
      }),
    ).rejects.toThrow(/Nothing was written: 1 file already replaced was put back/);
    expect(readdirSync(d)).toEqual([]);
  });

  it('with --force and one target a folder, refuses before replacing anything', async () => {
    const d = dir();
    writeFileSync(path.join(d, 'a.docx'), 'old');
    mkdirSync(path.join(d, 'a.pdf'));
    await expect(writeFilesAtomically([{ path: path.join(d, 'a.docx'), bytes: bytes('new') }, { path: path.join(d, 'a.pdf'), bytes: bytes('new') }], { force: true })).rejects.toThrow(
      /a\.pdf is a folder.*nothing was written/,
    );
    expect(readFileSync(path.join(d, 'a.docx'), 'utf8')).toBe('old');
    expect(readdirSync(d).sort()).toEqual(['a.docx', 'a.pdf']);
  });

  it('counts a dangling symlink as an existing file', async () => {
    const d = dir();
    symlinkSync(path.join(d, 'nowhere'), path.join(d, 'a.md'));
    await expect(writeFilesAtomically([{ path: path.join(d, 'a.md'), bytes: bytes('new') }], { force: false })).rejects.toThrow(/a\.md already exists; nothing was written/);
    expect(readdirSync(d)).toEqual(['a.md']);
    expect(existsSync(path.join(d, 'nowhere'))).toBe(false);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('removes its temporary files on %s while writing', (signal) => {
    const d = dir();
    const script = `
      import { writeFilesAtomically } from ${JSON.stringify(path.join(ROOT, 'dist/cli/write.js'))};
      await writeFilesAtomically([1, 2, 3].map((i) => ({ path: ${JSON.stringify(d)} + '/f' + i + '.md', bytes: new Uint8Array(1000) })), {
        hooks: { afterTempsWritten: () => { process.kill(process.pid, '${signal}'); return new Promise((r) => setTimeout(r, 10000)); } },
      });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DATAKLAUSUL_LANG: 'en' } });
    expect(r.status).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(r.stderr).toContain(`interrupted (${signal}); nothing was written`);
    expect(readdirSync(d)).toEqual([]);
  });
});
