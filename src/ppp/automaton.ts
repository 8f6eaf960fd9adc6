/**
 * The RFC 1661 §4.1 option-negotiation automaton, as the RFC prints it: one row per event, one
 * cell per state, each cell "actions/next state". The table below is the RFC's, cell for cell
 * (suffixes r, p, x kept as printed); {@link AUTOMATON_TRANSITIONS} is derived from it, and
 * {@link Automaton} only looks cells up. LCP and every NCP run the same automaton (§4).
 */

/**
 * The ten states of RFC 1661 §4.2, numbered as in the table (0 Initial … 9 Opened).
 * @example
 * ```ts
 * AUTOMATON_STATES.indexOf('opened'); // 9
 * ```
 */
export const AUTOMATON_STATES = [
  'initial', 'starting', 'closed', 'stopped', 'closing', 'stopping', 'req-sent', 'ack-rcvd', 'ack-sent', 'opened',
] as const;

/**
 * An automaton state (RFC 1661 §4.2).
 * @example
 * ```ts
 * const s: AutomatonState = 'opened';
 * ```
 */
export type AutomatonState = (typeof AUTOMATON_STATES)[number];

/**
 * Events (RFC 1661 §4.3): Up/Down from the layer below, Open/Close administrative, TO± restart
 * timer expiry with the counter above/at zero, RCR± a good/bad Configure-Request, RCA/RCN
 * Configure-Ack/Nak-or-Reject, RTR/RTA Terminate-Request/Ack, RUC unknown code, RXJ± a
 * permitted/catastrophic Code- or Protocol-Reject, RXR Echo/Discard traffic.
 * @example
 * ```ts
 * automaton.handle('RCR+');
 * ```
 */
export type AutomatonEvent =
  | 'Up' | 'Down' | 'Open' | 'Close' | 'TO+' | 'TO-' | 'RCR+' | 'RCR-' | 'RCA' | 'RCN' | 'RTR' | 'RTA' | 'RUC' | 'RXJ+' | 'RXJ-' | 'RXR';

/**
 * Actions (RFC 1661 §4.4): tlu/tld/tls/tlf this-layer-up/down/started/finished, irc/zrc
 * initialise/zero the restart counter, scr/sca/scn send Configure-Request/Ack/Nak(or Reject),
 * str/sta Terminate-Request/Ack, scj Code-Reject, ser Echo-Reply.
 * @example
 * ```ts
 * if (step.actions.includes('tlu')) startAuthentication();
 * ```
 */
export type AutomatonAction = 'tlu' | 'tld' | 'tls' | 'tlf' | 'irc' | 'zrc' | 'scr' | 'sca' | 'scn' | 'str' | 'sta' | 'scj' | 'ser';

/**
 * RFC 1661 §4.1, verbatim. "-" means the event cannot occur in that state (it is ignored).
 * [p] passive option, [r] restart option, [x] crossed connection: notes only, not implemented
 * differently (the restart option is not offered).
 */
const RFC1661_TABLE: Record<AutomatonEvent, readonly string[]> = {
  //        0 Initial    1 Starting   2 Closed      3 Stopped        4 Closing  5 Stopping  6 Req-Sent    7 Ack-Rcvd   8 Ack-Sent    9 Opened
  'Up':    ['2',        'irc,scr/6', '-',          '-',             '-',       '-',        '-',          '-',         '-',          '-'],
  'Down':  ['-',        '-',         '0',          'tls/1',         '0',       '1',        '1',          '1',         '1',          'tld/1'],
  'Open':  ['tls/1',    '1',         'irc,scr/6',  '3r',            '5r',      '5r',       '6',          '7',         '8',          '9r'],
  'Close': ['0',        'tlf/0',     '2',          '2',             '4',       '4',        'irc,str/4',  'irc,str/4', 'irc,str/4',  'tld,irc,str/4'],
  'TO+':   ['-',        '-',         '-',          '-',             'str/4',   'str/5',    'scr/6',      'scr/6',     'scr/8',      '-'],
  'TO-':   ['-',        '-',         '-',          '-',             'tlf/2',   'tlf/3',    'tlf/3p',     'tlf/3p',    'tlf/3p',     '-'],
  'RCR+':  ['-',        '-',         'sta/2',      'irc,scr,sca/8', '4',       '5',        'sca/8',      'sca,tlu/9', 'sca/8',      'tld,scr,sca/8'],
  'RCR-':  ['-',        '-',         'sta/2',      'irc,scr,scn/6', '4',       '5',        'scn/6',      'scn/7',     'scn/6',      'tld,scr,scn/6'],
  'RCA':   ['-',        '-',         'sta/2',      'sta/3',         '4',       '5',        'irc/7',      'scr/6x',    'irc,tlu/9',  'tld,scr/6x'],
  'RCN':   ['-',        '-',         'sta/2',      'sta/3',         '4',       '5',        'irc,scr/6',  'scr/6x',    'irc,scr/8',  'tld,scr/6x'],
  'RTR':   ['-',        '-',         'sta/2',      'sta/3',         'sta/4',   'sta/5',    'sta/6',      'sta/6',     'sta/6',      'tld,zrc,sta/5'],
  'RTA':   ['-',        '-',         '2',          '3',             'tlf/2',   'tlf/3',    '6',          '6',         '8',          'tld,scr/6'],
  'RUC':   ['-',        '-',         'scj/2',      'scj/3',         'scj/4',   'scj/5',    'scj/6',      'scj/7',     'scj/8',      'scj/9'],
  'RXJ+':  ['-',        '-',         '2',          '3',             '4',       '5',        '6',          '6',         '8',          '9'],
  'RXJ-':  ['-',        '-',         'tlf/2',      'tlf/3',         'tlf/2',   'tlf/3',    'tlf/3',      'tlf/3',     'tlf/3',      'tld,irc,str/5'],
  'RXR':   ['-',        '-',         '2',          '3',             '4',       '5',        '6',          '7',         '8',          'ser/9'],
};

/**
 * One transition of the automaton, derived from the RFC's table.
 * @example
 * ```ts
 * const t: AutomatonTransition = { from: 'req-sent', event: 'RCA', actions: ['irc'], next: 'ack-rcvd', note: '' };
 * ```
 */
export interface AutomatonTransition {
  readonly from: AutomatonState;
  readonly event: AutomatonEvent;
  readonly actions: readonly AutomatonAction[];
  readonly next: AutomatonState;
  /** The RFC's suffix letter, if any: 'p' passive, 'r' restart, 'x' crossed connection. */
  readonly note: string;
}

function cell(text: string, from: AutomatonState, event: AutomatonEvent): AutomatonTransition | undefined {
  if (text === '-') return undefined;
  const m = /^(?:([a-z,]+)\/)?(\d)([prx]?)$/.exec(text);
  if (!m) throw new Error(`bad automaton cell ${text}`);
  const actions = m[1] ? (m[1].split(',') as AutomatonAction[]) : [];
  return { from, event, actions, next: AUTOMATON_STATES[Number(m[2])]!, note: m[3]! };
}

/**
 * Every defined cell of RFC 1661 §4.1 as a transition (cells marked "-" are absent).
 * @example
 * ```ts
 * AUTOMATON_TRANSITIONS.filter((t) => t.actions.includes('tlu')); // the ways into Opened
 * ```
 */
export const AUTOMATON_TRANSITIONS: readonly AutomatonTransition[] = (Object.keys(RFC1661_TABLE) as AutomatonEvent[]).flatMap((event) =>
  AUTOMATON_STATES.flatMap((from, i) => {
    const t = cell(RFC1661_TABLE[event][i]!, from, event);
    return t ? [t] : [];
  }),
);

/** Lookup by state index * 16 + event index. */
const EVENTS = Object.keys(RFC1661_TABLE) as AutomatonEvent[];
const LOOKUP: (AutomatonTransition | undefined)[] = [];
for (const t of AUTOMATON_TRANSITIONS) LOOKUP[AUTOMATON_STATES.indexOf(t.from) * 16 + EVENTS.indexOf(t.event)] = t;

/**
 * The transition for (`state`, `event`), or `undefined` for a "-" cell.
 * @example
 * ```ts
 * automatonTransition('req-sent', 'RCA')?.next; // 'ack-rcvd'
 * ```
 */
export function automatonTransition(state: AutomatonState, event: AutomatonEvent): AutomatonTransition | undefined {
  return LOOKUP[AUTOMATON_STATES.indexOf(state) * 16 + EVENTS.indexOf(event)];
}

/**
 * The bare automaton: the current state and nothing else. Feed it an event, get the actions to
 * carry out (the caller owns counters, timers and packets). An impossible event ("-") changes
 * nothing and returns no actions.
 * @example
 * ```ts
 * const a = new Automaton();
 * a.handle('Open'); // ['tls'], state 'starting'
 * a.handle('Up');   // ['irc', 'scr'], state 'req-sent'
 * ```
 */
export class Automaton {
  /** The current state (RFC 1661 §4.2). */
  state: AutomatonState = 'initial';

  /** Apply `event`; returns the actions in the order the RFC lists them. */
  handle(event: AutomatonEvent): readonly AutomatonAction[] {
    const t = automatonTransition(this.state, event);
    if (!t) return [];
    this.state = t.next;
    return t.actions;
  }
}
