/** Wall layouts. A layout is a CSS grid: `cells` lists each tile's [column, row, columnSpan, rowSpan]. */
export const LAYOUT_IDS = ['1', '2x2', '3x3', '4x4', '1+5', '1+7'] as const;
export type LayoutId = (typeof LAYOUT_IDS)[number];

export interface LayoutDefinition {
  id: LayoutId;
  label: string;
  columns: number;
  rows: number;
  cells: ReadonlyArray<readonly [number, number, number, number]>;
}

function uniform(id: LayoutId, n: number): LayoutDefinition {
  const cells: Array<[number, number, number, number]> = [];
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) cells.push([c + 1, r + 1, 1, 1]);
  return { id, label: n === 1 ? '1' : `${n}×${n}`, columns: n, rows: n, cells };
}

/** One big tile in the top-left corner, small tiles along the right and bottom edges. */
function onePlus(id: LayoutId, n: number): LayoutDefinition {
  const big = n - 1;
  const cells: Array<[number, number, number, number]> = [[1, 1, big, big]];
  for (let r = 1; r <= big; r++) cells.push([n, r, 1, 1]);
  for (let c = n; c >= 1; c--) cells.push([c, n, 1, 1]);
  return { id, label: `1+${cells.length - 1}`, columns: n, rows: n, cells };
}

export const LAYOUTS: Record<LayoutId, LayoutDefinition> = {
  '1': uniform('1', 1),
  '2x2': uniform('2x2', 2),
  '3x3': uniform('3x3', 3),
  '4x4': uniform('4x4', 4),
  '1+5': onePlus('1+5', 3),
  '1+7': onePlus('1+7', 4),
};

export function tileCount(layout: LayoutId): number {
  return LAYOUTS[layout].cells.length;
}
