/** Moved to lib/format-time (times are written the same way everywhere); kept for the wall's imports until they move. */
export * from '../lib/format-time';
