import { describe, expect, it } from 'vitest';
import { envValues } from '../config/sources.js';
import { resolveConfig } from '../config/resolve.js';
import { allowedTargetsProblem, canonicalAddress } from '../config/target-entries.js';
import { TargetPolicy } from './allowed-targets.js';

describe('canonicalAddress', () => {
  it('reads loopback in every spelling the resolver accepts as 127.0.0.1', () => {
    for (const spelling of ['127.0.0.1', '2130706433', '0x7f000001', '0x7f.1', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]', '::ffff:7f00:1']) {
      expect(canonicalAddress(spelling), spelling).toBe('127.0.0.1');
    }
    expect(canonicalAddress('[::1]')).toBe('::1');
    expect(canonicalAddress('fe1.example.com')).toBeNull();
  });
});

describe('TargetPolicy', () => {
  it('allows any host when the list is empty (the default)', async () => {
    expect(await TargetPolicy.ANY.refusal('169.254.169.254')).toBeNull();
  });

  it('follows the entries a configuration reload gives it, from the next check on', async () => {
    const policy = new TargetPolicy(['10.0.0.0/8']);
    expect(await policy.refusal('192.168.1.7')).toBe('192.168.1.7 is outside [security] allowed_targets');
    policy.replace(['192.168.0.0/16']);
    expect(await policy.refusal('192.168.1.7')).toBeNull();
    expect(await policy.refusal('10.1.2.3')).toBe('10.1.2.3 is outside [security] allowed_targets');
    policy.replace([]);
    expect(await policy.refusal('10.1.2.3')).toBeNull();
    expect(() => TargetPolicy.ANY.replace(['10.0.0.0/8'])).toThrow('never replaced');
  });

  it('matches addresses in any spelling against the networks, and says why it refuses', async () => {
    const policy = new TargetPolicy(['10.0.0.0/8', 'fd00::/8', '192.168.1.7']);
    expect(await policy.refusal('10.1.2.3')).toBeNull();
    expect(await policy.refusal('0x0a.1')).toBeNull();
    expect(await policy.refusal('192.168.1.7')).toBeNull();
    expect(await policy.refusal('fd12::5')).toBeNull();
    expect(await policy.refusal('192.168.1.8')).toBe('192.168.1.8 is outside [security] allowed_targets');
    for (const loopback of ['2130706433', '0x7f.1', '0177.0.0.1', '::ffff:127.0.0.1']) {
      expect(await policy.refusal(loopback), loopback).toBe(`${loopback} (127.0.0.1) is outside [security] allowed_targets`);
    }
  });

  it('allows a name a host pattern covers, or one whose every address is in a network', async () => {
    const patterns = new TargetPolicy(['*.example.com', 'fe1.corp']);
    expect(await patterns.refusal('a.b.example.com')).toBeNull();
    expect(await patterns.refusal('FE1.corp.')).toBeNull();
    expect(await patterns.refusal('example.com.evil')).toMatch(/cannot be resolved|outside/);
    // localhost resolves (from /etc/hosts) to loopback: its addresses decide, not its name.
    expect(await new TargetPolicy(['10.0.0.0/8']).refusal('localhost')).toMatch(/^localhost resolves to .*127\.0\.0\.1.*, outside \[security\] allowed_targets$/);
    expect(await new TargetPolicy(['127.0.0.0/8', '::1/128']).refusal('localhost')).toBeNull();
  });

  it('refuses entries that are neither a network, an address nor a host pattern', () => {
    expect(allowedTargetsProblem(['10.0.0.0/8', '*.example.com'])).toBeUndefined();
    expect(allowedTargetsProblem(['10.0.0.0/33'])).toBe('"10.0.0.0/33" has a prefix length that is not a whole number from 0 to 32');
    expect(allowedTargetsProblem(['10.0.0.300/8'])).toMatch(/is not a network/);
    expect(allowedTargetsProblem(['fe*.example.com'])).toMatch(/a leading \* is the only wildcard/);
    expect(allowedTargetsProblem(['0x7f.1'])).toBe('"0x7f.1" is an address in an unusual spelling; write it as 127.0.0.1');
  });

  it('is the config key security.allowed_targets, whose errors name key, value and accepted forms', () => {
    const { config } = resolveConfig(envValues({ APP_SECURITY_ALLOWED_TARGETS: '10.0.0.0/8, *.example.com' }).values);
    expect(config.security.allowed_targets).toEqual(['10.0.0.0/8', '*.example.com']);
    expect(resolveConfig([]).config.security.allowed_targets).toEqual([]);
    expect(() => resolveConfig(envValues({ APP_SECURITY_ALLOWED_TARGETS: '10.0.0.0/99' }).values)).toThrow(
      /^config error: security\.allowed_targets = "10\.0\.0\.0\/99" from env APP_SECURITY_ALLOWED_TARGETS: .*prefix length.*; accepted: a list of networks in CIDR form/,
    );
  });
});
