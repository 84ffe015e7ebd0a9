import { isIPv6 } from 'node:net';

/**
 * The part of a client address a throttle counts by. One IPv6 subscriber usually holds a whole
 * /64 (2^64 addresses), so counting single IPv6 addresses would let anyone rotate past every
 * per-address limit: they are counted by their /64. IPv4-mapped IPv6 counts as the IPv4 address.
 */
export function throttleKeyOf(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const bare = address.split('%')[0] ?? address; // drop a zone id (fe80::1%eth0)
  if (!isIPv6(bare)) return address;
  const [head = '', tail = ''] = bare.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = bare.includes('::') ? (tail ? tail.split(':') : []) : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
