/**
 * Saved presets (salvos): one machine keeps them in its settings; a site keeps them in the directory,
 * so a preset saved on one workstation is recalled on any. A preset is one row there, saved and
 * deleted on its own: two workstations saving different presets at once both keep theirs, and saving
 * under a name a preset has (whatever its case) replaces that preset, keeping its id. What is read
 * back is checked as settings are: a preset that does not parse is left out, never trusted.
 */
import { randomUUID } from 'node:crypto';
import { savedPresetSchema } from '../../../shared/schemas.js';
import type { Db } from '../directory/postgres-directory.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { SavedPreset, WallEntry } from './wall-set.js';

export interface PresetRepository {
  list(): Promise<SavedPreset[]>;
  /** Saves the walls under `name`, replacing the preset of that name whatever its case. */
  save(name: string, walls: WallEntry[]): Promise<SavedPreset>;
  /** The preset deleted, or null when there was none with that id. */
  delete(id: string): Promise<SavedPreset | null>;
}

const parsed = (presets: unknown[]): SavedPreset[] => presets.flatMap((p) => (savedPresetSchema.safeParse(p).success ? [p as SavedPreset] : []));

export function settingsPresets(settings: SettingsStore): PresetRepository {
  const read = () => {
    const stored = settings.get('presets');
    return Array.isArray(stored) ? parsed(stored) : [];
  };
  return {
    list: async () => read(),
    async save(name, walls) {
      const presets = read();
      const replaced = presets.find((p) => p.name.toLowerCase() === name.toLowerCase());
      const preset: SavedPreset = { id: replaced?.id ?? randomUUID(), name, walls };
      settings.set('presets', replaced ? presets.map((p) => (p.id === replaced.id ? preset : p)) : [...presets, preset]);
      return preset;
    },
    async delete(id) {
      const presets = read();
      const preset = presets.find((p) => p.id === id) ?? null;
      if (preset) settings.set('presets', presets.filter((p) => p.id !== id));
      return preset;
    },
  };
}

/** The schema, as one of the directory's numbered migrations. */
export const PRESET_TABLE = `
  CREATE TABLE presets (
    id text PRIMARY KEY,
    name text NOT NULL,
    walls jsonb NOT NULL,
    /** When a preset of this name was first saved: the list's order, kept when it is saved over. */
    saved_at bigint NOT NULL
  );
  CREATE UNIQUE INDEX presets_name ON presets (lower(name));
`;

interface PresetRow {
  id: string;
  name: string;
  walls: WallEntry[];
}

/** The site's presets, in the order first saved; each save and delete is announced (topic `presets`; the id is the name saved or the id deleted). */
export function sitePresets(db: Db): PresetRepository {
  const toPreset = (r: PresetRow): unknown => ({ id: r.id, name: r.name, walls: r.walls });
  return {
    list: async () => parsed((await db.query<PresetRow>('SELECT id, name, walls FROM presets ORDER BY saved_at, id')).map(toPreset)),
    save: async (name, walls) =>
      (await db.change('presets', name.toLowerCase(), async (client) => {
        const { rows } = await client.query<PresetRow>(
          `INSERT INTO presets (id, name, walls, saved_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT ((lower(name))) DO UPDATE SET name = excluded.name, walls = excluded.walls
           RETURNING id, name, walls`,
          [randomUUID(), name, JSON.stringify(walls), Date.now()],
        );
        return toPreset(rows[0]!) as SavedPreset;
      }))!,
    delete: (id) =>
      db.change('presets', id, async (client) => {
        const { rows } = await client.query<PresetRow>('DELETE FROM presets WHERE id = $1 RETURNING id, name, walls', [id]);
        return rows[0] ? (toPreset(rows[0]) as SavedPreset) : null;
      }),
  };
}
