/**
 * Which wall this window shows: `?wall=wall-2` in its address (Electron's main process and the
 * browser's "open wall" both set it), the main wall otherwise.
 */
const asked = new URLSearchParams(location.search).get('wall');

export const THIS_WALL = asked && /^wall-\d{1,4}$/.test(asked) ? asked : 'wall-1';
