import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  privateTempFolder,
  privateTempSubfolder,
  writePrivateFile,
} from '../../../src/store/private-temp.js';

const base = () => mkdtempSync(join(tmpdir(), 'private-temp-'));
const own = (folder: string) => join(folder, `mcp-lock-${process.getuid?.() ?? 'user'}`);

describe('privateTempFolder', () => {
  it('makes a folder only its user can enter, and finds it again', () => {
    const folder = base();
    expect(privateTempFolder(folder)).toBe(own(folder));
    if (process.platform !== 'win32') expect(statSync(own(folder)).mode & 0o777).toBe(0o700);
    expect(privateTempFolder(folder)).toBe(own(folder));
    expect(privateTempSubfolder('a/b', folder)).toBe(join(own(folder), 'a', 'b'));
    expect(statSync(join(own(folder), 'a', 'b')).isDirectory()).toBe(true);
  });

  it.runIf(process.platform !== 'win32')('refuses a folder others can write to', () => {
    const folder = base();
    mkdirSync(own(folder));
    chmodSync(own(folder), 0o777);
    expect(privateTempFolder(folder)).toBeUndefined();
    expect(privateTempSubfolder('x', folder)).toBeUndefined();
    expect(readdirSync(own(folder))).toEqual([]);
  });

  it.runIf(process.platform !== 'win32')('refuses a link, and writes nothing where it points', () => {
    const folder = base();
    const elsewhere = base();
    symlinkSync(elsewhere, own(folder));
    expect(privateTempFolder(folder)).toBeUndefined();
    expect(privateTempSubfolder('x', folder)).toBeUndefined();
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('goes without when the folder cannot be made', () => {
    expect(privateTempFolder(join(base(), 'missing', 'deeper'))).toBeUndefined();
  });
});

describe('writePrivateFile', () => {
  it('writes through a temporary name, and leaves nothing behind when it cannot', () => {
    const folder = privateTempSubfolder('files', base())!;
    writePrivateFile(join(folder, 'a.json'), '{"a":1}');
    expect(readFileSync(join(folder, 'a.json'), 'utf8')).toBe('{"a":1}');
    if (process.platform !== 'win32') expect(statSync(join(folder, 'a.json')).mode & 0o777).toBe(0o600);
    // The target is a folder that is not empty: the rename fails after the temporary file was written.
    mkdirSync(join(folder, 'b.json'));
    writeFileSync(join(folder, 'b.json', 'keep'), '');
    writePrivateFile(join(folder, 'b.json'), 'x');
    expect(readdirSync(folder).sort()).toEqual(['a.json', 'b.json']);
  });
});
