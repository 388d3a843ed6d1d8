/**
 * Keyboard-first wall: digits select a tile (two digits typed quickly reach tiles 10–16), arrows move
 * the selection to the neighbouring tile. The selected tile is the focused one, so its own keys
 * (Enter maximise, B bookmark, R replay, L live) work on it; Escape restores a maximised wall.
 * Keys typed into fields and dialogs are left alone.
 */
import { useEffect, type RefObject } from 'react';
import type { LayoutDefinition } from '../../../shared/layouts.js';
import { typingInField } from '../lib/typing-in-field.js';

/** A second digit within this long of the first makes a two-digit tile number. */
const SECOND_DIGIT_MS = 700;

type Direction = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

/** The tile next to `from` in a direction: the nearest whose centre lies that way, in line first. */
export function neighbour(layout: LayoutDefinition, from: number, direction: Direction): number | null {
  const centre = ([c, r, cs, rs]: readonly number[]) => ({ x: c! + cs! / 2, y: r! + rs! / 2 });
  const here = centre(layout.cells[from]!);
  let best: { index: number; score: number } | null = null;
  layout.cells.forEach((cell, index) => {
    const there = centre(cell);
    const dx = there.x - here.x;
    const dy = there.y - here.y;
    const ahead = { ArrowLeft: -dx, ArrowRight: dx, ArrowUp: -dy, ArrowDown: dy }[direction];
    const aside = direction === 'ArrowLeft' || direction === 'ArrowRight' ? Math.abs(dy) : Math.abs(dx);
    if (index === from || ahead <= 0) return;
    const score = ahead + aside * 2;
    if (!best || score < best.score) best = { index, score };
  });
  return (best as { index: number } | null)?.index ?? null;
}

export function useWallKeys(wall: RefObject<HTMLElement | null>, layout: LayoutDefinition): void {
  useEffect(() => {
    let firstDigit: { digit: number; at: number } | null = null;
    const tileAt = (index: number) => wall.current?.querySelector<HTMLElement>(`[data-tile-index="${index}"]`) ?? null;
    const selected = () => {
      const active = document.activeElement;
      const tile = active instanceof HTMLElement ? active.closest<HTMLElement>('[data-tile-index]') : null;
      return tile && wall.current?.contains(tile) ? Number(tile.dataset.tileIndex) : null;
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.altKey || event.metaKey || typingInField(event.target)) return;
      if (/^[0-9]$/.test(event.key)) {
        const digit = Number(event.key);
        const now = performance.now();
        const two = firstDigit && now - firstDigit.at < SECOND_DIGIT_MS ? firstDigit.digit * 10 + digit : null;
        const number = two !== null && two <= layout.cells.length ? two : digit;
        firstDigit = two === null ? { digit, at: now } : null;
        if (number >= 1 && number <= layout.cells.length) {
          event.preventDefault();
          tileAt(number - 1)?.focus();
        }
        return;
      }
      if (event.key.startsWith('Arrow')) {
        const from = selected() ?? 0;
        const to = selected() === null ? 0 : neighbour(layout, from, event.key as Direction);
        if (to === null) return;
        event.preventDefault();
        tileAt(to)?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [wall, layout]);
}
