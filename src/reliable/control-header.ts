/**
 * The part of a control header the Sequencer writes: Ns and Nr (RFC 2661 §3.1, RFC 3931
 * §3.2.1), and the check that bytes handed to it are a sequenced control message.
 * @internal
 */
import { assertBytes, u16 } from '../wire/bytes.js';

/** Byte offsets of Ns and Nr in both the v2 (L=1, S=1) and the v3 control header. */
export const NS_OFFSET = 8;
export const NR_OFFSET = 10;
const CONTROL_HEADER_LENGTH = 12;

/**
 * Throws unless `bytes` is an encoded v2 or v3 control message with AVPs: `TypeError` for
 * anything else, `RangeError` for a ZLB (never sequenced, RFC 2661 §5.8).
 */
export function assertSequenced(bytes: Uint8Array): void {
  assertBytes(bytes);
  if (bytes.length < CONTROL_HEADER_LENGTH) {
    throw new TypeError(`bytes must be an encoded control message of at least ${CONTROL_HEADER_LENGTH} bytes, got ${bytes.length}`);
  }
  const flags = u16(bytes, 0);
  const version = flags & 0x000f;
  // T, L and S set, O and P clear: the only layout with Ns at byte 8 (RFC 2661 §3.1, RFC 3931 §3.2.1).
  if ((flags & 0xcb00) !== 0xc800 || (version !== 2 && version !== 3)) {
    throw new TypeError(`bytes must start with a v2 or v3 control header (T, L, S set; O, P clear), got flags 0x${flags.toString(16).padStart(4, '0')}`);
  }
  if (u16(bytes, 2) <= CONTROL_HEADER_LENGTH) {
    throw new RangeError('a ZLB is not sequenced (RFC 2661 §5.8): send it yourself when an output has ack set, with its ackNs and ackNr');
  }
}
