/** The camera list by site: how they are doing, find one by name or site, drag it to the wall, manage the list. */
import { useState } from 'react';
import type { CameraView } from '../../../shared/api.js';
import { api } from '../api/client';
import { ImportCameras } from '../cameras/import-cameras';
import { errorMessage } from '../lib/error-message';
import { PermissionHint, usePermission } from '../session/permission-hint';
import { CameraListItem } from './camera-list-item';
import { groupCameras } from './camera-groups';
import { StatusSummary } from './status-summary';
import './camera-sidebar.css';

interface CameraSidebarProps {
  cameras: CameraView[] | null;
  onAdd(): void;
  onEdit(camera: CameraView): void;
  onRemove(camera: CameraView): void;
  /** Opens the camera's privacy-mask editor. */
  onMasks(camera: CameraView): void;
  /** Show a camera on the selected tile. */
  onPut(camera: CameraView): void;
}

export function CameraSidebar({ cameras, onAdd, onEdit, onRemove, onMasks, onPut }: CameraSidebarProps) {
  const masks = usePermission('masks.configure');
  const [query, setQuery] = useState('');
  const [demoError, setDemoError] = useState<string | null>(null);
  const groups = groupCameras(cameras ?? [], query);
  const configure = usePermission('cameras.configure');

  const addDemo = () => {
    setDemoError(null);
    api.addDemoCameras().catch((error: unknown) => setDemoError(errorMessage(error)));
  };

  return (
    <aside className="sidebar" aria-label="Cameras">
      {cameras && cameras.length > 0 && <StatusSummary cameras={cameras} />}
      <input
        type="search"
        className="camera-search"
        data-testid="camera-search"
        placeholder="Search cameras or sites"
        aria-label="Search cameras by name or site"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <div className="sidebar-actions">
        <button type="button" data-testid="add-camera" disabled={!configure.allowed} title={configure.refusal} onClick={onAdd}>
          Add camera
        </button>
        <ImportCameras refusal={configure.refusal} />
        {cameras?.length === 0 && (
          <button type="button" data-testid="add-demo-cameras" disabled={!configure.allowed} title={configure.refusal} onClick={addDemo}>
            Add demo cameras
          </button>
        )}
        <PermissionHint permission="cameras.configure" />
        {demoError && (
          <p className="form-error" role="alert">
            {demoError}
          </p>
        )}
      </div>
      {cameras === null ? (
        <p className="sidebar-note">Loading cameras…</p>
      ) : cameras.length === 0 ? (
        <p className="sidebar-note">No cameras yet. Add one, import a list, or start with the demo cameras.</p>
      ) : groups.length === 0 ? (
        <p className="sidebar-note">No camera or site name contains “{query.trim()}”.</p>
      ) : (
        <div className="camera-list" data-testid="camera-list">
          {groups.map((group) => (
            <details key={group.name ?? ''} className="camera-group" data-testid="camera-site" data-group={group.name ?? ''} open>
              <summary>
                {group.heading} <span className="group-count">{group.cameras.length}</span>
              </summary>
              <ul>
                {group.cameras.map((camera) => (
                  <CameraListItem key={camera.id} camera={camera} refusal={configure.refusal} masksRefusal={masks.refusal} onEdit={onEdit} onRemove={onRemove} onMasks={onMasks} onPut={onPut} />
                ))}
              </ul>
            </details>
          ))}
        </div>
      )}
    </aside>
  );
}
