/** Sets up a tour on a tile or a whole wall: which cameras, in list order, and how long each shows. */
import { useState, type FormEvent } from 'react';
import type { CameraView, Tour } from '../../../shared/api.js';
import { errorMessage } from '../lib/error-message';
import { ModalDialog } from '../ui/modal-dialog';
import '../ui/form.css';

interface TourDialogProps {
  title: string;
  cameras: readonly CameraView[];
  tour: Tour | null;
  /** Cameras ticked when there is no tour yet. */
  preselected: readonly string[];
  /** Saves the tour, or with null ends it; rejects with the core's reason. */
  onSave(tour: Tour | null): Promise<unknown>;
  onClose(): void;
}

const DEFAULT_DWELL_S = 10;

export function TourDialog({ title, cameras, tour, preselected, onSave, onClose }: TourDialogProps) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set(tour?.cameraIds ?? preselected));
  const [dwell, setDwell] = useState(String(tour?.dwellSeconds ?? DEFAULT_DWELL_S));
  const [problem, setProblem] = useState<string | null>(null);

  const save = (next: Tour | null) => {
    setProblem(null);
    onSave(next).then(onClose, (error) => setProblem(errorMessage(error)));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save({ cameraIds: cameras.map((c) => c.id).filter((id) => chosen.has(id)), dwellSeconds: Number(dwell) });
  };

  return (
    <ModalDialog title={title} testId="tour-dialog" onCancel={onClose}>
      <form className="dialog-form" noValidate onSubmit={submit}>
        <fieldset className="tour-cameras">
          <legend>Cameras, in this order</legend>
          {cameras.map((c) => (
            <label key={c.id} className="checkbox">
              <input
                type="checkbox"
                data-testid="tour-camera"
                checked={chosen.has(c.id)}
                onChange={(e) => setChosen((now) => new Set(e.target.checked ? [...now, c.id] : [...now].filter((id) => id !== c.id)))}
              />
              {c.name}
            </label>
          ))}
        </fieldset>
        <div className="form-field">
          <label htmlFor="tour-dwell">Seconds on each camera</label>
          <input id="tour-dwell" data-testid="tour-dwell" inputMode="numeric" value={dwell} onChange={(e) => setDwell(e.target.value)} />
        </div>
        {problem && <p className="form-error" role="alert" data-testid="tour-problem">{problem}</p>}
        <div className="dialog-actions">
          {tour && <button type="button" data-testid="tour-stop" onClick={() => save(null)}>Stop tour</button>}
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" data-testid="tour-start">{tour ? 'Save tour' : 'Start tour'}</button>
        </div>
      </form>
    </ModalDialog>
  );
}
