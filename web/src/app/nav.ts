/**
 * The header's navigation and which tab a path belongs to. Pure.
 *
 * Paths are matched exactly, as the routes are (App.tsx): Clusters is the registry at
 * `/clusters` only; a cluster's overview (`/clusters/:id`) is reached from the Fleet's cards,
 * so it lights Fleet. Any other path (the not-found page) lights nothing.
 */

export interface NavItem {
  readonly to: string;
  readonly label: string;
  readonly isCurrent: (path: string) => boolean;
}

export const NAV: readonly NavItem[] = [
  { to: '/', label: 'Fleet', isCurrent: (path) => path === '/' || /^\/clusters\/\d+$/.test(path) },
  { to: '/clusters', label: 'Clusters', isCurrent: (path) => path === '/clusters' },
  { to: '/access', label: 'Access', isCurrent: (path) => path === '/access' },
];

/** The label of the tab to highlight on `path`, or null. */
export function currentNavLabel(path: string): string | null {
  return NAV.find((item) => item.isCurrent(path))?.label ?? null;
}
