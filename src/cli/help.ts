/** The global help text. */
export const HELP = `l2tp-wire — L2TP (RFC 2661) from the command line

Usage:
  l2tp-wire probe HOST   [--port 1701] [--tcp] [--secret S] [--hostname NAME] [--timeout MS] [--json] [--trace] [--pcap FILE]
  l2tp-wire session HOST [same flags]                 tunnel + incoming call (ICRQ/ICRP/ICCN), then teardown
  l2tp-wire lns  [--host 127.0.0.1] [--port 1701] [--tcp-port N] [--secret S] [--hidden] [--hostname NAME] [--echo] [--json]
  l2tp-wire relay --target HOST:PORT [--listen 127.0.0.1:1701]    TCP (Workers) ↔ UDP (real LNS) bridge
  l2tp-wire --help | --version

Flags:
  --port       UDP/TCP port of the peer (default 1701)
  --tcp        use TCP with Length framing (not in any RFC; for our LNS or the relay)
  --secret     tunnel shared secret: challenge/response (RFC 2661 §5.1.1) and hidden AVPs (§4.3)
  --hidden     send hideable AVPs hidden (needs --secret)
  --hostname   our Host Name AVP (default "l2tp-wire")
  --timeout    overall timeout in ms (default 10000)
  --json       one JSON object on stdout (stable field names)
  --trace      draw the exchange as a ladder diagram with timings (stderr)
  --pcap FILE  write what was sent and received as a pcap file (UDP, Wireshark opens it)

Exit codes:
  0 ok   1 refused by the peer   2 usage error   3 timeout (silent peer)
  4 transport error (refused, unreachable)   5 authentication failed   70 internal error
`;
