/**
 * What the walls showed, and who made them show it. Every change to the walls enters the ledger with
 * the resulting composition of each wall it changed (layout, tiles, tours) or that the wall was
 * closed; so any wall at any past moment is the last composition entered for it before then, read
 * from the ledger alone. The wall entries are few beside the footage's, so they are gathered in one
 * pass over the ledger when first asked for and kept up to date as entries are appended.
 */
import type { WallHistory, WallHistoryChange, WallHistoryWall } from '../../../shared/api.js';
import type { AuditEntry } from '../../../shared/api.js';
import type { AuditAction } from '../../../shared/audit-actions.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { WallEntry } from './wall-set.js';

/** One wall as a ledger entry records it after a change: its composition, or that it was closed. */
export type WallComposition = WallHistoryWall | { id: string; removed: true };

/** The walls a change left different from before, as the ledger records them. */
export function changedWalls(before: readonly WallEntry[], after: readonly WallEntry[]): WallComposition[] {
  const was = new Map(before.map((w) => [w.id, JSON.stringify(composition(w))]));
  const changed: WallComposition[] = after.filter((w) => was.get(w.id) !== JSON.stringify(composition(w))).map(composition);
  const kept = new Set(after.map((w) => w.id));
  return [...changed, ...before.filter((w) => !kept.has(w.id)).map((w) => ({ id: w.id, removed: true as const }))];
}

function composition(w: WallEntry): WallHistoryWall {
  return { id: w.id, name: w.name, layout: w.layout, tiles: w.tiles, ...(w.tour ? { tour: w.tour } : {}), ...(w.tours?.some(Boolean) ? { tours: w.tours } : {}) };
}

interface Change extends WallHistoryChange {
  atMs: number;
  walls: WallComposition[];
}

/** The actions that change what the walls show (saving a preset records one, but changes none). */
const CHANGES_WALLS: ReadonlySet<string> = new Set<AuditAction>(['wall.set', 'wall.add', 'wall.remove', 'wall.preset-recall', 'wall.cameras-changed']);

/** The compositions an entry records: `walls`, or the single wall of a wall.set written before they were. */
function compositionsOf(e: AuditEntry): WallComposition[] | null {
  const d = e.details;
  if (!CHANGES_WALLS.has(e.action)) return null;
  if (Array.isArray(d?.walls)) return d.walls as WallComposition[];
  if (e.action === 'wall.set' && d && typeof d.layout === 'string' && Array.isArray(d.tiles)) return [{ id: e.subject, name: e.subject, ...(d as Omit<WallHistoryWall, 'id' | 'name'>) }];
  return null;
}

const changeOf = (e: AuditEntry, walls: WallComposition[]): Change => ({
  seq: e.seq,
  at: e.at,
  atMs: Date.parse(e.at),
  actor: e.actor,
  ...(e.role ? { role: e.role } : {}),
  action: e.action,
  wallIds: walls.map((w) => w.id),
  walls,
});

export function wallHistory(ledger: AuditLedger) {
  let changes: Change[] | null = null;
  let gathering: Promise<Change[]> | null = null;
  const appended: Change[] = [];
  // Listening before the pass, so nothing appended during it is missed (the pass may see it too).
  const off = ledger.onAppend((e) => {
    const walls = compositionsOf(e);
    if (walls) (changes ?? appended).push(changeOf(e, walls));
  });
  const gather = async () => {
    const found: Change[] = [];
    for await (const { entry } of ledger.entries()) {
      const walls = compositionsOf(entry);
      if (walls) found.push(changeOf(entry, walls));
    }
    const last = found.at(-1)?.seq ?? 0;
    changes = [...found, ...appended.filter((c) => c.seq > last)];
    return changes;
  };

  return {
    /** Every wall as it stood at `atMs`, with the change that made it so, and the changes either side. */
    async at(atMs: number, around = 25): Promise<WallHistory> {
      const all = changes ?? (await (gathering ??= gather()));
      const walls = new Map<string, { wall: WallHistoryWall; since: WallHistoryChange }>();
      let next = all.length;
      for (const [i, c] of all.entries()) {
        if (c.atMs > atMs) {
          next = i;
          break;
        }
        for (const w of c.walls) {
          if ('removed' in w) walls.delete(w.id);
          else walls.set(w.id, { wall: w, since: summary(c) });
        }
      }
      return {
        atMs,
        walls: [...walls.values()].sort((a, b) => Number(a.wall.id.slice(5)) - Number(b.wall.id.slice(5))),
        before: all.slice(Math.max(0, next - around), next).map(summary),
        after: all.slice(next, next + around).map(summary),
      };
    },
    dispose: off,
  };
}

const summary = ({ atMs: _atMs, walls: _walls, ...change }: Change): WallHistoryChange => change;
