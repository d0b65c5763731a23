/**
 * Light or dark: the stored choice when the user made one with the header's toggle, else the
 * system's prefers-color-scheme (followed live). The resolved theme is written to
 * <html data-theme>, where theme.css reads it (and charts/use-chart-theme.ts, for the concrete
 * colours a canvas needs).
 */
import { useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'stellar.theme';
const listeners = new Set<() => void>();
const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

function storedTheme(): Theme | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

function resolve(): Theme {
  return storedTheme() ?? (systemDark.matches ? 'dark' : 'light');
}

function apply(): void {
  document.documentElement.dataset.theme = resolve();
  for (const listener of listeners) listener();
}

systemDark.addEventListener('change', apply);
apply();

export function setTheme(theme: Theme): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Not persisted; the choice still holds until reload.
  }
  document.documentElement.dataset.theme = theme;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function useResolvedTheme(): Theme {
  return useSyncExternalStore(subscribe, currentTheme);
}
