/** The one setting that chooses the directory: the data folder's own files, or a PostgreSQL database the site shares. */
import type { Logger } from '../logger.js';
import type { Directory } from './directory.js';
import { openEmbeddedDirectory } from './embedded-directory.js';
import { openPostgresDirectory } from './postgres-directory.js';

export type DirectoryOptions = { dataDir: string } | { url: string };

export function openDirectory(options: DirectoryOptions, logger: Logger): Directory {
  return 'url' in options ? openPostgresDirectory(options.url, logger) : openEmbeddedDirectory(options.dataDir);
}
