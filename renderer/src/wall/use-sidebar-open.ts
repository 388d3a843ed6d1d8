/** Whether the camera list is shown; remembered on this workstation, as operators set it once per desk. */
import { useEffect, useState } from 'react';

const KEY = 'watchroom.sidebarOpen';

export function useSidebarOpen(): [open: boolean, toggle: () => void] {
  const [open, setOpen] = useState(() => localStorage.getItem(KEY) !== 'false');
  useEffect(() => localStorage.setItem(KEY, String(open)), [open]);
  return [open, () => setOpen((was) => !was)];
}
