/**
 * The forms of `[security] allowed_targets` entries (networks, addresses, host patterns) and the
 * canonical form of an address, for the configuration to check the list and for the security
 * layer's TargetPolicy to apply it. Pure: no lookups here.
 */
import { isIP, isIPv4 } from 'node:net';

export const ALLOWED_TARGET_FORMS =
  'a list of networks in CIDR form (10.0.0.0/8, fd00::/8), single addresses (10.0.0.5) and host patterns ' +
  '(fe1.example.com, *.example.com, where * stands for one or more labels); [] allows any target';

export type TargetEntry = { readonly kind: 'network'; readonly address: string; readonly prefix: number; readonly family: 'ipv4' | 'ipv6' } | { readonly kind: 'pattern'; readonly pattern: RegExp };

const LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;

/** One entry of the list, or what is wrong with it. */
export function parseTargetEntry(text: string): TargetEntry | string {
  const value = text.trim().toLowerCase();
  if (value === '') return 'is empty';
  const slash = value.indexOf('/');
  if (slash !== -1 || isIP(stripBrackets(value)) !== 0) {
    const address = stripBrackets(slash === -1 ? value : value.slice(0, slash));
    const family = isIP(address);
    if (family === 0) return `"${text}" is not a network: ${address} is not an IPv4 or IPv6 address`;
    const max = family === 4 ? 32 : 128;
    const prefixText = slash === -1 ? String(max) : value.slice(slash + 1);
    const prefix = Number(prefixText);
    if (!/^\d+$/.test(prefixText) || prefix > max) return `"${text}" has a prefix length that is not a whole number from 0 to ${max}`;
    return { kind: 'network', address, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
  }
  const labels = value.replace(/\.$/, '').split('.');
  const wildcardAt = labels.indexOf('*');
  if (wildcardAt > 0 || labels.lastIndexOf('*') !== wildcardAt || !labels.every((l) => l === '*' || LABEL.test(l))) {
    return `"${text}" is not a network, an address or a host pattern (a leading * is the only wildcard)`;
  }
  if (canonicalAddress(value) !== null) return `"${text}" is an address in an unusual spelling; write it as ${canonicalAddress(value)}`;
  const body = labels.map((l) => (l === '*' ? '[^]+' : l.replace(/[-_]/g, '\\$&'))).join('\\.');
  return { kind: 'pattern', pattern: new RegExp(`^${body}$`) };
}

/** Checks the list as the configuration reads it: undefined when fine, else what is wrong. */
export function allowedTargetsProblem(entries: readonly string[]): string | undefined {
  for (const entry of entries) {
    const parsed = parseTargetEntry(entry);
    if (typeof parsed === 'string') return parsed;
  }
  return undefined;
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The address a host stands for when it is written as one, in its usual form: IPv4 in any
 * spelling the resolver accepts (decimal, hex, octal, shortened), IPv6 with an IPv4-mapped
 * address as that IPv4 address. Null for a name.
 */
export function canonicalAddress(host: string): string | null {
  const bare = stripBrackets(host.trim()).split('%')[0] ?? '';
  if (isIP(bare) === 6) {
    const mapped = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(new URL(`http://[${bare}]/`).hostname.slice(1, -1));
    if (!mapped) return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
    const word = (hex: string) => Number.parseInt(hex, 16);
    const [high, low] = [word(mapped[1] ?? '0'), word(mapped[2] ?? '0')];
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  try {
    const parsed = new URL(`http://${bare}/`).hostname;
    return isIPv4(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

