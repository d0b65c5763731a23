/**
 * A Grafana-like tooltip: the time under the cursor and every visible series' value there, in
 * the chart's unit. Shown only on the chart the pointer is over; the other charts of the page
 * follow with their crosshair alone (cursor sync), as Grafana's shared crosshair does.
 * Plain DOM inside uPlot's overlay, updated on every cursor move without React renders.
 */
import type uPlot from 'uplot';
import { type ChartUnit, formatChartValue } from './chart-units.js';

export function tooltipPlugin(unit: ChartUnit, formatTime: (unixSeconds: number) => string): uPlot.Plugin {
  let tooltip: HTMLDivElement | null = null;
  let pointerInside = false;

  const hide = (): void => {
    if (tooltip) tooltip.style.display = 'none';
  };

  const render = (u: uPlot): void => {
    const idx = u.cursor.idx;
    const left = u.cursor.left ?? -1;
    const top = u.cursor.top ?? -1;
    if (!tooltip || !pointerInside || idx == null || left < 0) return hide();
    const x = u.data[0][idx];
    if (x == null) return hide();

    tooltip.replaceChildren();
    const time = document.createElement('div');
    time.className = 'ts-tooltip-time';
    time.textContent = formatTime(x);
    tooltip.append(time);
    u.series.forEach((series, i) => {
      if (i === 0 || series.show === false) return;
      const row = document.createElement('div');
      row.className = 'ts-tooltip-row';
      const swatch = document.createElement('span');
      swatch.className = 'ts-swatch';
      const stroke = typeof series.stroke === 'function' ? series.stroke(u, i) : series.stroke;
      if (typeof stroke === 'string') swatch.style.setProperty('--swatch', stroke);
      const label = document.createElement('span');
      label.className = 'ts-tooltip-label';
      label.textContent = typeof series.label === 'string' ? series.label : '';
      const value = document.createElement('span');
      value.className = 'ts-tooltip-value';
      value.textContent = formatChartValue(unit, u.data[i]?.[idx] ?? null);
      row.append(swatch, label, value);
      tooltip?.append(row);
    });

    tooltip.style.display = 'block';
    // Beside the cursor, flipped to the other side near the right or bottom edge.
    const overWidth = u.over.clientWidth;
    const overHeight = u.over.clientHeight;
    const { offsetWidth: width, offsetHeight: height } = tooltip;
    const x0 = left + 14 + width > overWidth ? left - 14 - width : left + 14;
    const y0 = top + 14 + height > overHeight ? Math.max(0, top - 14 - height) : top + 14;
    tooltip.style.transform = `translate(${Math.max(-u.bbox.left / devicePixelRatio, x0)}px, ${y0}px)`;
  };

  return {
    hooks: {
      init: (u: uPlot) => {
        tooltip = document.createElement('div');
        tooltip.className = 'ts-tooltip';
        tooltip.setAttribute('role', 'tooltip');
        tooltip.style.display = 'none';
        u.over.append(tooltip);
        u.over.addEventListener('mouseenter', () => {
          pointerInside = true;
        });
        u.over.addEventListener('mouseleave', () => {
          pointerInside = false;
          hide();
        });
      },
      setCursor: render,
      destroy: () => {
        tooltip?.remove();
        tooltip = null;
      },
    },
  };
}
