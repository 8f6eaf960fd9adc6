/**
 * From the session AVPs both LCCEs sent (RFC 3931 §5.4.4) to the options of a {@link Pseudowire}:
 * each AVP says what its *sender* needs on the data it receives, so ours set how we parse and
 * theirs how we send. Parsed control messages (ICRQ, ICRP, ICCN, …) have these typed fields, so
 * they can be passed as they are.
 */
import { L2tpError } from '../wire/errors.js';
import type { PseudowireOptions } from './pseudowire.js';

/** The session AVPs one LCCE sent that shape the data plane (typed fields of `parseControl`). */
export interface SessionDataAvps {
  /** Local Session ID (AVP 63): the sender's Session ID, which the other side writes on data. */
  readonly localSessionId?: number | undefined;
  /** Assigned Cookie (AVP 65): what data sent *to* the sender carries. */
  readonly assignedCookie?: Uint8Array | undefined;
  /** L2-Specific Sublayer (AVP 69) the sender needs on data it receives; absent means none. */
  readonly l2SpecificSublayer?: number | undefined;
  /** Data Sequencing (AVP 70) the sender needs on data it receives; absent means 0. */
  readonly dataSequencing?: number | undefined;
  /** Pseudowire Type (AVP 68), in the ICRQ/OCRQ. */
  readonly pseudowireType?: number | undefined;
}

/** The part of {@link PseudowireOptions} no AVP gives. */
export type PseudowireTuning = Pick<PseudowireOptions, 'sequenceWindow' | 'resyncThreshold'>;

/** Our own value wrong is local misuse (RangeError); the peer's is a remote error (L2tpError). */
function refuse(mine: boolean, what: string): never {
  if (mine) throw new RangeError(what);
  throw new L2tpError('PROTOCOL', `from the peer: ${what}`);
}

function sublayer(v: number | undefined, mine: boolean): 0 | 1 {
  const s = v ?? 0; // §5.4.4: "If the AVP is not received, it is assumed that there is no sublayer present."
  if (s === 0 || s === 1) return s;
  return refuse(mine, `L2-Specific Sublayer type ${s}: only 0 (none) and 1 (the default one, RFC 3931 §4.6) are supported`);
}

function sequencing(v: number | undefined, l2ss: 0 | 1, mine: boolean): 0 | 1 | 2 {
  const s = v ?? 0; // §5.4.4: "If no Data Sequencing AVP is received, a Data Sequencing Level of 0 is assumed."
  if (s !== 0 && s !== 1 && s !== 2) return refuse(mine, `Data Sequencing ${s} (RFC 3931 §5.4.4: 0, 1 or 2)`);
  if (s !== 0 && l2ss === 0) return refuse(mine, 'sequencing requested without an L2-Specific Sublayer (RFC 3931 §5.4.4: disconnect with Result Code 15)');
  return s;
}

/**
 * Options of a {@link Pseudowire} from what we sent (`ours`) and what the peer sent (`theirs`).
 * @throws `RangeError` when `ours` lacks a Local Session ID or asks for what the data plane cannot
 *   do; {@link L2tpError} `PROTOCOL` when `theirs` does: no or a zero Local Session ID, a sublayer
 *   other than none or the default one, or sequencing without a sublayer (§5.4.4: answer with a
 *   CDN, Result Code 15).
 * @example
 * ```ts
 * // LAC side: we sent the ICRQ, the peer answered with the ICRP
 * const pw = new Pseudowire(pseudowireOptions(sentIcrq, parseControl(icrpBytes)));
 * ```
 */
export function pseudowireOptions(ours: SessionDataAvps, theirs: SessionDataAvps, tuning: PseudowireTuning = {}): PseudowireOptions {
  if (ours.localSessionId === undefined) throw new RangeError('ours.localSessionId is missing: the Local Session ID AVP we sent (RFC 3931 §5.4.4)');
  if (!theirs.localSessionId) refuse(false, 'no Local Session ID, or 0 (RFC 3931 §5.4.4: non-zero)');
  const localL2SpecificSublayer = sublayer(ours.l2SpecificSublayer, true);
  const remoteL2SpecificSublayer = sublayer(theirs.l2SpecificSublayer, false);
  const cookie = theirs.assignedCookie;
  if (cookie !== undefined && cookie.length !== 0 && cookie.length !== 4 && cookie.length !== 8) refuse(false, `an Assigned Cookie of ${cookie.length} bytes (RFC 3931 §5.4.4: 4 or 8)`);
  const o: PseudowireOptions = {
    ...tuning,
    localSessionId: ours.localSessionId,
    remoteSessionId: theirs.localSessionId!,
    localL2SpecificSublayer,
    remoteL2SpecificSublayer,
    localDataSequencing: sequencing(ours.dataSequencing, localL2SpecificSublayer, true),
    remoteDataSequencing: sequencing(theirs.dataSequencing, remoteL2SpecificSublayer, false),
  };
  if (ours.assignedCookie?.length) o.localCookie = ours.assignedCookie;
  if (cookie?.length) o.remoteCookie = cookie;
  const pwType = theirs.pseudowireType ?? ours.pseudowireType;
  if (pwType !== undefined) o.pseudowireType = pwType;
  return o;
}
