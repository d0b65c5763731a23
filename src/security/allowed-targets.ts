/**
 * `[security] allowed_targets`: the networks and host names Stellar may connect to when it
 * collects a cluster or tests a connection. Without it, anyone who may register a cluster may
 * make Stellar knock on any host and port its own network reaches (a port scanner), Stellar
 * itself and cloud metadata addresses included.
 *
 * An address is checked in its canonical form: `2130706433`, `0x7f.1` and `0177.0.0.1` are
 * 127.0.0.1 to the resolver, so they are 127.0.0.1 here too. A name is allowed when a host
 * pattern covers it (the pattern trusts DNS for the names it covers) or when every address it
 * resolves to is in a listed network.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { canonicalAddress, parseTargetEntry, stripBrackets } from '../config/target-entries.js';

/**
 * Answers whether a host may be connected to; one per process, from the configuration, shared
 * by the collector and the connection tests, and given new entries by a configuration reload.
 */
export class TargetPolicy {
  /** No restriction: `allowed_targets = []`. */
  static readonly ANY = new TargetPolicy([]);

  #rules: { readonly networks: BlockList; readonly patterns: readonly RegExp[]; readonly any: boolean };

  /** Throws on an entry `allowedTargetsProblem` refuses (the configuration checks them first). */
  constructor(entries: readonly string[]) {
    this.#rules = rulesOf(entries);
  }

  /** Follows new entries from now on (a reload); checks under way finish with the old ones. Throws as the constructor does. */
  replace(entries: readonly string[]): void {
    if (this === TargetPolicy.ANY) throw new Error('TargetPolicy.ANY is shared and never replaced');
    this.#rules = rulesOf(entries);
  }

  /** Null when `host` may be connected to, else why not (a reason for a failed source). */
  async refusal(host: string): Promise<string | null> {
    const rules = this.#rules;
    if (rules.any) return null;
    const literal = canonicalAddress(host);
    if (literal !== null) {
      const spelled = literal === stripBrackets(host.trim()) ? host : `${host} (${literal})`;
      return inNetworks(rules.networks, literal) ? null : `${spelled} is outside [security] allowed_targets`;
    }
    const name = host.trim().toLowerCase().replace(/\.$/, '');
    if (rules.patterns.some((p) => p.test(name))) return null;
    let addresses: string[];
    try {
      addresses = (await lookup(name, { all: true })).map((a) => canonicalAddress(a.address) ?? a.address);
    } catch {
      return `${host} cannot be resolved, and no host pattern of [security] allowed_targets covers it`;
    }
    const outside = addresses.filter((a) => !inNetworks(rules.networks, a));
    if (addresses.length === 0) return `${host} resolves to no address`;
    return outside.length === 0 ? null : `${host} resolves to ${outside.join(', ')}, outside [security] allowed_targets`;
  }
}

function inNetworks(networks: BlockList, address: string): boolean {
  return networks.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

function rulesOf(entries: readonly string[]): { networks: BlockList; patterns: RegExp[]; any: boolean } {
  const networks = new BlockList();
  const patterns: RegExp[] = [];
  for (const text of entries) {
    const entry = parseTargetEntry(text);
    if (typeof entry === 'string') throw new Error(`security.allowed_targets: ${entry}`);
    if (entry.kind === 'network') networks.addSubnet(entry.address, entry.prefix, entry.family);
    else patterns.push(entry.pattern);
  }
  return { networks, patterns, any: entries.length === 0 };
}
