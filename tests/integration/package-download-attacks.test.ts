/**
 * The package download (/media/packages/<folder>.zip) attacked by someone who can write in the
 * exports folder or holds a link: the zip carries only what lies in the package folder, never what a
 * link or a swapped folder points at, and only to a signed-in person who may export.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageDownloadPath } from '../../shared/evidence.js';
import { PACKAGE_LIMITS } from '../../electron/core/evidence/package-verifier.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';

let h: TestHost;
let exportsDir: string;
/** Outside the exports folder: what an attacker would like the zip to carry. */
let outside: string;
const SECRET = 'SECRET-camera-password-hunter2';

beforeAll(async () => {
  h = await startTestHost();
  exportsDir = join(h.dataDir, 'exports');
  mkdirSync(exportsDir, { recursive: true });
  outside = mkdtempSync(join(tmpdir(), 'watchroom-outside-'));
});

afterAll(async () => {
  await h?.close();
  rmSync(outside, { recursive: true, force: true });
});

/** A folder in the exports named like a package, holding `files` (name → bytes). */
function packageFolder(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(exportsDir, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(dir, file), bytes);
  return dir;
}

const link = (token: string, name: string) => h.core.api(token).mediaLink({ path: packageDownloadPath(name) });

/** All the bytes a download delivered before it ended, whether it ended whole or was cut off. */
async function received(res: Response): Promise<{ bytes: Buffer; whole: boolean }> {
  const chunks: Buffer[] = [];
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(chunks), whole: true };
      chunks.push(Buffer.from(value));
    }
  } catch {
    return { bytes: Buffer.concat(chunks), whole: false };
  }
}

describe('package download attacks', () => {
  it('leaves out links to files and folders outside the package', async () => {
    writeFileSync(join(outside, 'camera-secrets.json'), SECRET);
    const dir = packageFolder('WR-LINKS-1', { 'manifest.json': '{"caseReference":"LINKS"}', 'SHA256SUMS': 'x' });
    symlinkSync(join(outside, 'camera-secrets.json'), join(dir, 'secrets.json'));
    symlinkSync(outside, join(dir, 'more'));
    const res = await fetch(`${h.baseUrl}${await link(h.token, 'WR-LINKS-1')}`);
    expect(res.status).toBe(200);
    const zip = Buffer.from(await res.arrayBuffer());
    expect(zip.includes(SECRET)).toBe(false);
    const zipFile = join(outside, 'links.zip');
    writeFileSync(zipFile, zip);
    expect(execFileSync('unzip', ['-Z1', zipFile], { encoding: 'utf8' }).trim().split('\n').sort()).toEqual(['WR-LINKS-1/SHA256SUMS', 'WR-LINKS-1/manifest.json']);
  });

  it('leaves out a file with other names on disk (a hard link to one outside the package)', async () => {
    writeFileSync(join(outside, 'credentials.json'), SECRET);
    const dir = packageFolder('WR-HARDLINK-1', { 'manifest.json': '{}' });
    linkSync(join(outside, 'credentials.json'), join(dir, 'notes.txt'));
    const res = await fetch(`${h.baseUrl}${await link(h.token, 'WR-HARDLINK-1')}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).includes(SECRET)).toBe(false);
  });

  it('refuses a folder no export makes (too many files, too deep) before reading it, in a sentence', async () => {
    const many = packageFolder('WR-MANY-1', {});
    for (let i = 0; i <= PACKAGE_LIMITS.entries; i++) writeFileSync(join(many, `f${i}`), '');
    const deep = packageFolder('WR-DEEP-1', {});
    mkdirSync(join(deep, ...Array.from({ length: PACKAGE_LIMITS.depth + 2 }, (_, i) => `d${i}`)), { recursive: true });
    for (const name of ['WR-MANY-1', 'WR-DEEP-1']) {
      const res = await fetch(`${h.baseUrl}${await link(h.token, name)}`);
      expect(res.status, name).toBe(422);
      expect(await res.text(), name).toMatch(/^WR-(MANY|DEEP)-1 is not a package made here: it holds more than 10000 files and folders, or lies more than 8 folders deep\.$/);
    }
  });

  it('a package folder swapped for a link while its zip is sent cuts the download off instead of sending what the link points at', async () => {
    // A large first file holds the download open (the response waits for the reader) while the folder is swapped.
    const big = Buffer.alloc(64 << 20, 7);
    const manifest = '{"caseReference":"SWAP","padding":"0123456789"}';
    packageFolder('WR-SWAP-1', { 'a-big.bin': big, 'manifest.json': manifest });
    // What the attacker put in its place: the same names, the same sizes, other bytes.
    const decoy = join(outside, 'decoy');
    mkdirSync(decoy);
    writeFileSync(join(decoy, 'a-big.bin'), big);
    writeFileSync(join(decoy, 'manifest.json'), SECRET.padEnd(manifest.length, '!'));

    const res = await fetch(`${h.baseUrl}${await link(h.token, 'WR-SWAP-1')}`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    renameSync(join(exportsDir, 'WR-SWAP-1'), join(outside, 'WR-SWAP-1-moved'));
    symlinkSync(decoy, join(exportsDir, 'WR-SWAP-1'));
    reader.releaseLock();
    const rest = await received(res);
    const bytes = Buffer.concat([Buffer.from(first.value!), rest.bytes]);
    expect(bytes.includes(SECRET)).toBe(false);
    expect(rest.whole).toBe(false);
  });

  it('a file replaced by a link to one outside while the zip is sent cuts the download off', async () => {
    const big = Buffer.alloc(64 << 20, 9);
    const sums = 'f'.repeat(SECRET.length);
    const dir = packageFolder('WR-SWAP-2', { 'a-big.bin': big, 'z-SHA256SUMS': sums });
    writeFileSync(join(outside, 'same-size-secret'), SECRET);
    const res = await fetch(`${h.baseUrl}${await link(h.token, 'WR-SWAP-2')}`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    renameSync(join(dir, 'z-SHA256SUMS'), join(outside, 'sums-moved'));
    symlinkSync(join(outside, 'same-size-secret'), join(dir, 'z-SHA256SUMS'));
    reader.releaseLock();
    const rest = await received(res);
    expect(Buffer.concat([Buffer.from(first.value!), rest.bytes]).includes(SECRET)).toBe(false);
    expect(rest.whole).toBe(false);
  });

  it('a file changed while it is zipped: the zip never claims a checksum its bytes do not have', async () => {
    const big = Buffer.alloc(64 << 20, 3);
    const dir = packageFolder('WR-CHANGED-1', { 'a-big.bin': big, 'b-video.mp4': Buffer.alloc(1 << 20, 1) });
    const res = await fetch(`${h.baseUrl}${await link(h.token, 'WR-CHANGED-1')}`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    // Rewritten in place, same size, other bytes: not a new file, so only the CRC can tell.
    writeFileSync(join(dir, 'b-video.mp4'), Buffer.alloc(1 << 20, 2));
    reader.releaseLock();
    const rest = await received(res);
    const zipFile = join(outside, 'changed.zip');
    writeFileSync(zipFile, Buffer.concat([Buffer.from(first.value!), rest.bytes]));
    // The same file (changed in place) is sent as it reads then; unzip -t checks each entry's bytes against its CRC.
    expect(rest.whole).toBe(true);
    expect(() => execFileSync('unzip', ['-tq', zipFile], { encoding: 'utf8' })).not.toThrow();
    execFileSync('unzip', ['-q', '-o', zipFile, '-d', join(outside, 'changed')]);
    expect(readFileSync(join(outside, 'changed', 'WR-CHANGED-1', 'b-video.mp4'))[0]).toBe(2);
  });

  it('a link stops working once its person signs out, is locked or disabled; a link for someone who may not export is refused', async () => {
    for (const end of ['sign-out', 'lock', 'disable'] as const) {
      packageFolder('WR-ENDS-1', { 'manifest.json': '{}' });
      const person = await h.as(`downloader-${end}`, 'investigator');
      const path = await link(person.token, 'WR-ENDS-1');
      expect((await fetch(`${h.baseUrl}${path}`)).status, end).toBe(200);
      if (end === 'sign-out') await person.api.signOut();
      else if (end === 'lock') await person.api.lockSession({ why: 'by-hand' });
      else {
        const id = (await h.api.listPeople()).find((p) => p.name === person.name)!.id;
        await h.api.updatePerson({ id, changes: { disabled: true } });
      }
      const after = await fetch(`${h.baseUrl}${path}`);
      expect(after.status, end).toBe(401);
    }
    const operator = await h.as('downloader-operator', 'operator');
    expect((await fetch(`${h.baseUrl}${await link(operator.token, 'WR-ENDS-1')}`)).status).toBe(403);
  });

  it('a download under way stops when its person is disabled', async () => {
    packageFolder('WR-DISABLED-1', { 'a-big.bin': Buffer.alloc(64 << 20, 5), 'manifest.json': '{}' });
    const person = await h.as('downloader-cut-off', 'investigator');
    const res = await fetch(`${h.baseUrl}${await link(person.token, 'WR-DISABLED-1')}`);
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    const id = (await h.api.listPeople()).find((p) => p.name === person.name)!.id;
    await h.api.updatePerson({ id, changes: { disabled: true } });
    reader.releaseLock();
    expect((await received(res)).whole).toBe(false);
  });

  it('refuses names that are not a package folder’s, and names the folder safely in the header', async () => {
    packageFolder('.partial-WR-X', { 'manifest.json': '{}' });
    for (const bad of ['%2e%2e', '%2E%2E%2Fetc', '..%5C..%5Caudit.jsonl', 'WR%00x', '.partial-WR-X', 'WR-%22%0D%0AX-Injected%3A%201', 'WR-%C3%A9t%C3%A9', 'W'.repeat(300)]) {
      const res = await fetch(`${h.baseUrl}${await link(h.token, decodeURIComponent(bad))}`);
      expect(res.status, bad).toBe(404);
      expect(res.headers.get('x-injected'), bad).toBeNull();
    }
  });
});
