/**
 * saveFailure (web/src/app/api-error.ts): what the rule and custom-metric forms
 * (useServerCheckedForm) show of a refused save, read with the forms' own detail readers.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, saveFailure } from '../../web/src/app/api-error.js';
import { ruleErrorsFromDetails } from '../../web/src/pages/alerts/alert-view.js';
import { metricErrorsFromDetails } from '../../web/src/pages/custom-metrics/custom-metric-view.js';

describe('saveFailure', () => {
  it('puts the details naming a field next to it, and those naming none above the buttons', () => {
    const refused = new ApiError(400, 'STELLAR_ERR_VALIDATION', 'Invalid request body', [
      { field: 'condition', message: 'expected a field at 0' },
      { field: 'labels.team', message: 'not allowed' },
      { field: 'scope', message: 'unknown cluster 9' },
    ]);
    expect(saveFailure(refused, ruleErrorsFromDetails)).toEqual({ fields: { condition: 'expected a field at 0' }, message: 'labels.team not allowed; scope unknown cluster 9' });
  });

  it('says the error’s own message above the buttons when every detail found its field', () => {
    const taken = new ApiError(409, 'STELLAR_ERR_CUSTOM_METRIC_NAME_TAKEN', 'The name is taken', [
      { field: 'name', message: 'is declared in the config file' },
      { field: 'labels.user', message: 'bad' },
    ]);
    expect(saveFailure(taken, metricErrorsFromDetails)).toEqual({ fields: { name: 'is declared in the config file', labels: 'user: bad' }, message: 'The name is taken' });
  });

  it('shows a failure without details as its message alone', () => {
    expect(saveFailure(new ApiError(0, 'NETWORK', 'Stellar did not answer (is the service running?)'), ruleErrorsFromDetails)).toEqual({ fields: {}, message: 'Stellar did not answer (is the service running?)' });
    expect(saveFailure(new TypeError('Failed to fetch'), metricErrorsFromDetails)).toEqual({ fields: {}, message: 'Failed to fetch' });
    expect(saveFailure('aborted', metricErrorsFromDetails)).toEqual({ fields: {}, message: 'aborted' });
  });
});
