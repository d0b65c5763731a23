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

/** Answers whether a host may be connected to; one per process, from the configuration. */
export class TargetPolicy {
  /** No restriction: `allowed_targets = []`. */
  static readonly ANY = new TargetPolicy([]);

  readonly #networks = new BlockList();
  readonly #patterns: RegExp[] = [];
  readonly #any: boolean;

  /** Throws on an entry `allowedTargetsProblem` refuses (the configuration checks them first). */
  constructor(entries: readonly string[]) {
    this.#any = entries.length === 0;
    for (const text of entries) {
      const entry = parseTargetEntry(text);
      if (typeof entry === 'string') throw new Error(`security.allowed_targets: ${entry}`);
      if (entry.kind === 'network') this.#networks.addSubnet(entry.address, entry.prefix, entry.family);
      else this.#patterns.push(entry.pattern);
    }
  }

  /** Null when `host` may be connected to, else why not (a reason for a failed source). */
  async refusal(host: string): Promise<string | null> {
    if (this.#any) return null;
    const literal = canonicalAddress(host);
    if (literal !== null) {
      const spelled = literal === stripBrackets(host.trim()) ? host : `${host} (${literal})`;
      return this.#inNetworks(literal) ? null : `${spelled} is outside [security] allowed_targets`;
    }
    const name = host.trim().toLowerCase().replace(/\.$/, '');
    if (this.#patterns.some((p) => p.test(name))) return null;
    let addresses: string[];
    try {
      addresses = (await lookup(name, { all: true })).map((a) => canonicalAddress(a.address) ?? a.address);
    } catch {
      return `${host} cannot be resolved, and no host pattern of [security] allowed_targets covers it`;
    }
    const outside = addresses.filter((a) => !this.#inNetworks(a));
    if (addresses.length === 0) return `${host} resolves to no address`;
    return outside.length === 0 ? null : `${host} resolves to ${outside.join(', ')}, outside [security] allowed_targets`;
  }

  #inNetworks(address: string): boolean {
    return this.#networks.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
}
