/** Exit codes of `l2tp-wire` (printed by `--help`, documented in the README). */
export const ExitCode = {
  Ok: 0,
  /** The peer answered and refused (StopCCN / CDN), or a probe found no L2TP service. */
  Refused: 1,
  /** Bad command line. */
  Usage: 2,
  /** No answer within the timeout (silent peer, filtered port). */
  Timeout: 3,
  /** The transport failed (connection refused, ICMP unreachable, reset, port in use). */
  Transport: 4,
  /** Tunnel authentication failed (wrong or missing secret). */
  Auth: 5,
  /** Anything else (a bug: please report it). */
  Internal: 70,
} as const;
