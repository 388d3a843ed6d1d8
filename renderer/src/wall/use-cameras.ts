import type { CameraView } from '../../../shared/api.js';
import { api } from '../api/client';
import { useCoreResource } from '../api/use-core-resource';

const listCameras = () => api.listCameras();

/** The configured cameras, kept current by `cameras.changed`. */
export function useCameras(): { cameras: CameraView[] | null; error: string | null } {
  const { data, error } = useCoreResource(listCameras, 'cameras.changed');
  return { cameras: data, error };
}
