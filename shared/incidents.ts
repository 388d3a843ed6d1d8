/** Incident bookmarks: a moment on one or more cameras that someone marked, and why (shapes from the schemas). */
import type { z } from 'zod';
import type { bookmarkSchema } from './entities.js';
import type { bookmarkInputSchema } from './schemas.js';
import type { ApiArg } from './contract.js';

export type BookmarkInput = z.infer<typeof bookmarkInputSchema>;
export type Bookmark = z.infer<typeof bookmarkSchema>;
export type BookmarkQuery = ApiArg<'listBookmarks'>;
