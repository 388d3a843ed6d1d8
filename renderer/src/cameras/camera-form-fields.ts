/** The fields of the camera dialog, named as in CameraInput so the core's field errors land on them. */
export const CAMERA_FIELDS = ['name', 'group', 'url', 'subUrl', 'username', 'password'] as const;
export type CameraField = (typeof CAMERA_FIELDS)[number];
export type CameraFormValues = Record<CameraField, string>;

export const CAMERA_FIELD_LABELS: Record<CameraField, string> = {
  name: 'Name',
  group: 'Site or group',
  url: 'RTSP address',
  subUrl: 'Sub-stream address',
  username: 'User name',
  password: 'Password',
};
