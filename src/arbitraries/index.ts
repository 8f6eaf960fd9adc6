/**
 * `l2tp-wire/arbitraries`: fast-check arbitraries of valid L2TP messages and RFC-labelled
 * mutators, for property-based fuzz harnesses of L2TP code and devices. fast-check (^4) is an
 * optional peer dependency, needed only for this entry point.
 * @packageDocumentation
 */
export { MAX_AVP_VALUE_LENGTH, lengthArb, bytesArb, utf8StringArb, valueArb, avpValueArb, encodeValue } from './values.js';
export { TYPED_AVP_DEFS, typedAvpArb, unknownAvpKeyArb, rawAvpArb, vendorAvpArb, avpArb, type TypedAvp, type RawAvpOptions } from './avps.js';
export { headerV2Arb, controlHeaderV3Arb, dataHeaderV3Arb, headerArb, type GeneratedHeader } from './headers.js';
export {
  V2_MESSAGE_TYPES,
  controlMessageArb,
  zlbArb,
  ignorableAvpsArb,
  hiddenAvpArb,
  dataMessageArb,
  type GeneratedControl,
  type ControlMessageOptions,
  type GeneratedHiddenAvp,
  type GeneratedData,
  type DataMessageOptions,
} from './messages.js';
export {
  V3_MESSAGE_AVPS,
  controlMessageV3Arb,
  dataMessageV3Arb,
  type GeneratedControlV3,
  type ControlMessageV3Options,
  type GeneratedDataV3,
  type DataMessageV3Options,
} from './v3-messages.js';
export { exchangeArb, type Direction, type Exchange, type ExchangeMessage, type ExchangeOptions } from './exchange.js';
export { RULES, type Expectation, type RfcRule, type RuleId } from './rules.js';
export {
  MUTATORS,
  mutatorOf,
  mutationArb,
  type Mutation,
  type MutatedMessage,
  type MutationContext,
  type MutationOptions,
  type Mutator,
} from './mutators.js';
export {
  V3_RULES,
  V3_MUTATORS,
  v3MutatorOf,
  v3MutationArb,
  type V3Expectation,
  type V3RuleId,
  type V3Rule,
  type V3Mutation,
  type V3Mutator,
  type MutatedV3Message,
} from './v3-mutators.js';
