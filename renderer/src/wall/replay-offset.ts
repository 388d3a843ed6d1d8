/** "−00:10", "−1:05:00": how far a replaying tile is behind now. */
export function formatBehind(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  return `−${h > 0 ? `${h}:${pad(m)}` : pad(m)}:${pad(s)}`;
}
