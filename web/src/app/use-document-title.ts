import { useEffect } from 'react';

/** Sets the tab's title to "PART · Stellar", so a row of tabs tells the pages apart. */
export function useDocumentTitle(part: string | null): void {
  useEffect(() => {
    document.title = part === null || part === '' ? 'Stellar' : `${part} · Stellar`;
  }, [part]);
}
