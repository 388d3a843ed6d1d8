/**
 * A package made here, downloaded as one zip (the browser shell: a page cannot be handed a folder).
 * The zip holds the package folder as it lies on disk, so after unzipping, `sha256sum -c SHA256SUMS`
 * inside it checks every file. It is streamed as it is read: no copy of the package in memory or on
 * disk, ZIP64 past 4 GB, every file stored as it is (the video is compressed already, and stored
 * entries give the zip's length before it is sent, so the browser shows progress). A download is
 * a disclosure: only people who may export get it, and the ledger records each one, or it does not
 * happen.
 */
import { closeSync, constants, createReadStream, type Dirent, existsSync, fstatSync, lstatSync, opendirSync, openSync, readlinkSync, realpathSync, type ReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { can } from '../../../shared/roles.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { MediaRoute } from '../feature-module.js';
import { sendText } from '../http-reply.js';
import type { Logger } from '../logger.js';
import { sha256File } from '../recording/file-hash.js';
import { MANIFEST, SUMS } from './package-files.js';
import { PACKAGE_LIMITS } from './package-verifier.js';

/** A package folder's name as exports make it (WR-<case>-<time>); no dot first, so never `.partial-*`. */
const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

interface PackageFile {
  /** Inside the zip: the folder's name, then the path inside it, with `/`. */
  zipPath: string;
  file: string;
  size: number;
  mtime: Date;
  /** Which file it was when listed: the one read must be the same, not whatever lies at its path by then. */
  dev: bigint;
  ino: bigint;
}

/**
 * Every regular file under `folder`, sorted; anything else (a link, a pipe) is left out, never
 * followed, and so is a file with other names on disk (a hard link to one elsewhere): an export
 * writes each file anew, so its files have no other name. Null for a folder no export makes (more
 * entries or depth than the verifier reads): the listing runs on the host's thread and must not hold it up.
 */
function packageFiles(folder: string, name: string): PackageFile[] | null {
  const files: PackageFile[] = [];
  let entries = 0;
  const walk = (dir: string, zipDir: string, depth: number): boolean => {
    const listed: Dirent[] = [];
    const handle = opendirSync(dir);
    try {
      for (let entry = handle.readSync(); entry; entry = handle.readSync()) {
        if (++entries > PACKAGE_LIMITS.entries) return false;
        listed.push(entry);
      }
    } finally {
      handle.closeSync();
    }
    for (const entry of listed.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth >= PACKAGE_LIMITS.depth || !walk(path, `${zipDir}/${entry.name}`, depth + 1)) return false;
      } else if (entry.isFile()) {
        const stat = lstatSync(path, { bigint: true });
        if (stat.isFile() && stat.nlink === 1n) files.push({ zipPath: `${zipDir}/${entry.name}`, file: path, size: Number(stat.size), mtime: stat.mtime, dev: stat.dev, ino: stat.ino });
      }
    }
    return true;
  };
  return walk(folder, name, 0) ? files : null;
}

/** Where an open file really lies, on Linux; null where the system does not say. */
const PROC_FD = '/proc/self/fd';
const openedPath = (fd: number) => (existsSync(PROC_FD) ? readlinkSync(`${PROC_FD}/${fd}`) : null);

/**
 * Opens a listed file for the zip, refusing anything else by then: someone who can write in the
 * exports folder may swap the folder or a file for a link between the listing and the read (which
 * comes only as the zip reaches it), and the zip must not carry what the link points at.
 */
function openListed(f: PackageFile, realFile: string): number {
  const fd = openSync(f.file, constants.O_RDONLY | constants.O_NOFOLLOW);
  const stat = fstatSync(fd, { bigint: true });
  const where = openedPath(fd);
  if (stat.isFile() && stat.nlink === 1n && stat.dev === f.dev && stat.ino === f.ino && (where === null || where === realFile)) return fd;
  closeSync(fd);
  throw new Error(`${f.zipPath} changed into another file while the package was being sent`);
}

/** /media/packages/<folder name>.zip (packageDownloadPath) */
export function packageDownloadRoute(deps: { exportsDir: string; ledger: AuditLedger; logger: Logger }): MediaRoute {
  return {
    pattern: /^\/media\/packages\/([^/]+)\.zip$/,
    async serve({ person, req, res }, match) {
      if (!can(person.role, 'evidence.export')) return sendText(res, 403, 'Downloading an evidence package needs the permission to export evidence (investigators and administrators).');
      let name: string;
      try {
        name = decodeURIComponent(match[1]!);
      } catch {
        name = '';
      }
      if (!PACKAGE_NAME.test(name)) return sendText(res, 404, 'That is not the name of an evidence package.');
      const folder = join(deps.exportsDir, name);
      const stat = (() => {
        try {
          return lstatSync(folder);
        } catch {
          return null;
        }
      })();
      if (!stat?.isDirectory()) return sendText(res, 404, `There is no package ${name} in this workstation’s exports; it may have been moved or deleted.`);
      const headers = { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${name}.zip"`, 'Cache-Control': 'no-store' };
      if (req.method === 'HEAD') return (res.writeHead(200, headers), void res.end());
      // A disclosure the ledger cannot record does not happen (as for exports).
      const ledger = deps.ledger.status();
      if (ledger.state !== 'ok') return sendText(res, 503, `Downloads wait until the audit ledger can be written again (${ledger.problem}).`);

      const files = packageFiles(folder, name);
      if (!files) return sendText(res, 422, `${name} is not a package made here: it holds more than ${PACKAGE_LIMITS.entries} files and folders, or lies more than ${PACKAGE_LIMITS.depth} folders deep.`);
      // The folder as it must really lie: a listing made through a link swapped in meanwhile is caught at each file's opening.
      const realFolder = join(realpathSync(deps.exportsDir), name);
      // What names the package in the ledger; a damaged manifest still downloads (verification will say what is wrong).
      const manifest: { packageId?: string; caseReference?: string } = await readFile(join(folder, MANIFEST), 'utf8')
        .then((text) => JSON.parse(text) as object)
        .catch(() => ({}));
      deps.ledger.append({ name: person.name, role: person.role }, 'evidence.download', manifest.caseReference ?? name, {
        package: name,
        packageId: manifest.packageId ?? null,
        files: files.length,
        bytes: files.reduce((sum, f) => sum + f.size, 0),
        sha256sumsSha256: await sha256File(join(folder, SUMS)).catch(() => null),
      });

      sendZip(res, files, { name, realFolder, headers, logger: deps.logger });
    },
  };
}

/** Streams the listed files as a stored zip, each opened only if it is still the file listed. */
function sendZip(res: ServerResponse, files: PackageFile[], ctx: { name: string; realFolder: string; headers: Record<string, string>; logger: Logger }): void {
  const { name, realFolder, headers } = ctx;
  const zip = new ZipFile();
  // Opened one at a time as the zip reaches them, and closed if the download stops half way.
  const open = new Set<ReadStream>();
  /** The download stops (the person left, a file vanished or changed size): the response is cut off, never the host. */
  let stopped = false;
  const stop = (error: unknown) => {
    if (stopped) return;
    stopped = true;
    for (const stream of open) stream.destroy();
    (zip.outputStream as Readable).destroy();
    if (res.writableFinished) return;
    ctx.logger.log('warn', 'evidence.download-stopped', { package: name, error: String(error) });
    if (!res.headersSent) sendText(res, 500, 'The package could not be read for the download.');
    else res.destroy();
  };
  zip.on('error', stop);
  for (const f of files) {
    zip.addReadStreamLazy(f.zipPath, { compress: false, size: f.size, mtime: f.mtime, mode: 0o100644 }, (give) => {
      let fd: number;
      try {
        fd = openListed(f, join(realFolder, f.zipPath.slice(name.length + 1)));
      } catch (error) {
        return give(error, undefined as never);
      }
      const stream = createReadStream('', { fd });
      open.add(stream);
      stream.on('close', () => open.delete(stream)).on('error', stop);
      give(null, stream);
    });
  }
  // @types/yazl leaves out the callback's argument: the zip's length, -1 if unknown (never, as all is stored).
  const whenSized = (size: number) => {
    res.writeHead(200, { ...headers, ...(size >= 0 ? { 'Content-Length': String(size) } : {}) });
    pipeline(zip.outputStream, res).catch(stop);
  };
  zip.end(undefined, whenSized as () => void);
}
