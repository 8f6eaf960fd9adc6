/**
 * The RFC rules the mutators break, one row each: what a conformant receiver does with a message
 * that breaks it. The `text` is a paraphrase of the RFC's requirement, not a quotation.
 */

/**
 * What a conformant receiver does with a mutated message:
 * - `parse-error`: the message is malformed; the receiver discards it (this library's parser
 *   throws an `L2tpError`, with one of the rule's `errorCodes`).
 * - `peer-teardown`: the message is well-formed but obliges the receiver to close the tunnel
 *   (StopCCN) or the session (CDN).
 * - `ignored`: the receiver must not act on what was changed: the rest of the message is handled
 *   as usual (reserved bits, an unknown M=0 AVP), or, for a sequence error, the message is not
 *   delivered (a duplicate is acknowledged again).
 */
export type Expectation = 'parse-error' | 'peer-teardown' | 'ignored';

/** Identifiers of the rules in {@link RULES}. */
export type RuleId =
  | 'control-flags'
  | 'header-reserved-bits'
  | 'length-exceeds-datagram'
  | 'length-below-header'
  | 'length-cuts-avp'
  | 'avp-length-under-6'
  | 'avp-length-past-end'
  | 'avp-value-size'
  | 'avp-reserved-bits'
  | 'unknown-mandatory-avp'
  | 'unknown-ignorable-avp'
  | 'vendor-avp-ietf-collision'
  | 'message-type-not-first'
  | 'message-type-hidden'
  | 'unknown-message-type'
  | 'missing-required-avp'
  | 'zero-assigned-id'
  | 'hidden-without-random-vector'
  | 'hidden-length-overflow'
  | 'ns-out-of-window'
  | 'nr-out-of-window';

/** One RFC rule a mutation breaks. */
export interface RfcRule {
  readonly id: RuleId;
  /** `'RFC 2661'`. */
  readonly rfc: string;
  /** `'§3.1'`, … */
  readonly section: string;
  /** The requirement, paraphrased. */
  readonly text: string;
  /** The `L2tpError` codes `parseControl` reports, for `parse-error` rules (in order of preference). */
  readonly errorCodes?: readonly string[];
}

const R = 'RFC 2661';

function rule(id: RuleId, section: string, text: string, errorCodes?: readonly string[]): RfcRule {
  return errorCodes ? { id, rfc: R, section, text, errorCodes } : { id, rfc: R, section, text };
}

/**
 * Every rule, by id.
 * @example
 * ```ts
 * const r = RULES['avp-length-under-6'];
 * console.log(`${r.rfc} ${r.section}: ${r.text}`);   // RFC 2661 §4.1: An AVP Length counts …
 * ```
 */
export const RULES: Readonly<Record<RuleId, RfcRule>> = {
  'control-flags': rule('control-flags', '§3.1', 'A control message has T=1, L=1 and S=1, and O=0 and P=0.', ['BAD_FLAGS']),
  'header-reserved-bits': rule('header-reserved-bits', '§3.1', 'Reserved header bits are sent as 0 and ignored on receipt.'),
  'length-exceeds-datagram': rule('length-exceeds-datagram', '§3.1', 'The Length field is the total length of the message in octets; it cannot exceed what arrived.', ['BAD_LENGTH']),
  'length-below-header': rule('length-below-header', '§3.1', 'The Length field covers at least the 12-octet control header.', ['BAD_LENGTH']),
  'length-cuts-avp': rule('length-cuts-avp', '§3.1, §4.1', 'The message Length ends on an AVP boundary: every AVP lies within the message.', ['BAD_AVP_LENGTH', 'TRUNCATED']),
  'avp-length-under-6': rule('avp-length-under-6', '§4.1', 'An AVP Length counts the 6-octet AVP header, so it is at least 6.', ['BAD_AVP_LENGTH']),
  'avp-length-past-end': rule('avp-length-past-end', '§4.1', 'An AVP cannot extend past the end of the message.', ['BAD_AVP_LENGTH']),
  'avp-value-size': rule('avp-value-size', '§4.4', 'A fixed-size AVP has the Length its definition gives (e.g. Assigned Tunnel ID: 8).', ['BAD_AVP_VALUE']),
  'avp-reserved-bits': rule('avp-reserved-bits', '§4.1', 'An AVP with a reserved bit set is treated as unrecognized: tear down if M=1, ignore if M=0.'),
  'unknown-mandatory-avp': rule('unknown-mandatory-avp', '§4.1', 'An unrecognized AVP with M=1 terminates the session (session message) or the whole tunnel (tunnel message).'),
  'unknown-ignorable-avp': rule('unknown-ignorable-avp', '§4.1', 'An unrecognized AVP with M=0 is ignored.'),
  'vendor-avp-ietf-collision': rule('vendor-avp-ietf-collision', '§4.1', 'AVPs are identified by Vendor ID and Attribute Type together: a vendor AVP is never the IETF AVP of the same type.'),
  'message-type-not-first': rule('message-type-not-first', '§4.4.1', 'The Message Type AVP is the first AVP of a control message.', ['MESSAGE_TYPE_NOT_FIRST']),
  'message-type-hidden': rule('message-type-hidden', '§4.4.1', 'The Message Type AVP is never hidden.', ['BAD_AVP_VALUE']),
  'unknown-message-type': rule('unknown-message-type', '§4.4.1', 'An unknown Message Type with M=1 clears the tunnel.'),
  'missing-required-avp': rule('missing-required-avp', '§6', 'Each control message carries the AVPs its §6 subsection lists as required.', ['MISSING_AVP']),
  'zero-assigned-id': rule('zero-assigned-id', '§4.4.3, §4.4.4', 'Assigned Tunnel ID and Assigned Session ID are non-zero.'),
  'hidden-without-random-vector': rule('hidden-without-random-vector', '§4.3', 'A Random Vector AVP precedes the first AVP with the H bit set.', ['HIDDEN_WITHOUT_RANDOM_VECTOR']),
  'hidden-length-overflow': rule('hidden-length-overflow', '§4.3', "A hidden AVP's Original Length fits in the hidden value (after its 2-octet length field).", ['BAD_HIDDEN_LENGTH']),
  'ns-out-of-window': rule('ns-out-of-window', '§5.8', 'A control message whose Ns is not the next expected one is not delivered; a duplicate is acknowledged again.'),
  'nr-out-of-window': rule('nr-out-of-window', '§5.8', 'Nr acknowledges only messages that were sent: one from outside the window acknowledges nothing.'),
};
