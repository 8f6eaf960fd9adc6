/**
 * Why each mutant that survives `npm run mutate` is accepted (issue 13). docs/compliance.md lists
 * every survivor with the first rule here that matches it; test/compliance/matrix.test.ts fails
 * when a survivor has no rule. A rule is either "equivalent" (no input can tell the mutant from
 * the original) or "accepted" (observable, but not worth a test: say why).
 */
export interface SurvivorReason {
  /** The source file, as Stryker names it (`src/fsm/checks.ts`). */
  file: string;
  /** 1-based lines the rule covers; all lines of the file when absent. */
  lines?: readonly number[];
  /** Stryker mutator names (`StringLiteral`, `ConditionalExpression`, …); any when absent. */
  mutators?: readonly string[];
  /** Matches the original source line (trimmed). */
  original?: RegExp;
  /**
   * `equivalent`: no input can tell it from the original. `accepted`: observable only in a way
   * not worth a test (said why). `open`: a test gap, named here until a test kills it.
   */
  kind: 'equivalent' | 'accepted' | 'open';
  reason: string;
}

const OPEN_GUARD = 'a local-misuse check no test reaches with this input; a test passing the wrong value and expecting the TypeError/RangeError would kill it';
const WIRE_WORDING = "an error's wording: tests assert its code and offset (or the RangeError type), not the text; a test of the message would kill it";
const WIRE_UNTRIAGED = 'not yet triaged: measured with test/wire alone (session 4); to be killed by a test or shown equivalent';
const OPEN_LIFECYCLE = 'the closing/closed bookkeeping of the Sequencer (RFC 2661 §5.7 linger) is not pinned at this branch; a virtual-clock test of close() during and after retransmission would kill it';

export const SURVIVOR_REASONS: readonly SurvivorReason[] = [
  { file: 'src/fsm/capabilities.ts', lines: [31, 48, 56], mutators: ['OptionalChaining'], kind: 'equivalent', reason: "reached only from openSession on an established tunnel, where the peer's SCCRQ/SCCRP info is always set" },
  { file: 'src/fsm/checks.ts', lines: [66], kind: 'equivalent', reason: 'every AVP that §6 requires has a catalogue name (a test asserts it), so neither `?.` nor the `AVP ${t}` fallback is ever used' },
  { file: 'src/fsm/checks.ts', lines: [20], kind: 'open', reason: 'recognisedAvp is exported but no unit test calls it directly (the v3 reserved-bits rule of RFC 3931 §5.1)' },
  { file: 'src/fsm/checks.ts', lines: [122, 125, 127, 128, 131], kind: 'open', reason: 'randomId32 (v3 IDs): no test draws 0 or exhausts its 16 draws, unlike randomId16; a test with a random source yielding 0 and then taken IDs would kill these' },
  { file: 'src/fsm/data-sequencing.ts', lines: [91], kind: 'equivalent', reason: 'on the first sequenced message `(ns - undefined) & 0xffff` is `NaN & 0xffff` = 0, so nothing is dropped, as in the original' },
  { file: 'src/reliable/congestion.ts', lines: [49, 61], kind: 'equivalent', reason: "outside 'rfc' mode the send window reads neither CWND nor SSTHRESH" },
  { file: 'src/reliable/congestion.ts', lines: [72, 73], mutators: ['EqualityOperator'], kind: 'equivalent', reason: '`>` → `>=`: when equal, the assignment writes the same value' },
  { file: 'src/reliable/deadlines.ts', lines: [8, 13], mutators: ['EqualityOperator'], kind: 'equivalent', reason: '`<=`/`<` swapped: when the two deadlines are equal either one is the same number' },
  { file: 'src/reliable/deadlines.ts', lines: [8], mutators: ['ConditionalExpression'], kind: 'open', reason: 'earlier(a, undefined) is not tested on its own; a unit test of earlier() with one side undefined would kill it' },
  { file: 'src/reliable/output.ts', lines: [10, 11, 12, 15, 16], kind: 'equivalent', reason: 'every Sequencer call starts with reset(), which sets these fields before anyone reads them' },
  { file: 'src/reliable/output.ts', lines: [20, 21], kind: 'equivalent', reason: 'setting the length of an empty array to 0 changes nothing' },
  { file: 'src/reliable/receive-window.ts', lines: [65, 67], kind: 'equivalent', reason: "with nothing held every slot is undefined, so the loop's second test stops it anyway" },
  { file: 'src/reliable/receive-window.ts', lines: [43, 44, 50], kind: 'open', reason: "the verdict strings 'dropped'/'held' and the hold array's size are not asserted by a unit test of ReceiveWindow itself (the Sequencer maps them); a direct test would kill them" },
  { file: 'src/reliable/send-ring.ts', lines: [27, 28], kind: 'equivalent', reason: 'JavaScript arrays grow on write, and the one extra slot copied is overwritten by the push that follows' },
  { file: 'src/reliable/send-ring.ts', lines: [46], kind: 'accepted', reason: 'clearing acknowledged slots only lets the messages be collected sooner (memory, measured by bench:lns-memory); nothing sent or delivered changes' },
  { file: 'src/reliable/options.ts', lines: [108, 149, 150, 156, 167, 177, 186], kind: 'open', reason: OPEN_GUARD },
  { file: 'src/reliable/options.ts', lines: [148], kind: 'equivalent', reason: 'the shortcut for already-resolved options: resolving them again gives an equal frozen object' },
  { file: 'src/reliable/sequencer.ts', lines: [102], kind: 'equivalent', reason: 'resolving undefined options each time instead of reusing the shared default gives equal options' },
  { file: 'src/reliable/sequencer.ts', lines: [129, 130, 133, 207, 208, 234, 310], kind: 'open', reason: OPEN_GUARD },
  { file: 'src/reliable/sequencer.ts', lines: [151, 152], kind: 'accepted', reason: 'without the guard the same misuse (a non-object message) still throws a TypeError, from reading its fields; only the wording differs' },
  { file: 'src/reliable/sequencer.ts', lines: [163, 175, 191, 215, 217, 219, 244, 333, 371, 399], kind: 'open', reason: OPEN_LIFECYCLE },
  { file: 'src/reliable/sequencer.ts', lines: [176, 339, 386, 392], kind: 'open', reason: 'a deadline test on a path where the timer is already set (or not yet due); a virtual-clock test calling tick() early would kill it' },
  { file: 'src/reliable/sequencer.ts', lines: [293], kind: 'open', reason: 'the `congestion` getter is not read by any test' },
  { file: 'src/reliable/sequencer.ts', lines: [323], kind: 'open', reason: 'an Nr that acknowledges exactly the retransmission point is not exercised' },
  // src/wire, first six files (session 4): measured with the test/wire and test/compliance folders alone
  // (L2TP_MUTATE_TESTS=wire,compliance), so the fsm and arbitraries tests that also parse and build did
  // not run against these mutants. Not yet triaged one by one: listed as open until then.
  { file: 'src/wire/avp.ts', mutators: ['StringLiteral'], kind: 'open', reason: WIRE_WORDING },
  { file: 'src/wire/bytes.ts', mutators: ['StringLiteral'], kind: 'open', reason: WIRE_WORDING },
  { file: 'src/wire/data.ts', mutators: ['StringLiteral'], kind: 'open', reason: WIRE_WORDING },
  { file: 'src/wire/header.ts', mutators: ['StringLiteral'], kind: 'open', reason: WIRE_WORDING },
  { file: 'src/wire/l2ss.ts', mutators: ['StringLiteral'], kind: 'open', reason: WIRE_WORDING },
  { file: 'src/wire/avp.ts', kind: 'open', reason: WIRE_UNTRIAGED },
  { file: 'src/wire/bytes.ts', kind: 'open', reason: WIRE_UNTRIAGED },
  { file: 'src/wire/data.ts', kind: 'open', reason: WIRE_UNTRIAGED },
  { file: 'src/wire/errors.ts', kind: 'open', reason: WIRE_UNTRIAGED },
  { file: 'src/wire/header.ts', kind: 'open', reason: WIRE_UNTRIAGED },
  { file: 'src/wire/l2ss.ts', kind: 'open', reason: WIRE_UNTRIAGED },
];
