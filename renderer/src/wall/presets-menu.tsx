/**
 * Presets ("salvos"): every wall's layout and tiles saved under a name and recalled in one action,
 * from the menu or with Ctrl+1..9 in the menu's order.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { PresetSummary } from '../../../shared/api.js';
import { api } from '../api/client';
import { useCoreResource } from '../api/use-core-resource';
import { errorMessage } from '../lib/error-message';
import { typingInField } from '../lib/typing-in-field';
import { DropMenu } from '../ui/drop-menu';

const listPresets = () => api.listPresets();

export function PresetsMenu() {
  const { data: presets } = useCoreResource(listPresets, 'wall.changed');
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const run = (work: Promise<unknown>, done: () => void = () => undefined) => {
    setProblem(null);
    work.then(done, (error) => setProblem(errorMessage(error)));
  };
  const recall = (p: PresetSummary, done?: () => void) => run(api.recallPreset({ id: p.id }), done);

  const latest = useRef(presets);
  latest.current = presets;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // In a field or a dialog, Ctrl+digit belongs there: a preset must not change the wall behind a form.
      if (!event.ctrlKey || event.altKey || event.metaKey || !/^[1-9]$/.test(event.key) || typingInField(event.target)) return;
      const preset = latest.current?.[Number(event.key) - 1];
      if (!preset) return;
      event.preventDefault();
      recall(preset);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
    // recall only calls the API; the list is read through `latest`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const save = (event: FormEvent) => {
    event.preventDefault();
    run(api.savePreset({ name }).then(() => setName('')));
  };

  return (
    <DropMenu testId="presets-menu" title="Saved sets of walls (Ctrl+1…9)" label="Presets">
      {(close) => (
        <>
          <ul>
            {(presets ?? []).map((p, i) => (
              <li key={p.id} data-testid="preset-item" data-preset-id={p.id}>
                <button type="button" className="menu-item-main" data-testid="preset-recall" onClick={() => recall(p, close)}>
                  {p.name}
                  {!p.builtIn && <span className="menu-note"> · {p.wallCount === 1 ? '1 wall' : `${p.wallCount} walls`}</span>}
                </button>
                {i < 9 && <kbd>Ctrl+{i + 1}</kbd>}
                {!p.builtIn && <button type="button" data-testid="preset-delete" title="Delete this preset" onClick={() => run(api.deletePreset({ id: p.id }))}>×</button>}
              </li>
            ))}
          </ul>
          <form className="menu-form" onSubmit={save}>
            <input data-testid="preset-name" placeholder="Name for the walls as they are now" value={name} onChange={(e) => setName(e.target.value)} />
            <button type="submit" data-testid="preset-save">Save</button>
          </form>
          {problem && <p className="field-error" role="alert" data-testid="preset-problem">{problem}</p>}
        </>
      )}
    </DropMenu>
  );
}
