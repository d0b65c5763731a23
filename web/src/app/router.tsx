/**
 * A router of a few lines over the History API: the console has four routes, so a library
 * would bring more than it saves. Components read the location with useLocation (a
 * useSyncExternalStore over pushState/popstate) and move with navigate or <Link>.
 */
import { type JSX, type MouseEvent, type ReactNode, useCallback, useMemo, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function currentHref(): string {
  return window.location.pathname + window.location.search;
}

/** Go to `to` (a path with an optional query). `replace` rewrites the current history entry (filters, redirects). */
export function navigate(to: string, options?: { replace?: boolean }): void {
  if (to === currentHref()) return;
  if (options?.replace) window.history.replaceState(null, '', to);
  else {
    window.history.pushState(null, '', to);
    window.scrollTo(0, 0);
  }
  for (const listener of listeners) listener();
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, currentHref);
  return useMemo(() => {
    const url = new URL(href, window.location.origin);
    return { path: url.pathname, search: url.searchParams };
  }, [href]);
}

/**
 * The query string as state. The setter merges: keys given with a string are set, keys given
 * with null are removed, the others are kept.
 */
export function useSearchParams(): [URLSearchParams, (update: Record<string, string | null>, options?: { replace?: boolean }) => void] {
  const { path, search } = useLocation();
  const update = useCallback(
    (changes: Record<string, string | null>, options?: { replace?: boolean }) => {
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      navigate(query === '' ? path : `${path}?${query}`, options);
    },
    [path],
  );
  return [search, update];
}

/** An <a> that navigates in place on a plain click and leaves ctrl/⌘/middle clicks to the browser (new tab). */
export function Link(props: { to: string; children: ReactNode; className?: string; 'aria-current'?: 'page' | undefined }): JSX.Element {
  const { to } = props;
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} className={props.className} onClick={onClick} aria-current={props['aria-current']}>
      {props.children}
    </a>
  );
}
