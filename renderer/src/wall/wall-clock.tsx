/** The wall's clock: date and 24-hour time, to the second, in the control room's local time. */
import { useEffect, useState } from 'react';
import { formatLocalTime } from '../lib/format-time';

/** Now, re-rendered on each new second (aligned to it, so it never lags by most of a second). */
function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      setNow(Date.now());
      timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    };
    timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    return () => clearTimeout(timer);
  }, []);
  return now;
}

export function WallClock({ className = 'wall-clock' }: { className?: string }) {
  const now = useNow();
  const [date, time] = formatLocalTime(now).split(' ');
  return (
    <time className={className} data-testid="wall-clock" dateTime={new Date(now).toISOString()} data-ms={now} title="Local time">
      <span className="wall-clock-date">{date}</span> <span className="wall-clock-time">{time}</span>
    </time>
  );
}
