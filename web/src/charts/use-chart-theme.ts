import { useEffect, useState } from 'react';
import type { ChartTheme } from './theme-colors.js';

// Used only where a variable is missing, so a chart never draws in the canvas' default black.
const FALLBACK_PALETTE = ['#3274d9', '#37872d', '#e0752d', '#8f3bb8', '#d0a300', '#0f8fa3', '#c4162a', '#6e7781'];

function readChartTheme(): ChartTheme {
  const root = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string): string => root.getPropertyValue(name).trim() || fallback;
  const fontFamily = getComputedStyle(document.body).fontFamily || 'system-ui, sans-serif';
  return {
    palette: FALLBACK_PALETTE.map((fallback, i) => read(`--chart-${i + 1}`, fallback)),
    ok: read('--ok', '#1a7f37'),
    warn: read('--warn', '#b35900'),
    crit: read('--crit', '#c9252d'),
    axis: read('--fg-muted', '#5f6772'),
    grid: read('--chart-grid', read('--border', 'rgba(128, 128, 128, 0.2)')),
    font: `11px ${fontFamily}`,
  };
}

/**
 * The chart colours of the current theme, read again when the `data-theme` attribute of <html>
 * changes (the console writes it for the header's switch and for a change of the system's
 * colour scheme alike).
 */
export function useChartTheme(): ChartTheme {
  const [theme, setTheme] = useState(readChartTheme);
  useEffect(() => {
    // The same colours keep the same object, so charts are rebuilt only on a real change.
    const reread = (): void => {
      const next = readChartTheme();
      setTheme((previous) => (JSON.stringify(previous) === JSON.stringify(next) ? previous : next));
    };
    const observer = new MutationObserver(reread);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}
