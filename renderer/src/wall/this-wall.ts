/**
 * Which wall this window shows: `?wall=wall-2` in its address (Electron's main process and the
 * browser's "open wall" both set it), the main wall otherwise.
 */
const asked = new URLSearchParams(location.search).get('wall');

/** The wall that is always there (the core refuses to close it). */
export const MAIN_WALL = 'wall-1';

export const THIS_WALL = asked && /^wall-\d{1,4}$/.test(asked) ? asked : MAIN_WALL;
