/**
 * Reliable delivery of control messages (RFC 2661 §5.8, Appendix A; RFC 3931 §4.2).
 * @module
 */
export { Sequencer } from './sequencer.js';
export type { ReceivedControl, SequencerOutput, SequencerState } from './types.js';
export type { AckMessage, CongestionMode, SequencerOptions } from './options.js';
export { retransmissionCycle } from './options.js';
export { seqAdd, seqBefore, seqDistance } from './serial.js';
