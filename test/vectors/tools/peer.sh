#!/usr/bin/env bash
# One real xl2tpd instance on 127.0.0.1 for test/vectors/regen.sh: own config dir, control FIFO,
# pid file and UDP port; runs in the foreground (-D, so its debug log goes to stderr) in the
# background of this shell.
#
#   peer.sh start lns NAME PORT [auth] [hidden] [fakeppp]
#   peer.sh start lac NAME PORT LNS_PORT [auth] [hidden] [fakeppp]   (autodial: SCCRQ at once)
#   peer.sh stop NAME      SIGTERM (xl2tpd then exits WITHOUT a StopCCN), SIGKILL after 5 s
#   peer.sh int NAME       SIGINT: xl2tpd sends StopCCN first (death_handler, userspace build)
#
# State: $PEERS_DIR/NAME/ (xl2tpd.conf, l2tp-secrets, options.ppp, control, log, pid.shell).
# `fakeppp` writes the settings test/interop/fake-pppd.py reads from options.ppp: the LNS side
# uses magic 0x55667788 (the LAC side 0x11223344) and neither echoes, so the capture holds one
# DATA message each way. The fake pppd itself is bind-mounted by regen.sh, not here.
set -euo pipefail
BASE=${PEERS_DIR:?PEERS_DIR must be set}
SECRET=${L2TP_SECRET:-l2tp-wire-test-secret}
cmd=${1:?start|stop|int}; shift

case "$cmd" in
start)
  role=$1 name=$2 port=$3; shift 3
  lnsport=""
  if [ "$role" = lac ]; then lnsport=$1; shift; fi
  auth=no hidden=no fakeppp=no
  for o in "$@"; do
    case $o in
      auth) auth=yes ;; hidden) hidden=yes ;; fakeppp) fakeppp=yes ;;
      *) echo "peer.sh: unknown option $o" >&2; exit 2 ;;
    esac
  done
  d=$BASE/$name
  rm -rf "$d"; mkdir -p "$d"
  # "them us secret"; * matches any host name. Same secret both directions.
  printf '* * %s\n' "$SECRET" >"$d/l2tp-secrets"; chmod 600 "$d/l2tp-secrets"
  printf 'noauth\nnodetach\nnodefaultroute\nnoipdefault\n' >"$d/options.ppp"
  if [ $fakeppp = yes ]; then
    printf '# fake-pppd: magic-lns 55667788\n# fake-pppd: echo no\n' >>"$d/options.ppp"
  fi
  {
    echo "[global]"
    echo "listen-addr = 127.0.0.1"
    echo "port = $port"
    echo "auth file = $d/l2tp-secrets"
    echo "access control = no"
    echo "debug avp = yes"
    echo "debug network = yes"
    echo "debug state = yes"
    echo "debug tunnel = yes"
    if [ "$role" = lns ]; then
      echo "[lns default]"
      echo "hostname = $name"
      echo "assign ip = no"
      echo "lac = 127.0.0.1"
    else
      echo "[lac $name]"
      echo "lns = 127.0.0.1:$lnsport"
      echo "hostname = $name"
      echo "autodial = yes"
      echo "redial = no"
    fi
    echo "pppoptfile = $d/options.ppp"
    echo "challenge = $auth"
    echo "require authentication = no"
    echo "hidden bit = $hidden"
    echo "length bit = yes"
  } >"$d/xl2tpd.conf"
  mkfifo "$d/control"
  setsid /usr/sbin/xl2tpd -D -c "$d/xl2tpd.conf" -s "$d/l2tp-secrets" -p "$d/pid" \
    -C "$d/control" >"$d/log" 2>&1 </dev/null &
  echo $! >"$d/pid.shell"
  # Listening takes < 0.1 s; give it 5 s on a busy machine.
  for _ in $(seq 50); do
    ss -uln | grep -q "127.0.0.1:$port " && exit 0
    sleep 0.1
  done
  echo "peer.sh: xl2tpd $name is not listening on 127.0.0.1:$port (see $d/log)" >&2
  exit 1
  ;;
stop)
  pid=$(cat "$BASE/$1/pid.shell")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  echo "peer.sh: killed -9 $1 ($pid)" >&2
  ;;
int) kill -INT "$(cat "$BASE/$1/pid.shell")" ;;
*) echo "usage: peer.sh start|stop|int ..." >&2; exit 2 ;;
esac
