/** Incident bookmarks: a moment on one or more cameras that someone marked, and why. */

export interface BookmarkInput {
  cameraIds: string[];
  /** The marked moment, ms since epoch. */
  atMs: number;
  /** How much footage before and after the moment belongs to it (default 30 s each). */
  beforeMs: number;
  afterMs: number;
  title: string;
  notes: string;
  tags: string[];
  caseReference: string;
}

export interface Bookmark extends BookmarkInput {
  id: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** Its footage is under an evidence lock: retention keeps it until the lock is lifted. */
  locked: boolean;
}

export interface BookmarkQuery {
  /** Words in the title, notes or case reference. */
  text?: string;
  tag?: string;
  cameraId?: string;
  fromMs?: number;
  toMs?: number;
}
