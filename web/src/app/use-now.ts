import { useEffect, useState } from 'react';

/** The current time, updated every `everyMs`, so "12 s ago" keeps counting between refreshes. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
