/**
 * Privacy masks: per camera, polygons in picture coordinates normalised to [0, 1] of the width and
 * height, so one set fits the main stream, the sub-stream and any tile. Shapes from shared/schemas.ts
 * and shared/entities.ts.
 */
import type { z } from 'zod';
import type { cameraMasksSchema } from './entities.js';
import type { maskPolygonSchema } from './schemas.js';

/**
 * The one fill, on screen and burned into exports: an opaque mid-dark grey. Grey has no chroma, so
 * yuv420p's half-resolution colour planes cannot bleed a tint across a mask's edge.
 */
export const MASK_FILL = '#404040';
export const MASK_FILL_RGB = [0x40, 0x40, 0x40] as const;

export const MAX_MASK_POLYGONS = 32;
export const MASK_POINTS = { min: 3, max: 64 } as const;
/** A lift lasts this long unless asked otherwise, and at most MAX. */
export const LIFT_MINUTES = { default: 30, min: 1, max: 240 } as const;

export type MaskPolygon = z.infer<typeof maskPolygonSchema>;
export type CameraMasks = z.infer<typeof cameraMasksSchema>;
