export function findElectronBinary(): { path: string | null; why: string };
