/**
 * The cluster form's "Sources" control: follow `[metrics] sources` (shown as it is set now), or
 * this cluster's own choice of the optional sources, each with what it reads and what it costs
 * the cluster per interval (the words of the configuration's own comment, @shared/optional-sources.ts).
 */
import { type JSX, useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { SourcesJson } from '@shared/api/clusters.js';
import { OPTIONAL_SOURCE_INFO, OPTIONAL_SOURCES, type OptionalSource } from '@shared/optional-sources.js';
import { apiQuery } from '../../app/api-client.js';
import type { SourcesChoice } from './cluster-form.js';

/** `[metrics] sources` in words: "Follower /metrics, BE/CN /metrics", or "none". */
function named(sources: readonly OptionalSource[]): string {
  return sources.length === 0 ? 'none' : sources.map((s) => OPTIONAL_SOURCE_INFO[s].label).join(', ');
}

export function SourcesControl(props: { value: SourcesChoice; onChange: (next: SourcesChoice) => void; error?: string | undefined }): JSX.Element {
  const id = useId();
  const { data } = useQuery(apiQuery<SourcesJson>('/api/clusters/sources'));
  const global = data?.global ?? null;
  const { follow, own } = props.value;
  // While following, the boxes show the global set; leaving it starts from that set.
  const checked = (source: OptionalSource): boolean => (follow ? (global ?? []).includes(source) : own.includes(source));
  const setFollow = (next: boolean) => props.onChange({ follow: next, own: next ? own : [...(global ?? own)] });
  const toggle = (source: OptionalSource, on: boolean) =>
    props.onChange({ follow: false, own: OPTIONAL_SOURCES.filter((s) => (s === source ? on : own.includes(s))) });

  return (
    <div className="field field-wide cluster-form-sources" role="group" aria-labelledby={`${id}-label`} aria-describedby={`${id}-hint`}>
      <span className="field-label" id={`${id}-label`}>
        Sources
      </span>
      <span className="field-hint" id={`${id}-hint`}>
        Always read: the node lists and the configured FE’s /metrics. Each optional source costs the cluster requests every interval.
      </span>
      <label className="checkbox">
        <input type="checkbox" className="cluster-form-sources-follow" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
        Follow the global setting ({global === null ? '[metrics] sources' : `now: ${named(global)}`})
      </label>
      {OPTIONAL_SOURCES.map((source) => (
        <label key={source} className="checkbox cluster-form-source">
          <input type="checkbox" name={`source-${source}`} value={source} checked={checked(source)} disabled={follow} onChange={(e) => toggle(source, e.target.checked)} />
          <span>
            {OPTIONAL_SOURCE_INFO[source].label} <code>{source}</code>
            <span className="field-hint cluster-form-source-cost">
              {' '}
              — {OPTIONAL_SOURCE_INFO[source].reads}: {OPTIONAL_SOURCE_INFO[source].cost}
            </span>
          </span>
        </label>
      ))}
      {props.error !== undefined && (
        <span className="field-error" role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}
