import { describe, expect, it } from 'vitest';
import { formatBehind } from '../../renderer/src/wall/replay-offset.js';

describe('formatBehind: how far a replaying tile is behind now', () => {
  it('minutes and seconds, with a true minus sign', () => {
    expect(formatBehind(10_000)).toBe('−00:10');
    expect(formatBehind(10_400)).toBe('−00:10');
    expect(formatBehind(65_000)).toBe('−01:05');
  });

  it('hours when it is an hour or more behind', () => {
    expect(formatBehind(3_600_000 + 5 * 60_000 + 7_000)).toBe('−1:05:07');
  });

  it('never a negative offset: a clock a moment ahead reads −00:00', () => {
    expect(formatBehind(-300)).toBe('−00:00');
  });
});
