import type { JSX } from 'react';

/** Overview of one cluster: header, health cards and trend charts (being built). */
export function ClusterOverviewPage(props: { clusterId: number }): JSX.Element {
  return (
    <section aria-label="Cluster overview">
      <h1>Cluster {props.clusterId}</h1>
    </section>
  );
}
