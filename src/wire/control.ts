/**
 * Control messages (RFC 2661 §3.1, §4, §6; RFC 3931 §3.2.1): the typed parser and the encoder.
 * This module gathers them; the work lives in `control-parse.ts` (parsing), `control-encode.ts`
 * and `control-fields.ts` (encoding) and `control-types.ts` (the shapes).
 */
export {
  CONTROL_HEADER_LENGTH,
  type ControlMessage,
  type ControlMessageInit,
  type ControlMessageJson,
  type ControlMessageObject,
  type HidingOptions,
  type HidingPad,
  type ParseControlOptions,
} from './control-types.js';
export { parseControl } from './control-parse.js';
export { encodeControl, encodeTyped, encodingLength } from './control-encode.js';
