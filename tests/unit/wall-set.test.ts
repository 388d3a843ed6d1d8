/** Several walls and presets: pure edits, and the service over a real settings file and ledger. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLedger } from '../../electron/core/audit/audit-ledger.js';
import { openConfStore } from '../../electron/core/settings/settings-store.js';
import { builtInLayout, mainWall, normalizeWalls, withNewWall } from '../../electron/core/wall/wall-set.js';
import { settingsPresets } from '../../electron/core/wall/preset-store.js';
import { createWallService } from '../../electron/core/wall/wall-service.js';
import { createDispatcher } from '../../electron/core/api/dispatch.js';
import type { Handlers } from '../../electron/core/api/handlers.js';
import { createLogger } from '../../electron/core/logger.js';
import { wallHistory } from '../../electron/core/wall/wall-history.js';
import { waitFor } from '../fixtures/wait-for.js';

const cams = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

describe('wall set', () => {
  it('numbers a new wall after the ones there are and fills it with cameras no wall shows', () => {
    const walls = [mainWall({ layout: '2x2', tiles: ['c1', 'c2', null, null] })];
    const two = withNewWall(walls, cams);
    expect(two[1]).toEqual({ id: 'wall-2', name: 'Wall 2', layout: '2x2', tiles: ['c3', 'c4', 'c5', 'c6'] });
    const three = withNewWall([two[0]!, { ...two[1]!, id: 'wall-3', name: 'Wall 3' }], cams);
    expect(three.map((w) => w.id)).toEqual(['wall-1', 'wall-3', 'wall-2']);
  });

  it('keeps the main wall first and present, and empties tiles of cameras that are gone', () => {
    const walls = normalizeWalls([{ id: 'wall-2', name: 'Wall 2', layout: '1', tiles: ['gone'] }], (id) => id !== 'gone');
    expect(walls.map((w) => w.id)).toEqual(['wall-1', 'wall-2']);
    expect(walls[1]!.tiles).toEqual([null]);
  });

  it('built-in presets lay out the cameras there are over the walls there are', () => {
    const walls = [mainWall(), { id: 'wall-2', name: 'Wall 2', layout: '1' as const, tiles: [null] }];
    expect(builtInLayout('builtin-all-cameras', walls, cams).map((w) => [w.layout, w.tiles])).toEqual([
      ['2x2', ['c1', 'c2', 'c3', null]],
      ['2x2', ['c4', 'c5', 'c6', null]],
    ]);
    expect(builtInLayout('builtin-quad', walls, cams).map((w) => w.tiles)).toEqual([['c1', 'c2', 'c3', 'c4'], ['c5', 'c6', null, null]]);
  });
});

/** A wall service through the real dispatcher, as the shells call it, in the session of one operator; its ledger real. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'watchroom-walls-'));
  const settings = openConfStore(dir, 'settings');
  const ledger = new AuditLedger(join(dir, 'audit.jsonl'));
  let changes = 0;
  const service = createWallService({ settings, presets: settingsPresets(settings), cameraIds: () => cams, onChange: () => changes++, auditSystem: (action, subject, details) => void ledger.append('system', action, subject, details) });
  const actions = () => readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { action: string }).action);
  const sessions = { resolve: () => ({ person: { id: 'p-olive', name: 'olive', displayName: 'Olive', role: 'operator' as const }, locked: false }), touch: () => undefined };
  const dispatcher = createDispatcher({ handlers: service.handlers as unknown as Handlers, ledger, sessions, logger: createLogger({ file: join(dir, 'log'), secrets: () => [] }) });
  return { settings, service, ledger, api: dispatcher.api('olive-session'), changes: () => changes, actions };
}

describe('wall service', () => {

  it('takes over the single wall saved before there were several', async () => {
    const { settings, api } = setup();
    settings.set('wall', { layout: '3x3', tiles: ['c2'] });
    expect(await api.listWalls()).toEqual([{ id: 'wall-1', name: 'Wall 1' }]);
    expect((await api.getWall({ wallId: 'wall-1' })).layout).toBe('3x3');
  });

  it('adds and closes walls; the main wall stays; an unknown wall is named in the error', async () => {
    const { api, actions } = setup();
    const added = await api.addWall();
    expect(added).toEqual({ id: 'wall-2', name: 'Wall 2' });
    await api.setWall({ wallId: 'wall-2', state: { layout: '1', tiles: ['c6'] } });
    expect(await api.getWall({ wallId: 'wall-2' })).toEqual({ layout: '1', tiles: ['c6'] });
    await expect(api.removeWall({ wallId: 'wall-1' })).rejects.toMatchObject({ code: 'wall.main' });
    await api.removeWall({ wallId: 'wall-2' });
    await expect(api.getWall({ wallId: 'wall-2' })).rejects.toMatchObject({ code: 'wall.not-found', message: expect.stringContaining('wall-2') });
    expect(actions()).toEqual(['wall.add', 'wall.set', 'wall.remove']);
  });

  it('a saved preset brings back every wall as it was, and walls it does not have are closed', async () => {
    const { api, actions, changes } = setup();
    await api.setWall({ wallId: 'wall-1', state: { layout: '1+5', tiles: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'] } });
    await api.addWall();
    await api.setWall({ wallId: 'wall-2', state: { layout: '1', tiles: ['c4'] } });
    const night = await api.savePreset({ name: 'Night shift' });
    expect(night).toMatchObject({ name: 'Night shift', builtIn: false, wallCount: 2 });

    await api.setWall({ wallId: 'wall-1', state: { layout: '2x2', tiles: ['c6', null, null, null] } });
    await api.removeWall({ wallId: 'wall-2' });
    await api.addWall();
    await api.addWall(); // wall-2 and wall-3
    const before = changes();
    expect(await api.recallPreset({ id: night.id })).toEqual([{ id: 'wall-1', name: 'Wall 1' }, { id: 'wall-2', name: 'Wall 2' }]);
    expect(changes()).toBeGreaterThan(before);
    expect(await api.getWall({ wallId: 'wall-1' })).toEqual({ layout: '1+5', tiles: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'] });
    expect(await api.getWall({ wallId: 'wall-2' })).toEqual({ layout: '1', tiles: ['c4'] });

    // The same name again replaces it; built-ins come first and cannot be deleted.
    await api.savePreset({ name: 'night SHIFT' });
    const presets = await api.listPresets();
    expect(presets.map((p) => [p.name, p.builtIn])).toEqual([['All cameras', true], ['Four per wall (2×2)', true], ['night SHIFT', false]]);
    await expect(api.deletePreset({ id: 'builtin-quad' })).rejects.toMatchObject({ code: 'preset.not-found', message: 'Built-in presets cannot be deleted.' });
    await api.deletePreset({ id: presets[2]!.id });
    await expect(api.recallPreset({ id: presets[2]!.id })).rejects.toMatchObject({ code: 'preset.not-found' });
    expect(actions().filter((a) => a.startsWith('wall.preset'))).toEqual(['wall.preset-save', 'wall.preset-recall', 'wall.preset-save', 'wall.preset-delete']);
  });

  it('puts new cameras in the first empty tiles, main wall first, and takes removed ones off every wall', async () => {
    const { api, service } = setup();
    await api.setWall({ wallId: 'wall-1', state: { layout: '1', tiles: [null] } });
    await api.addWall();
    await api.setWall({ wallId: 'wall-2', state: { layout: '2x2', tiles: [null, null, null, null] } });
    service.camerasAdded(['c1', 'c2', 'c3']);
    expect((await api.getWall({ wallId: 'wall-1' })).tiles).toEqual(['c1']);
    expect((await api.getWall({ wallId: 'wall-2' })).tiles).toEqual(['c2', 'c3', null, null]);
    service.cameraRemoved('c3');
    expect((await api.getWall({ wallId: 'wall-2' })).tiles).toEqual(['c2', null, null, null]);
  });
});

describe('wall history', () => {
  it('shows every wall as it stood at any moment, who made it so, from the ledger alone (also after a restart)', async () => {
    const { api, service, ledger, actions } = setup();
    const file = ledger.file;
    const history = wallHistory(ledger);
    /** The time of the newest entry, once the clock has passed it: the next change comes strictly later. */
    const mark = async () => {
      const at = Date.parse(ledger.list(1)[0]!.at);
      await waitFor('the clock to pass the last entry', () => Date.now() > at, 5_000, 2);
      return at;
    };
    const before = Date.now() - 1;
    await api.setWall({ wallId: 'wall-1', state: { layout: '2x2', tiles: ['c1', 'c2', 'c3', 'c4'] } });
    const t1 = await mark();
    await api.addWall();
    await api.setWall({ wallId: 'wall-2', state: { layout: '2x2', tiles: ['c5', null, null, null], tours: [{ cameraIds: ['c5', 'c6'], dwellSeconds: 10 }, null, null, null] } });
    const t2 = await mark();
    const night = await api.savePreset({ name: 'Night' });
    await api.setWall({ wallId: 'wall-1', state: { layout: '1', tiles: ['c6'] } });
    await api.removeWall({ wallId: 'wall-2' });
    const t3 = await mark();
    await api.recallPreset({ id: night.id });
    const t4 = await mark();
    service.camerasAdded(['c6']); // a camera added by an administrator fills an empty tile: the system's change
    const t5 = await mark();
    expect(actions()).toContain('wall.cameras-changed');

    const shown = async (h: ReturnType<typeof wallHistory>, at: number) => (await h.at(at)).walls.map(({ wall, since }) => [wall.id, wall.layout, wall.tiles, wall.tours?.[0]?.cameraIds ?? null, since.actor, since.action]);
    for (const h of [history, wallHistory(new AuditLedger(file))]) {
      expect(await shown(h, t1)).toEqual([['wall-1', '2x2', ['c1', 'c2', 'c3', 'c4'], null, 'olive', 'wall.set']]);
      expect(await shown(h, t2)).toEqual([
        ['wall-1', '2x2', ['c1', 'c2', 'c3', 'c4'], null, 'olive', 'wall.set'],
        ['wall-2', '2x2', ['c5', null, null, null], ['c5', 'c6'], 'olive', 'wall.set'],
      ]);
      expect(await shown(h, t3)).toEqual([['wall-1', '1', ['c6'], null, 'olive', 'wall.set']]);
      expect(await shown(h, t4)).toEqual([
        ['wall-1', '2x2', ['c1', 'c2', 'c3', 'c4'], null, 'olive', 'wall.preset-recall'],
        ['wall-2', '2x2', ['c5', null, null, null], ['c5', 'c6'], 'olive', 'wall.preset-recall'],
      ]);
      expect(await shown(h, t5)).toEqual([
        ['wall-1', '2x2', ['c1', 'c2', 'c3', 'c4'], null, 'olive', 'wall.preset-recall'],
        ['wall-2', '2x2', ['c5', 'c6', null, null], ['c5', 'c6'], 'system', 'wall.cameras-changed'],
      ]);
      expect((await h.at(before)).walls).toEqual([]);
      // The changes either side of a moment, for stepping through them.
      const around = await h.at(t2);
      expect(around.before.at(-1)).toMatchObject({ action: 'wall.set', actor: 'olive', role: 'operator', wallIds: ['wall-2'] });
      expect(around.after[0]).toMatchObject({ action: 'wall.set', wallIds: ['wall-1'] });
    }
    // Kept up to date as entries are appended, without reading the ledger again.
    await api.setWall({ wallId: 'wall-1', state: { layout: '1', tiles: ['c2'] } });
    expect(await shown(history, Date.now() + 1000)).toContainEqual(['wall-1', '1', ['c2'], null, 'olive', 'wall.set']);
  });

  it('reads the single-wall entries written before walls were recorded whole', async () => {
    const { ledger } = setup();
    ledger.append({ name: 'olive', role: 'operator' }, 'wall.set', 'wall-1', { layout: '2x2', tiles: ['c1', null, null, null] });
    const at = Date.parse(ledger.list(1)[0]!.at);
    expect((await wallHistory(ledger).at(at)).walls.map((w) => [w.wall.id, w.wall.tiles])).toEqual([['wall-1', ['c1', null, null, null]]]);
  });
});
