/**
 * The message rules of both versions (which AVPs each message MUST carry, RFC 2661 §6 and RFC
 * 3931 §6) live in the wire layer, so the state machines and the conformance observer read the
 * same rows: src/wire/message-rules.ts.
 * @internal
 */
export { MESSAGE_RULES, messageRule, isSessionMessage, avpRecognised, type L2tpVersion, type MessageRule, type VersionRule } from '../wire/message-rules.js';
