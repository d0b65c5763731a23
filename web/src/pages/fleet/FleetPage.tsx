/**
 * The fleet: every cluster with its health at a glance, refreshed every 30 s. Filters (tag,
 * status, name) and the order live in the URL, so a filtered view can be bookmarked or shared;
 * the server applies them (fleet-view.ts says how the URL becomes the request).
 */
import { useQuery } from '@tanstack/react-query';
import { type CSSProperties, type JSX, useId, useState } from 'react';
import type { FleetOverviewJson } from '@shared/api/fleet.js';
import { HEALTH_STATUSES, type HealthStatus } from '@shared/health.js';
import { apiQuery } from '../../app/api-client.js';
import { queryView, refreshEvery } from '../../app/query-client.js';
import { Link, useSearchParams } from '../../app/router.js';
import { RefreshMarker } from '../../app/RefreshMarker.js';
import { statusLook } from '../../app/status.js';
import { EmptyBlock, LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { useDocumentTitle } from '../../app/use-document-title.js';
import { useNow } from '../../app/use-now.js';
import { FleetCard } from './FleetCard.js';
import { FLEET_PAGE, FLEET_SORTS, type FleetSortChoice, fleetPath, parseSort, parseStatus, parseTags } from './fleet-view.js';
import './fleet.css';

export const FLEET_REFRESH_MS = 30_000;

export function FleetPage(): JSX.Element {
  useDocumentTitle('Fleet');
  const [search, setSearch] = useSearchParams();
  const filters = {
    tags: parseTags(search.getAll('tag')),
    status: parseStatus(search.get('status')),
    query: search.get('q') ?? '',
    sort: parseSort(search.get('sort')),
  };
  // How many cards are asked for: a page, and more on request.
  const [limit, setLimit] = useState(FLEET_PAGE);
  // The key is the request: a new filter or order is a new query, while the last answer stays on screen.
  const query = useQuery({ ...apiQuery<FleetOverviewJson>(fleetPath(filters, limit)), ...refreshEvery(FLEET_REFRESH_MS) });
  const fleet = queryView(query);
  const refresh = () => void query.refetch();
  const now = useNow(10_000);
  const ids = useId();

  if (fleet.data === undefined) {
    if (fleet.failure !== null) return <ProblemBlock title="The fleet could not be loaded" message={fleet.failure.message} onRetry={refresh} />;
    return <LoadingBlock label="Loading the fleet" />;
  }
  const { total, tags, counts, clusters, matched } = fleet.data;
  // The select picks one tag; a link may ask for several (`?tag=prod,eu`: clusters with both), shown as one choice.
  const tagValue = filters.tags.join(',');

  return (
    <section className="fleet-page" aria-labelledby="fleet-title">
      <div className="page-header">
        <h1 className="page-title" id="fleet-title">
          Fleet
        </h1>
        <StatusFilter counts={counts} selected={filters.status} onSelect={(status) => setSearch({ status }, { replace: true })} />
        <div className="page-header-end">
          <RefreshMarker view={fleet} now={now} onRefresh={refresh} />
        </div>
      </div>

      {total === 0 ? (
        <EmptyBlock
          title={
            <>
              No clusters yet — <Link to="/clusters">add one</Link>, or run <code>npm run demo</code>
            </>
          }
        >
          <span>The demo starts Stellar with three simulated StarRocks clusters, collected from the first second.</span>
        </EmptyBlock>
      ) : (
        <>
          <div className="fleet-toolbar" role="search">
            <label className="fleet-toolbar-field fleet-toolbar-search">
              <span className="visually-hidden">Filter by name</span>
              <input className="input" type="search" placeholder="Filter by name" value={filters.query} onChange={(e) => setSearch({ q: e.target.value === '' ? null : e.target.value }, { replace: true })} />
            </label>
            <span className="fleet-toolbar-field">
              <label className="fleet-toolbar-label" htmlFor={`${ids}-tag`}>
                Tag
              </label>
              <select id={`${ids}-tag`} className="select" value={tagValue} onChange={(e) => setSearch({ tag: e.target.value === '' ? null : e.target.value })}>
                <option value="">All tags</option>
                {tagValue !== '' && !tags.includes(tagValue) && <option value={tagValue}>{filters.tags.join(' and ')}</option>}
                {tags.map((tag) => (
                  <option key={tag} value={tag}>
                    {tag}
                  </option>
                ))}
              </select>
            </span>
            <span className="fleet-toolbar-field">
              <label className="fleet-toolbar-label" htmlFor={`${ids}-sort`}>
                Sort
              </label>
              <select id={`${ids}-sort`} className="select" value={filters.sort} onChange={(e) => setSearch({ sort: e.target.value === 'status' ? null : e.target.value }, { replace: true })}>
                {(Object.entries(FLEET_SORTS) as [FleetSortChoice, { label: string }][]).map(([value, { label }]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </span>
            <span className="fleet-toolbar-count muted">
              {clusters.length < matched ? `${clusters.length} of ${matched} matching, ${total} clusters` : `${clusters.length} of ${total} clusters`}
            </span>
          </div>
          {clusters.length === 0 ? (
            <EmptyBlock title="No cluster matches these filters">
              <button type="button" className="button" onClick={() => setSearch({ tag: null, status: null, q: null })}>
                Clear the filters
              </button>
            </EmptyBlock>
          ) : (
            <>
              <div className="fleet-grid">
                {clusters.map((cluster) => (
                  <FleetCard key={cluster.id} cluster={cluster} now={now} />
                ))}
              </div>
              {clusters.length < matched && (
                <div className="fleet-more">
                  <button type="button" className="button" onClick={() => setLimit(limit + FLEET_PAGE)}>
                    Show {Math.min(FLEET_PAGE, matched - clusters.length)} more
                  </button>
                </div>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}

/** The counts per status, each a toggle filtering the cards to that status. */
function StatusFilter(props: { counts: Record<HealthStatus, number>; selected: HealthStatus | null; onSelect: (status: string | null) => void }): JSX.Element {
  const { counts } = props;
  return (
    <div className="fleet-counts" role="group" aria-label="Clusters per status">
      {HEALTH_STATUSES.map((status) => {
        const look = statusLook(status);
        const pressed = props.selected === status;
        return (
          <button
            key={status}
            type="button"
            className="fleet-count"
            aria-pressed={pressed}
            disabled={counts[status] === 0 && !pressed}
            onClick={() => props.onSelect(pressed ? null : status)}
            style={{ '--status-color': look.color } as CSSProperties}
            title={look.description}
          >
            <span className="fleet-count-shape" aria-hidden="true">
              {look.shape}
            </span>
            <span className="num">{counts[status]}</span> {look.label}
          </button>
        );
      })}
    </div>
  );
}
