/// <reference types="node" />
/**
 * Helpers of the hostile tests and measurement scripts: a real SCCRQ (xl2tpd 1.3.18,
 * vectors/plain.hex #1) with any Assigned Tunnel ID, flooding sockets bound to other loopback
 * addresses, and raw TCP connections that say three bytes and stop.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { loadHex, toHex } from '../support/vectors.js';

const XL2TPD_SCCRQ = loadHex('plain')[0]!.bytes;
/** Where the Assigned Tunnel ID AVP (M=1, length 8, vendor 0, type 9) starts in it. */
const ATID_AVP = toHex(XL2TPD_SCCRQ).indexOf('800800000009') / 2;

/** xl2tpd's SCCRQ with another Assigned Tunnel ID (RFC 2661 §4.4.3, AVP 9: value at +6). */
export function sccrqWithTunnelId(id: number): Uint8Array {
  const b = XL2TPD_SCCRQ.slice();
  b[ATID_AVP + 6] = id >> 8;
  b[ATID_AVP + 7] = id & 0xff;
  return b;
}

/** A UDP socket bound to one loopback address, which ignores what it receives. */
export async function floodSocket(address: string): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  s.on('message', () => {});
  s.on('error', () => {});
  await new Promise<void>((r) => s.bind(0, address, r));
  return s;
}

export function closeSocket(s: dgram.Socket): Promise<void> {
  return new Promise((r) => s.close(() => r()));
}

/** `c8 02 00`: the first three bytes of an L2TPv2 control header (T, L, S; version 2), then nothing. */
export const THREE_BYTES = Uint8Array.of(0xc8, 0x02, 0x00);

/** A raw TCP connection from `localAddress` that writes `bytes` once connected; `closed` settles when the server closes it. */
export function heldConnection(port: number, localAddress: string, bytes: Uint8Array = THREE_BYTES): { socket: net.Socket; connected: Promise<void>; closed: Promise<void> } {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  socket.on('error', () => {});
  const connected = new Promise<void>((r) => socket.once('connect', () => (socket.write(bytes), r())));
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  return { socket, connected, closed };
}
