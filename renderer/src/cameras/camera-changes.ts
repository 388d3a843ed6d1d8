/** Turns what the operator typed into the API's add and update arguments. */
import type { CameraInput, CameraView } from '../../../shared/api.js';
import type { CameraFormValues } from './camera-form-fields';

export function formValuesOf(camera: CameraView | null): CameraFormValues {
  // The password never leaves the core, so it is never pre-filled.
  return { name: camera?.name ?? '', group: camera?.group ?? '', url: camera?.url ?? '', subUrl: camera?.subUrl ?? '', username: camera?.username ?? '', password: '' };
}

/** Empty optional fields are left out rather than sent as ''. */
export function newCamera(values: CameraFormValues): CameraInput {
  const input: CameraInput = { name: values.name, url: values.url };
  if (values.subUrl.trim()) input.subUrl = values.subUrl;
  if (values.group.trim()) input.group = values.group;
  if (values.username.trim()) input.username = values.username;
  if (values.password) input.password = values.password;
  return input;
}

/**
 * On update '' clears a field (group, sub-stream, user name, password) while an absent key keeps it: the
 * password is sent only when typed or when the operator asked to remove it.
 */
export function cameraChanges(values: CameraFormValues, removePassword: boolean): Partial<CameraInput> {
  const changes: Partial<CameraInput> = { name: values.name, group: values.group, url: values.url, subUrl: values.subUrl, username: values.username };
  if (removePassword) changes.password = '';
  else if (values.password) changes.password = values.password;
  return changes;
}
