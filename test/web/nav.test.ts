import { describe, expect, it } from 'vitest';
import { currentNavLabel } from '../../web/src/app/nav.js';

describe('header navigation', () => {
  it('lights Fleet on the fleet and on a cluster overview (reached from the fleet)', () => {
    expect(currentNavLabel('/')).toBe('Fleet');
    expect(currentNavLabel('/clusters/1')).toBe('Fleet');
    expect(currentNavLabel('/clusters/42')).toBe('Fleet');
  });

  it('lights Clusters on the registry page only, matched exactly', () => {
    expect(currentNavLabel('/clusters')).toBe('Clusters');
    expect(currentNavLabel('/clusters-archive')).toBeNull();
    expect(currentNavLabel('/clusters/new')).toBeNull();
  });

  it('lights Access on the users and tokens page', () => {
    expect(currentNavLabel('/access')).toBe('Access');
  });

  it('lights nothing elsewhere', () => {
    expect(currentNavLabel('/login')).toBeNull();
    expect(currentNavLabel('/nowhere')).toBeNull();
  });
});
