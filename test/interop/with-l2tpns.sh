#!/usr/bin/env bash
# with-l2tpns.sh — run COMMAND next to a real l2tpns LNS (Debian's l2tpns: an LNS that terminates
# PPP itself and forwards IP to a tun device), in a private network + PID namespace holding only lo.
#
#   bash test/interop/with-l2tpns.sh [--secret S] [--radius] [--users FILE] -- COMMAND ARGS...
#
#   --radius      also run FreeRADIUS on 127.0.0.1:1812 in the namespace (l2tpns authenticates PPP
#                 users only through RADIUS): alice / wonderland can log in with PAP and CHAP-MD5
#   --users FILE  more FreeRADIUS `users` entries (`bob<TAB>Cleartext-Password := "builder"`),
#                 after alice's; implies --radius
#
# Why a namespace: l2tpns is always a cluster member (multicast heartbeats on its cluster
# interface, gratuitous ARP) and binds UDP 1701 with no port setting; in its own namespace nothing
# it sends leaves, nothing collides with the host or with another run, and when the namespace's
# first process dies everything in it dies too (--kill-child, PID namespace).
#
# COMMAND runs inside the namespace with L2TPNS_HOST=127.0.0.1 L2TPNS_PORT=1701
# L2TPNS_LOG=<l2tpns log> L2TPNS_DIR=<state dir> L2TPNS_SECRET=<S> L2TPNS_CLI_PORT=23 (l2tpns's
# telnet CLI on 127.0.0.1) and, with --radius, L2TPNS_RADIUS_LOG=<FreeRADIUS -X output>.
# l2tpns hands out DNS 10.255.255.53 / .54 in IPCP and does IPV6CP (ipv6_prefix 2001:db8:1701::);
# L2TPNS_AUTHTYPES sets radius_authtypes (default "pap,chap": PAP offered first).
# Exit status: COMMAND's; 125 when l2tpns cannot run here (not root, no unshare, no tun device,
# l2tpns missing or not coming up) — the reason is on stderr; COMMAND is then not run.
# Needs root (unshare --net, l2tpns's tun device). Installs nothing: CI installs l2tpns and
# freeradius (.ci/run).
set -u
SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
say() { echo "with-l2tpns.sh: $*" >&2; }
L2TPNS="${L2TP_WIRE_L2TPNS:-/usr/sbin/l2tpns}"

SECRET="" RADIUS=0 USERS="" ARGS=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --secret) [ $# -ge 2 ] || { say "--secret needs a value"; exit 2; }; SECRET="$2"; shift 2 ;;
    --radius) RADIUS=1; shift ;;
    --users) [ $# -ge 2 ] || { say "--users needs a FILE"; exit 2; }; USERS="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; RADIUS=1; shift 2 ;;
    --) shift; break ;;
    *) say "unknown option '$1' (COMMAND goes after --)"; exit 2 ;;
  esac
done
[ $# -ge 1 ] || { say "no COMMAND given"; exit 2; }

if [ "${WITH_L2TPNS_INNER:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || { say "needs root (unshare --net, l2tpns's tun device)"; exit 125; }
  [ -x "$L2TPNS" ] || { say "$L2TPNS is missing (apt-get install l2tpns)"; exit 125; }
  [ -c /dev/net/tun ] || { say "/dev/net/tun is missing: l2tpns cannot start"; exit 125; }
  command -v unshare >/dev/null || { say "unshare is missing"; exit 125; }
  if [ $RADIUS = 1 ]; then [ -x /usr/sbin/freeradius ] || { say "/usr/sbin/freeradius is missing (apt-get install freeradius)"; exit 125; }; fi
  if [ -n "$USERS" ]; then [ -r "$USERS" ] || { say "--users $USERS: cannot read it"; exit 125; }; fi
  # exec: signals to us reach unshare, whose --kill-child takes the whole namespace down.
  WITH_L2TPNS_INNER=1 exec unshare --net --pid --fork --kill-child -- bash "$SELF" "${ARGS[@]}"
fi

# ---- inside: PID 1 of a new PID namespace, alone in a new network namespace ----
ip link set lo up || { say "cannot bring lo up in the new namespace"; exit 125; }
DIR=$(mktemp -d "${TMPDIR:-/tmp}/l2tp-wire-l2tpns.XXXXXX") || exit 125
LOG="$DIR/l2tpns.log"
echo "with-l2tpns.sh: state dir $DIR" >&2
L2TPNS_PID="" RADIUS_PID="" CMD_PID=""
RLOG="$DIR/freeradius.log"
RADIUS_SECRET=l2tp-wire
stop() { # $1 pid, $2 tenths of a second before SIGKILL
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1" 2>/dev/null
  for _ in $(seq "$2"); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
cleanup() {
  trap '' INT TERM
  stop "$CMD_PID" 50
  # l2tpns exits on SIGTERM only once its control messages are acked: SIGKILL after 2 s.
  stop "$L2TPNS_PID" 20
  stop "$RADIUS_PID" 50
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# FreeRADIUS (with --radius): one client (l2tpns), users from a file, PAP + CHAP + MS-CHAP modules,
# auth only on 127.0.0.1:1812, started in the foreground (-X: every request and answer in its log).
if [ $RADIUS = 1 ]; then
  mkdir -p "$DIR/radius"
  { printf 'alice\tCleartext-Password := "wonderland"\n\n'; [ -n "$USERS" ] && cat "$USERS"; echo; } > "$DIR/radius/users"
  cat > "$DIR/radius/radiusd.conf" <<RCONF
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = $DIR
raddbdir = $DIR/radius
radacctdir = $DIR
confdir = $DIR/radius
run_dir = $DIR
libdir = /usr/lib/freeradius
dictdir = /usr/share/freeradius
pidfile = $DIR/freeradius.pid
name = freeradius
hostname_lookups = no
max_request_time = 10
cleanup_delay = 1
max_requests = 1024
log {
	destination = files
	file = $DIR/radius.log
}
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = no
	allow_vulnerable_openssl = yes
}
thread pool {
	start_servers = 1
	max_servers = 2
	min_spare_servers = 1
	max_spare_servers = 2
	max_requests_per_server = 0
}
client l2tpns {
	ipaddr = 127.0.0.1
	secret = $RADIUS_SECRET
	require_message_authenticator = no
}
modules {
	files {
		filename = $DIR/radius/users
	}
	pap {
	}
	chap {
	}
	mschap {
	}
}
server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = 1812
	}
	authorize {
		files
		chap
		mschap
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type CHAP {
			chap
		}
		Auth-Type MS-CHAP {
			mschap
		}
	}
}
RCONF
  setsid /usr/sbin/freeradius -X -d "$DIR/radius" -n radiusd > "$RLOG" 2>&1 < /dev/null &
  RADIUS_PID=$!
  for _ in $(seq 100); do
    grep -q 'Ready to process requests' "$RLOG" 2>/dev/null && break
    kill -0 "$RADIUS_PID" 2>/dev/null || break
    sleep 0.1
  done
  grep -q 'Ready to process requests' "$RLOG" 2>/dev/null || { say "FreeRADIUS did not start; last lines:"; tail -15 "$RLOG" >&2; exit 125; }
fi

# Settings from l2tpns's startup-config syntax. Clustering cannot be turned off: keep it on lo and
# let this instance declare itself master quickly (cluster_hb_timeout ≥ 4 × interval + 11).
cat > "$DIR/startup-config" <<CONF
set debug ${L2TPNS_DEBUG:-4}
set log_file "$LOG"
set pid_file "$DIR/l2tpns.pid"
set hostname "l2tpns"
set l2tp_secret "$SECRET"
set bind_address 127.0.0.1
set iftun_address 10.255.255.1
set tundevicename "l2tpns0"
set cli_bind_address 127.0.0.1
set send_garp no
set cluster_interface "lo"
set cluster_hb_interval 2
set cluster_hb_timeout 19
set disable_lac_func yes
set bind_address_remotelns 127.0.0.1
set primary_radius 127.0.0.1
set primary_radius_port 1812
set radius_secret "$RADIUS_SECRET"
set radius_authtypes "${L2TPNS_AUTHTYPES:-pap,chap}"
set radius_accounting no
set primary_dns 10.255.255.53
set secondary_dns 10.255.255.54
set ipv6_prefix 2001:db8:1701::
CONF
: > "$LOG"
# setsid: l2tpns ends with kill(0, SIGTERM), which must not reach this script.
setsid "$L2TPNS" -c "$DIR/startup-config" > "$DIR/l2tpns.stdout" 2>&1 < /dev/null &
L2TPNS_PID=$!
for _ in $(seq 150); do
  kill -0 "$L2TPNS_PID" 2>/dev/null || break
  if grep -q 'I am declaring myself the master' "$LOG" && ss -Hlnu 'sport = :1701' | grep -q 127.0.0.1; then
    L2TPNS_HOST=127.0.0.1 L2TPNS_PORT=1701 L2TPNS_LOG="$LOG" L2TPNS_DIR="$DIR" L2TPNS_SECRET="$SECRET" L2TPNS_CLI_PORT=23 \
      L2TPNS_RADIUS_LOG="$([ $RADIUS = 1 ] && echo "$RLOG")" "$@" &
    CMD_PID=$!
    wait "$CMD_PID"; rc=$?
    CMD_PID=""
    exit "$rc"
  fi
  sleep 0.1
done
say "l2tpns did not come up within 15 s; last lines:"
tail -15 "$LOG" "$DIR/l2tpns.stdout" >&2
exit 125
