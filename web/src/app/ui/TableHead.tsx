import type { JSX } from 'react';

/** A table's header row: its columns' names, then a visually hidden "Actions" column where the rows carry buttons. */
export function TableHead(props: { columns: readonly string[]; actions?: boolean }): JSX.Element {
  return (
    <thead>
      <tr>
        {props.columns.map((column) => (
          <th scope="col" key={column}>
            {column}
          </th>
        ))}
        {props.actions === true && (
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
