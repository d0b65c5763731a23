/**
 * Routes: `/` fleet, `/clusters` management, `/clusters/:id` one cluster's overview, `/access`
 * users and API tokens, `/alerts` what fires and the alert rules, `/custom-metrics` the custom metrics, `/instances` the Stellar
 * instances on the database, `/login`.
 * Every page but the login page needs a session (or a service with auth off). Every request
 * goes through the one query client made here (query-client.ts).
 */
import { QueryClientProvider } from '@tanstack/react-query';
import { type JSX, useEffect, useState } from 'react';
import { AccessPage } from '../pages/access/AccessPage.js';
import { AlertsPage } from '../pages/alerts/AlertsPage.js';
import { CustomMetricsPage } from '../pages/custom-metrics/CustomMetricsPage.js';
import { ClusterOverviewPage } from '../pages/cluster-overview/ClusterOverviewPage.js';
import { ClustersPage } from '../pages/clusters/ClustersPage.js';
import { FleetPage } from '../pages/fleet/FleetPage.js';
import { InstancesPage } from '../pages/instances/InstancesPage.js';
import { LoginPage } from '../pages/login/LoginPage.js';
import { NotFoundPage } from '../pages/NotFoundPage.js';
import { navigate, useLocation } from './router.js';
import { createQueryClient } from './query-client.js';
import { Shell } from './Shell.js';
import { LoadingBlock, ProblemBlock } from './ui/feedback.js';
import { endSession, useSession } from './use-session.js';

export function App(): JSX.Element {
  const [queryClient] = useState(() => {
    const client = createQueryClient({ onUnauthorized: () => endSession(client) });
    return client;
  });
  return (
    <QueryClientProvider client={queryClient}>
      <Routes />
    </QueryClientProvider>
  );
}

function Routes(): JSX.Element | null {
  const { path, search } = useLocation();
  const session = useSession();
  const signedOut = session.state.kind === 'signed-out' && path !== '/login';

  useEffect(() => {
    if (signedOut) navigate(`/login?next=${encodeURIComponent(path + (search.size > 0 ? `?${search.toString()}` : ''))}`, { replace: true });
  }, [signedOut, path, search]);

  if (path === '/login') return <LoginPage />;
  if (signedOut) return null;
  if (session.state.kind === 'error') {
    const { message } = session.state;
    return (
      <Shell>
        <ProblemBlock title="Stellar cannot be reached" message={message} onRetry={() => void session.refresh()} />
      </Shell>
    );
  }
  if (session.state.kind === 'loading') {
    return (
      <Shell>
        <LoadingBlock label="Connecting to Stellar" />
      </Shell>
    );
  }
  return <Shell>{page(path)}</Shell>;
}

function page(path: string): JSX.Element {
  if (path === '/') return <FleetPage />;
  if (path === '/clusters') return <ClustersPage />;
  if (path === '/access') return <AccessPage />;
  if (path === '/alerts') return <AlertsPage />;
  if (path === '/custom-metrics') return <CustomMetricsPage />;
  if (path === '/instances') return <InstancesPage />;
  const overview = /^\/clusters\/(\d+)$/.exec(path);
  if (overview?.[1] !== undefined) {
    const id = Number(overview[1]);
    return <ClusterOverviewPage key={id} clusterId={id} />;
  }
  return <NotFoundPage path={path} />;
}
