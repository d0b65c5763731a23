/**
 * Alerts: what is pending and firing now (and notifications that fail), the silences, the
 * history of what fired and resolved, and the rules. An admin silences or acknowledges a firing
 * alert, makes and expires silences, and adds, edits and deletes API rules. `?cluster_id=` narrows Now and History to one cluster (the
 * cluster overview links here so). Now and History refresh every 10 s, so an alert shows up
 * on its own.
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type JSX, useState } from 'react';
import type { SilenceJson, SilencesJson } from '@shared/api/alert-silences.js';
import type { ActiveAlertJson, ActiveAlertsJson, AlertHistoryJson, AlertRuleJson, AlertRulesJson } from '@shared/api/alerts.js';
import type { ClusterJson } from '@shared/api/clusters.js';
import { API_DATA_KEY, apiGet, apiQuery } from '../../app/api-client.js';
import { queryView, refreshEvery } from '../../app/query-client.js';
import { RefreshMarker } from '../../app/RefreshMarker.js';
import { useSearchParams } from '../../app/router.js';
import { useDocumentTitle } from '../../app/use-document-title.js';
import { useNow } from '../../app/use-now.js';
import { useSession } from '../../app/use-session.js';
import { AckDialog } from './AckDialog.js';
import { HistorySection } from './HistorySection.js';
import { NowSection } from './NowSection.js';
import { RuleFormDialog } from './RuleFormDialog.js';
import { DeleteRuleDialog, RulesSection } from './RulesSection.js';
import { SilenceFormDialog } from './SilenceFormDialog.js';
import { ExpireSilenceDialog, SilencesSection } from './SilencesSection.js';
import { type SilenceFormValues, silenceFormFor } from './silence-view.js';
import './alerts.css';

const REFRESH_MS = 10_000;
const HISTORY_PAGE = 50;

type Open =
  | { kind: 'none' }
  | { kind: 'add' }
  | { kind: 'edit'; rule: AlertRuleJson }
  | { kind: 'delete'; rule: AlertRuleJson }
  | { kind: 'silence'; initial: SilenceFormValues }
  | { kind: 'expire'; silence: SilenceJson }
  | { kind: 'ack'; alert: ActiveAlertJson };

export function AlertsPage(): JSX.Element {
  useDocumentTitle('Alerts');
  const [search, setSearch] = useSearchParams();
  const clusterParam = search.get('cluster_id');
  const clusterId = clusterParam !== null && /^\d+$/.test(clusterParam) ? Number(clusterParam) : null;
  const filter = clusterId === null ? '' : `cluster_id=${clusterId}`;
  const { state } = useSession();
  // With authentication off and no credentials the service lets anyone change rules.
  const canChange = state.kind === 'signed-in' && (state.me.role === 'admin' || (!state.me.auth_enabled && state.me.role === null));

  const activeQuery = useQuery({ ...apiQuery<ActiveAlertsJson>(`/api/alerts${filter === '' ? '' : `?${filter}`}`), ...refreshEvery(REFRESH_MS) });
  const active = queryView(activeQuery);
  const historyPath = `/api/alerts/history?limit=${HISTORY_PAGE}${filter === '' ? '' : `&${filter}`}`;
  const historyQuery = useInfiniteQuery({
    queryKey: [API_DATA_KEY, historyPath, 'pages'],
    queryFn: ({ pageParam, signal }) => apiGet<AlertHistoryJson>(pageParam === null ? historyPath : `${historyPath}&before_id=${pageParam}`, { signal }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.next_before_id,
    ...refreshEvery(REFRESH_MS),
  });
  const history = queryView(historyQuery);
  const silencesQuery = useQuery({ ...apiQuery<SilencesJson>('/api/alerts/silences'), ...refreshEvery(REFRESH_MS) });
  const silences = queryView(silencesQuery);
  const rulesQuery = useQuery(apiQuery<AlertRulesJson>('/api/alert-rules'));
  const rules = queryView(rulesQuery);
  const clusters = useQuery(apiQuery<ClusterJson[]>('/api/clusters')).data ?? [];
  const clusterName = (id: number) => clusters.find((c) => c.id === id)?.name ?? `cluster ${id}`;

  const now = useNow(REFRESH_MS);
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const [notice, setNotice] = useState<string | null>(null);
  const close = () => setOpen({ kind: 'none' });
  const done = (message: string) => {
    close();
    setNotice(message);
  };
  const refresh = () => {
    void activeQuery.refetch();
    void historyQuery.refetch();
    void silencesQuery.refetch();
  };

  return (
    <section aria-labelledby="alerts-title">
      <div className="page-header">
        <h1 className="page-title" id="alerts-title">
          Alerts
        </h1>
        <label className="alerts-filter">
          <span className="muted">Cluster</span>
          <select className="select" value={clusterId === null ? '' : String(clusterId)} onChange={(e) => setSearch({ cluster_id: e.target.value === '' ? null : e.target.value }, { replace: true })}>
            <option value="">All clusters</option>
            {clusterId !== null && !clusters.some((c) => c.id === clusterId) && <option value={String(clusterId)}>{clusterName(clusterId)}</option>}
            {clusters.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <div className="page-header-end">
          <RefreshMarker view={active} now={now} onRefresh={refresh} />
        </div>
      </div>
      {notice !== null && (
        <p className="notice" role="status">
          {notice}
          <button type="button" className="button button-quiet button-small" onClick={() => setNotice(null)} aria-label="Dismiss">
            ✕
          </button>
        </p>
      )}
      <NowSection
        view={active}
        now={now}
        onRetry={() => void activeQuery.refetch()}
        canChange={canChange}
        onSilence={(alert) => setOpen({ kind: 'silence', initial: silenceFormFor(alert) })}
        onAck={(alert) => setOpen({ kind: 'ack', alert })}
      />
      <SilencesSection
        view={silences}
        now={now}
        canChange={canChange}
        onAdd={() => setOpen({ kind: 'silence', initial: silenceFormFor(null) })}
        onExpire={(silence) => setOpen({ kind: 'expire', silence })}
        onRetry={() => void silencesQuery.refetch()}
      />
      <HistorySection
        view={history}
        clusterName={clusterName}
        hasOlder={historyQuery.hasNextPage}
        loadingOlder={historyQuery.isFetchingNextPage}
        onOlder={() => void historyQuery.fetchNextPage()}
        onRetry={() => void historyQuery.refetch()}
      />
      <RulesSection
        view={rules}
        canChange={canChange}
        onAdd={() => setOpen({ kind: 'add' })}
        onEdit={(rule) => setOpen({ kind: 'edit', rule })}
        onDelete={(rule) => setOpen({ kind: 'delete', rule })}
        onRetry={() => void rulesQuery.refetch()}
      />
      {open.kind === 'add' && <RuleFormDialog onClose={close} onSaved={(rule) => done(`Added ${rule.name}. It is evaluated from the next collection of each cluster.`)} />}
      {open.kind === 'edit' && <RuleFormDialog editing={open.rule} onClose={close} onSaved={(rule) => done(`Saved ${rule.name}. The change applies from the next collection of each cluster.`)} />}
      {open.kind === 'silence' && <SilenceFormDialog initial={open.initial} clusterName={clusterName} onClose={close} onSaved={(s) => done(`Silenced until ${new Date(s.ends_at).toLocaleString()}.`)} />}
      {open.kind === 'expire' && <ExpireSilenceDialog silence={open.silence} onClose={close} onExpired={() => done('Expired the silence.')} />}
      {open.kind === 'ack' && <AckDialog alert={open.alert} onClose={close} onDone={() => done(`Acknowledged ${open.alert.rule} on ${open.alert.cluster}.`)} />}
      {open.kind === 'delete' && <DeleteRuleDialog rule={open.rule} onClose={close} onDeleted={() => done(`Deleted ${open.rule.name}.`)} />}
    </section>
  );
}
