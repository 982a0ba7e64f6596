import { isIPv4 } from 'node:net';

/** Whether a socket's peer address is on the loopback interface (IPv4, IPv6, or IPv4-mapped). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return isIPv4(v4) && v4.startsWith('127.');
}
