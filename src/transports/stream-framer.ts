/**
 * L2TP over a byte stream (TCP, Workers sockets): splitting the stream back into messages.
 *
 * **Not in any RFC.** L2TP is defined over datagrams (UDP, RFC 2661 §8.1; RFC 3931 §4.1.2.1) or
 * straight over IP (RFC 3931 §4.1.1). l2tp-wire also carries it over TCP, because some runtimes
 * (Cloudflare Workers) can open only TCP; a relay (`createRelay`) bridges to a UDP peer. The framing
 * is the L2TP header's own Length field, or the same two bytes where a header has none — no extra
 * bytes are added:
 *
 * - control messages and L2TPv2 data messages carry L=1 on a stream, so bytes 2–3 hold their total
 *   length (RFC 2661 §3.1; RFC 3931 §3.2.1 for v3 control, where L is always 1). Control messages
 *   always do; L2TPv2 data messages must be sent with L=1 ({@link toStreamMessage} inserts the field
 *   when missing);
 * - an L2TPv3 data message over UDP has no Length field: its bytes 2–3 are Reserved, "MUST be 0 on
 *   send, ignored on receipt" (RFC 3931 §4.1.2.1). **Our convention** on a stream: those two bytes
 *   carry the message's total length, big-endian, the same place every other L2TP header keeps
 *   its Length. {@link toStreamMessage} writes it (a copy; the T bit and Ver stay as they are, no L
 *   bit is set, that bit being reserved in a v3 data header) and {@link StreamFramer} clears it back
 *   to 0 before handing the message up, so everything above the transport sees exactly the bytes
 *   the message has over UDP (and a relay forwards them to UDP as they are). The framer reads the
 *   length before it knows the session, so its floor is the 8-byte header without a cookie: the
 *   flags word, Reserved, and the 32-bit Session ID;
 * - a message whose first word lacks L (v2, or v3 control), names a version other than 2 or 3, or
 *   whose length is shorter than the header its flags announce (zero included) means the framing
 *   is lost: there is no way to find the next message boundary, so the stream is unusable and the
 *   transport closes.
 *
 * Isomorphic (no `node:` imports): the Node net and Workers adapters share it.
 * @module
 */
import { assertBytes, put16, u16 } from '../wire/bytes.js';
import { L2tpError } from '../wire/errors.js';
import { HeaderFlag } from '../wire/header.js';

/**
 * Largest message a 16-bit Length field can describe, and so the most a framer ever buffers.
 * @example
 * ```ts
 * if (message.length > STREAM_MAX_MESSAGE_LENGTH) throw new RangeError('too big for a stream transport');
 * ```
 */
export const STREAM_MAX_MESSAGE_LENGTH = 0xffff;

/** Bytes needed to read the flags word and the Length field. */
const PREFIX = 4;

/** An L2TPv3 data header over UDP without its cookie (RFC 3931 §4.1.2.1): flags word, Reserved, Session ID. */
const V3_DATA_HEADER = 8;

/** Whether this flags word starts an L2TPv3 data message: T clear, Ver 3 (RFC 3931 §4.1.2.1). */
function isV3Data(flags: number): boolean {
  return (flags & 0x000f) === 3 && !(flags & HeaderFlag.Type);
}

/**
 * Smallest Length a message with these flags can have: the header its flags announce.
 * v2 (RFC 2661 §3.1): flags, Length, Tunnel ID, Session ID = 8; +4 for Ns/Nr (S); +2 for Offset
 * Size (O; the pad itself is not known yet). v3 control (RFC 3931 §3.2.1): 12. v3 data
 * (§4.1.2.1): flags word, Reserved, Session ID = 8 (the cookie's size is the session's, unknown here).
 */
function minimumLength(flags: number): number {
  if ((flags & 0x000f) === 3) return flags & HeaderFlag.Type ? 12 : V3_DATA_HEADER;
  let n = 8;
  if (flags & HeaderFlag.Sequence) n += 4;
  if (flags & HeaderFlag.Offset) n += 2;
  return n;
}

/**
 * Check the 4-byte prefix at `b[o]` and return the message length. `at` is the stream offset for
 * the error.
 */
function frameLength(b: Uint8Array, o: number, at: number): number {
  const flags = u16(b, o);
  const version = flags & 0x000f;
  if (version !== 2 && version !== 3) {
    throw new L2tpError('BAD_VERSION', `stream framing lost: version ${version} is not L2TP (2 or 3)`, at + 1);
  }
  // v3 data: the length rides in the Reserved bytes (our convention, see the module notes); the L
  // bit is reserved there, so it is not looked at.
  if (!isV3Data(flags) && !(flags & HeaderFlag.Length)) {
    throw new L2tpError('BAD_FLAGS', 'stream framing lost: a message on a stream must carry L=1 (the Length field)', at);
  }
  const length = u16(b, o + 2);
  const min = minimumLength(flags);
  if (length < min) {
    const what = isV3Data(flags) ? 'an L2TPv3 data header without cookie (RFC 3931 §4.1.2.1)' : 'header its flags announce';
    throw new L2tpError('BAD_LENGTH', `stream framing lost: Length ${length} is shorter than the ${min}-byte ${what}`, at + 2);
  }
  return length;
}

/**
 * Reassembles whole L2TP messages from the chunks a byte stream delivers, by the header's Length
 * field (see the module notes: a deviation from the RFCs, which define only datagram transports).
 *
 * - An L2TPv3 data message is framed by the length our convention puts in its Reserved bytes 2–3,
 *   which are set back to 0 before `onMessage` sees it: the same bytes as over UDP.
 * - Messages split across chunks and several messages in one chunk both work.
 * - Memory is bounded: at most one incomplete message (≤ 65535 bytes) is buffered.
 * - Zero-copy where possible: a message lying wholly inside one chunk is delivered as a
 *   `subarray` of that chunk, so **the framer takes ownership of each chunk**: the caller must not
 *   write to a chunk after pushing it, and the framer itself writes to it (the Reserved bytes of a
 *   v3 data message) (Node's socket chunks and `ReadableStream` default-reader
 *   chunks are fresh; a BYOB reader's are not — copy those first).
 * - A framing error throws an {@link L2tpError} (`BAD_VERSION`, `BAD_FLAGS`, `BAD_LENGTH`; offset =
 *   byte offset in the stream) after the messages before it in the chunk have been delivered; the
 *   framer is then unusable and every later call throws the same error.
 * - `onMessage` must not throw (the transports wrap user handlers); if it does, the exception
 *   propagates out of {@link push} and, the rest of that chunk being lost, poisons the framer too.
 *
 * @example
 * ```ts
 * const framer = new StreamFramer((message) => handle(message));
 * socket.on('data', (chunk) => framer.push(chunk));
 * socket.on('end', () => framer.end()); // throws TRUNCATED if the peer stopped mid-message
 * ```
 */
export class StreamFramer {
  /** The first bytes of a message whose 4-byte prefix is still incomplete. */
  private readonly head = new Uint8Array(PREFIX);
  private headFilled = 0;
  /** An incomplete message (its full length is known), and how much of it has arrived. */
  private partial: Uint8Array | undefined;
  private filled = 0;
  /** Stream offset of the first byte of the message being assembled. */
  private position = 0;
  private failure: Error | undefined;

  /** @param onMessage - called once per whole message, in stream order. */
  constructor(private readonly onMessage: (message: Uint8Array) => void) {
    if (typeof onMessage !== 'function') throw new TypeError('new StreamFramer(onMessage): onMessage must be a function');
  }

  /** Bytes of an incomplete message currently held (0 … 65535). */
  get buffered(): number {
    return this.partial ? this.filled : this.headFilled;
  }

  /**
   * Bytes of memory this framer holds for an incomplete message: the whole announced Length once
   * its prefix is in (the buffer is allocated then), else the prefix bytes (0 … 65535).
   */
  get reserved(): number {
    return this.partial ? this.partial.length : this.headFilled;
  }

  /** The error that made this framer unusable, if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  /**
   * Feed the next chunk of the stream; whole messages go to `onMessage` before this returns.
   * @throws {@link L2tpError} when the framing is lost (see the class notes).
   */
  push(chunk: Uint8Array): void {
    assertBytes(chunk, 'chunk');
    if (this.failure) throw this.failure;
    try {
      this.consume(chunk);
    } catch (e) {
      this.failure = e instanceof Error ? e : new Error(String(e));
      throw e;
    }
  }

  /**
   * The stream ended. Throws `TRUNCATED` when it ended inside a message (the peer closed or
   * reset mid-message); otherwise does nothing.
   */
  end(): void {
    if (this.failure) return;
    const held = this.buffered;
    if (held > 0) {
      const expected = this.partial ? `${this.partial.length}-byte` : 'next';
      this.failure = new L2tpError('TRUNCATED', `stream ended ${held} bytes into a ${expected} message`, this.position + held);
      throw this.failure;
    }
  }

  /**
   * Hand one whole message up. An L2TPv3 data message gets its Reserved bytes back to 0 (the
   * length we carried there is ours, not the RFC's: RFC 3931 §4.1.2.1), written in place: the
   * framer owns the chunk (see the class notes) and the reassembly buffer.
   */
  private deliver(m: Uint8Array): void {
    if (isV3Data(u16(m, 0))) {
      m[2] = 0;
      m[3] = 0;
    }
    this.onMessage(m);
  }

  private consume(chunk: Uint8Array): void {
    const n = chunk.length;
    let pos = 0;
    if (this.headFilled > 0) {
      // Finish a prefix split across chunks.
      const take = Math.min(PREFIX - this.headFilled, n);
      this.head.set(chunk.subarray(0, take), this.headFilled);
      this.headFilled += take;
      pos = take;
      if (this.headFilled < PREFIX) return;
      const length = frameLength(this.head, 0, this.position);
      this.partial = new Uint8Array(length);
      this.partial.set(this.head);
      this.filled = PREFIX;
      this.headFilled = 0;
    }
    if (this.partial) {
      // Finish the message started in an earlier chunk (a copy is unavoidable here).
      const m = this.partial;
      const take = Math.min(m.length - this.filled, n - pos);
      m.set(chunk.subarray(pos, pos + take), this.filled);
      this.filled += take;
      pos += take;
      if (this.filled < m.length) return;
      this.partial = undefined;
      this.filled = 0;
      this.position += m.length;
      this.deliver(m);
    }
    while (pos < n) {
      if (n - pos < PREFIX) {
        this.head.set(chunk.subarray(pos), 0);
        this.headFilled = n - pos;
        return;
      }
      const length = frameLength(chunk, pos, this.position);
      if (pos + length > n) {
        this.partial = new Uint8Array(length);
        this.partial.set(chunk.subarray(pos));
        this.filled = n - pos;
        return;
      }
      const m = chunk.subarray(pos, pos + length);
      pos += length;
      this.position += length;
      this.deliver(m);
    }
  }
}

/**
 * Make a message fit for a stream transport: returned unchanged when it already carries L=1 with
 * a Length equal to its size; an L2TPv2 message without L gets the Length field inserted (a copy,
 * 2 bytes longer — RFC 2661 §3.1 puts the field right after the flags word); an L2TPv3 data
 * message gets its total length written into its Reserved bytes 2–3 (a copy, same size; our
 * convention, see the module notes — unchanged when they already hold it).
 *
 * @throws `TypeError` unless `message` is a `Uint8Array`.
 * @throws `RangeError` for what no stream can carry: a version other than 2 or 3, a v3 control
 *   message without L, a Length that disagrees with the message size, a header shorter than its
 *   flags announce (8 bytes for v3 data), or a message that would exceed 65535 bytes.
 * @example
 * ```ts
 * socket.write(toStreamMessage(encodeData({ tunnelId: 7, sessionId: 5, payload }))); // L2TPv2 data gains L=1
 * socket.write(toStreamMessage(pseudowire.send(ethernetFrame))); // L2TPv3 data: its length in bytes 2–3
 * ```
 */
export function toStreamMessage(message: Uint8Array): Uint8Array {
  assertBytes(message, 'message');
  if (message.length < PREFIX) throw new RangeError(`message must hold at least an L2TP header, got ${message.length} bytes`);
  const flags = u16(message, 0);
  const version = flags & 0x000f;
  if (version !== 2 && version !== 3) throw new RangeError(`message must be L2TPv2 or L2TPv3, got version ${version}`);
  if (isV3Data(flags)) return withV3DataLength(message);
  if (flags & HeaderFlag.Length) {
    const length = u16(message, 2);
    if (length !== message.length) {
      throw new RangeError(`message Length field says ${length} but the message is ${message.length} bytes; a stream needs them equal`);
    }
    const min = minimumLength(flags);
    if (length < min) throw new RangeError(`message Length ${length} is shorter than the ${min}-byte header its flags announce`);
    return message;
  }
  if (version === 3) throw new RangeError('an L2TPv3 control message must carry L=1 (RFC 3931 §3.2.1)');
  const length = message.length + 2;
  if (length > STREAM_MAX_MESSAGE_LENGTH) {
    throw new RangeError(`message of ${message.length} bytes is too long to carry a Length field (max ${STREAM_MAX_MESSAGE_LENGTH - 2} without it)`);
  }
  const min = minimumLength(flags | HeaderFlag.Length);
  if (length < min) throw new RangeError(`message of ${message.length} bytes is shorter than the header its flags announce`);
  const out = new Uint8Array(length);
  put16(out, 0, flags | HeaderFlag.Length);
  put16(out, 2, length);
  out.set(message.subarray(2), 4);
  return out;
}

/** An L2TPv3 data message with its length in the Reserved bytes 2–3 (our stream convention). */
function withV3DataLength(message: Uint8Array): Uint8Array {
  const length = message.length;
  if (length > STREAM_MAX_MESSAGE_LENGTH) throw new RangeError(`an L2TPv3 data message of ${length} bytes is too long for a stream (max ${STREAM_MAX_MESSAGE_LENGTH})`);
  if (length < V3_DATA_HEADER) throw new RangeError(`an L2TPv3 data message is at least ${V3_DATA_HEADER} bytes (flags, Reserved, Session ID: RFC 3931 §4.1.2.1), got ${length}`);
  if (u16(message, 2) === length) return message;
  // A copy: the caller's bytes are theirs (and hold 0 there, the RFC's value on send).
  const out = message.slice();
  put16(out, 2, length);
  return out;
}
