/**
 * The directory: what several Watchroom processes of one site share (people, bookmarks, privacy
 * masks, disclosure requests; cameras and their recorders, leases, presets). One interface, two
 * implementations chosen by one setting: the embedded directory (SQLite files in the data folder,
 * the single-machine default) and PostgreSQL (`--directory postgres://…`). Every repository is
 * async, whichever implementation serves it, and `onChange` tells of changes made by any process,
 * so every view reloads what another workstation changed. open-directory.ts picks the implementation.
 */
import type { Bookmark, BookmarkInput, BookmarkQuery } from '../../../shared/incidents.js';
import type { LeaseStore } from '../recorders/lease-store.js';
import type { CameraTable } from '../recorders/site-cameras.js';
import type { CoverageTable } from '../recorders/coverage.js';
import type { CheckpointAnchor } from '../audit/ledger-checkpoints.js';
import type { MaskVersionRepository } from '../masks/mask-versions.js';
import type { PeopleRepository } from '../people/people-store.js';
import type { PresetRepository } from '../wall/preset-store.js';
import type { DisclosureRepository } from '../disclosure/disclosure-repository.js';
import type { EntryCopyTable } from '../disclosure/register-copies.js';
import type { AdmissionTable } from '../recorders/site-admission.js';
import type { Emitter } from '../emitter.js';

/** What a change notice is about; a view listens to the topics it shows. */
/** `coverage` is written without a notice (every camera, every minute): nobody listens for it. */
export const DIRECTORY_TOPICS = ['bookmarks', 'masks', 'people', 'disclosures', 'presets', 'admissions', 'nodes', 'leases', 'cameras', 'coverage'] as const;
export type DirectoryTopic = (typeof DIRECTORY_TOPICS)[number];

export interface DirectoryChange {
  topic: DirectoryTopic;
  /** The row that changed; absent when anything of the topic may have (after the directory was out of reach). */
  id?: string;
}

/**
 * A rule a write must meet, checked against the bookmark as it is when written (another workstation
 * may have changed it since it was read), atomically with the write; it refuses by throwing, and
 * nothing is written.
 */
export type BookmarkCheck = (current: Bookmark) => void;

export interface BookmarkRepository {
  get(id: string): Promise<Bookmark | null>;
  insert(bookmark: Bookmark): Promise<void>;
  /** The bookmark as changed, or null when there is none with that id. */
  update(id: string, changes: Partial<BookmarkInput> & { locked?: boolean }, now: number, check?: BookmarkCheck): Promise<Bookmark | null>;
  delete(id: string, check?: BookmarkCheck): Promise<void>;
  /**
   * Newest moment first, at most 500. Text matches title, notes or case reference, case-insensitively
   * (`%` and `_` are themselves); a tag matches case-insensitively; the range is [fromMs, toMs).
   */
  search(query: BookmarkQuery): Promise<Bookmark[]>;
  /** Every bookmark holding an evidence lock (a site's recorders keep their footage). */
  locked(): Promise<Bookmark[]>;
}

export interface Directory {
  /**
   * Settles once the directory can be used (PostgreSQL: reached, migrated, listening); rejects with
   * the WatchroomError saying why it cannot, and so does every call made after that.
   */
  readonly ready: Promise<void>;
  readonly bookmarks: BookmarkRepository;
  /** Accounts (a change's id is the account's). */
  readonly people: PeopleRepository;
  /** Privacy masks' versions (a change's id is the camera's). */
  readonly masks: MaskVersionRepository;
  /** Disclosure requests, their decisions and builds (a change's id is the request's). */
  readonly disclosures: DisclosureRepository;
  /**
   * The site's processes, cameras and recorders' camera leases, and its presets: a PostgreSQL
   * directory only (one machine has no recorders to share cameras; it keeps presets in its settings).
   */
  readonly site: { leases: LeaseStore; cameras: CameraTable; coverage: CoverageTable; presets: PresetRepository; admissions: AdmissionTable; checkpointsOf(nodeId: string): CheckpointAnchor; entryCopies: EntryCopyTable } | null;
  /** Calls `listener` for every change of `topic` by any process, this one included; the result stops listening. */
  onChange(topic: DirectoryTopic, listener: (change: DirectoryChange) => void): () => void;
  close(): Promise<void>;
}

/** Directory.onChange over the one emitter of every topic's changes that each implementation keeps. */
export const topicListener =
  (changes: Emitter<DirectoryChange>): Directory['onChange'] =>
  (topic, listener) =>
    changes.event((change) => (change.topic === topic ? listener(change) : undefined));
