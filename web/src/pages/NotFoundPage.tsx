import type { JSX } from 'react';
import { Link } from '../app/router.js';
import { useDocumentTitle } from '../app/use-document-title.js';
import { EmptyBlock } from '../app/ui/feedback.js';

export function NotFoundPage(props: { path: string }): JSX.Element {
  useDocumentTitle('Not found');
  return (
    <EmptyBlock title={`No page at ${props.path}`}>
      <span>
        Go to the <Link to="/">fleet</Link> or the <Link to="/clusters">clusters</Link>.
      </span>
    </EmptyBlock>
  );
}
