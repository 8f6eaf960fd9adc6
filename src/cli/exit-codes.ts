/** Exit codes of `l2tp-wire` (printed by `--help`, documented in the README). */
export const ExitCode = {
  Ok: 0,
  /** The peer answered and refused (StopCCN / CDN), or its answer was not acceptable L2TP. */
  Refused: 1,
  /** Bad command line. */
  Usage: 2,
  /** No answer within the timeout (silent peer, filtered port). */
  Timeout: 3,
  /** The transport failed: port unreachable, no route, unresolvable name, port in use. */
  Transport: 4,
  /** Tunnel authentication failed: a secret missing here or there, or a wrong one. */
  Auth: 5,
  /** Anything else (a bug: please report it). */
  Internal: 70,
} as const;

/** One line per exit code, for `--help`. */
export const EXIT_CODE_HELP = `Exit codes:
  0 ok   1 refused by the peer   2 usage error   3 timeout (silent peer)
  4 transport error (unreachable, port in use)   5 authentication failed   70 internal error`;
