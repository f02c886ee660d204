#!/usr/bin/env bash
# A private CUPS for the print tests: a virtual IPP Everywhere printer
# (ippeveprinter) behind a private cupsd, both on free loopback ports, with
# their own D-Bus, config, spool and logs under one temporary directory.
# Nothing under /etc/cups or /var/spool/cups is read or written, and two test
# runs at once do not meet.
#
#   bash cups-fixture.sh run PROGRAM [ARGS...]   start, run PROGRAM, stop; exits with PROGRAM's status
#   bash cups-fixture.sh stop-cupsd | start-cupsd   (from PROGRAM) restart the scheduler alone
#   source cups-fixture.sh; gp_cups_fixture_start; ...; gp_cups_fixture_stop
#
# While it runs, the environment has:
#   CUPS_SERVER            localhost:PORT of the private cupsd (libcups and lp* use it)
#   GP_CUPS_FIXTURE_QUEUE  the queue's name
#   GP_CUPS_FIXTURE_SCRIPT this script's path
#   GP_CUPS_FIXTURE_DIR    the temporary directory; the printer keeps every document it got as
#                          printer-spool/<printer-job-id>-<job-name>.pdf and the job's IPP_*
#                          attributes (media-col, ...) as printer-spool/<printer-job-id>-<job-name>.prn
#                          (ippeveprinter lower-cases the job name and turns each run of characters
#                          other than [a-z0-9-] into one "_")
#
# With GP_CUPS_FIXTURE_DRIVERS="m607 ricoh p2055:raster ..." it also makes one queue per real Debian
# printer driver, chain-NAME, whose device is the file devices/chain-NAME.prn under the fixture's
# directory (cupsd opens a file: device without creating or truncating it: the file exists, empty).
# NAME:raster stops the chain at the CUPS raster the driver would get (its *cupsFilter ends in "-").
# Drivers: m607 (HP PostScript, hpps), ricoh (PostScript through foomatic-rip), p2055 and m5035
# (HPLIP hpcups, A4 and A3 class), p600 (Gutenprint 5.3 ESC/P2), pxl (cups-filters PCL 6, gstopxl).
# The scheduler then logs at debug level: Gutenprint reports its imageable area there.
#
# The tools must be installed (cups-daemon, cups-client, cups-ipp-utils, cups-filters, dbus-daemon,
# and for the drivers printer-driver-hpcups printer-driver-gutenprint printer-driver-postscript-hp
# openprinting-ppds ghostscript): when one is missing this fails rather than skips, because CI
# installs them.

GP_CUPS_FIXTURE_QUEUE=${GP_CUPS_FIXTURE_QUEUE:-gp-test}
GP_CUPS_FIXTURE_SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

gp_cups_fixture_log() { echo "cups-fixture: $*" >&2; }

gp_cups_fixture_now() { date +%s%N; }

gp_cups_fixture_ms_since() { echo $((($(gp_cups_fixture_now) - $1) / 1000000)); }

# Polls "$@" every 50 ms until it succeeds, for at most $1 seconds.
gp_cups_fixture_wait_for() {
  local limit_ms=$(($1 * 1000)) t0
  shift
  t0=$(gp_cups_fixture_now)
  until "$@" >/dev/null 2>&1; do
    [ "$(gp_cups_fixture_ms_since "$t0")" -lt "$limit_ms" ] || return 1
    sleep 0.05
  done
}

gp_cups_fixture_check_tools() {
  local tool missing=
  for tool in cupsd ippeveprinter dbus-daemon lpadmin lpstat lpoptions ipptool; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing="$missing $tool"
  done
  [ -x /usr/lib/cups/filter/pdftopdf ] || missing="$missing pdftopdf"
  [ -x /usr/lib/cups/backend/ipp ] || missing="$missing ipp-backend"
  if [ -n "$missing" ]; then
    gp_cups_fixture_log "missing:$missing; install cups-daemon cups-client cups-ipp-utils cups-filters dbus-daemon"
    return 1
  fi
}

# Nothing answers on the port, over IPv4 or IPv6 (ippeveprinter takes both).
gp_cups_fixture_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && ! (exec 3<>"/dev/tcp/::1/$1") 2>/dev/null
}

gp_cups_fixture_pick_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if gp_cups_fixture_port_free "$port"; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

gp_cups_fixture_write_config() {
  local d=$1 ipp_port=$2 cups_port=$3 m=500
  mkdir -p "$d"/{cups/etc/ppd,cups/etc/ssl,cups/spool/tmp,cups/cache,cups/state,cups/log,printer-spool,bin}
  # cupsd runs pdftopdf and the ipp backend as user lp: the whole path must be traversable.
  chmod 755 "$d" "$d/cups"

  # A4, Letter and a custom range (50x50 .. 600x1000 mm): without the range the printer refuses
  # every custom size. PDF must be declared here because -f cannot be combined with -a.
  cat >"$d/printer.conf" <<EOF
ATTR boolean color-supported true
ATTR integer copies-default 1
ATTR rangeOfInteger copies-supported 1-999
ATTR keyword finishings-supported none
ATTR enum finishings-default 3
ATTR integer media-bottom-margin-supported $m
ATTR integer media-left-margin-supported $m
ATTR integer media-right-margin-supported $m
ATTR integer media-top-margin-supported $m
ATTR collection media-col-database {
  MEMBER collection media-size { MEMBER integer x-dimension 21000 MEMBER integer y-dimension 29700 }
  MEMBER integer media-bottom-margin $m MEMBER integer media-left-margin $m MEMBER integer media-right-margin $m MEMBER integer media-top-margin $m
},{
  MEMBER collection media-size { MEMBER integer x-dimension 21590 MEMBER integer y-dimension 27940 }
  MEMBER integer media-bottom-margin $m MEMBER integer media-left-margin $m MEMBER integer media-right-margin $m MEMBER integer media-top-margin $m
},{
  MEMBER collection media-size { MEMBER rangeOfInteger x-dimension 5000-60000 MEMBER rangeOfInteger y-dimension 5000-100000 }
  MEMBER integer media-bottom-margin $m MEMBER integer media-left-margin $m MEMBER integer media-right-margin $m MEMBER integer media-top-margin $m
}
ATTR collection media-col-default {
  MEMBER collection media-size { MEMBER integer x-dimension 21000 MEMBER integer y-dimension 29700 }
  MEMBER integer media-bottom-margin $m MEMBER integer media-left-margin $m MEMBER integer media-right-margin $m MEMBER integer media-top-margin $m
  MEMBER keyword media-source main MEMBER keyword media-type stationery
}
ATTR collection media-col-ready {
  MEMBER collection media-size { MEMBER integer x-dimension 21000 MEMBER integer y-dimension 29700 }
  MEMBER integer media-bottom-margin $m MEMBER integer media-left-margin $m MEMBER integer media-right-margin $m MEMBER integer media-top-margin $m
  MEMBER keyword media-source main MEMBER keyword media-type stationery
}
ATTR keyword media-default iso_a4_210x297mm
ATTR keyword media-ready iso_a4_210x297mm
ATTR keyword media-supported iso_a4_210x297mm,na_letter_8.5x11in,custom_min_50x50mm,custom_max_600x1000mm
ATTR collection media-size-supported {MEMBER integer x-dimension 21000 MEMBER integer y-dimension 29700},{MEMBER integer x-dimension 21590 MEMBER integer y-dimension 27940},{MEMBER rangeOfInteger x-dimension 5000-60000 MEMBER rangeOfInteger y-dimension 5000-100000}
ATTR keyword media-source-supported main,tray-1,tray-2
ATTR keyword media-type-supported stationery
ATTR enum orientation-requested-default 3
ATTR enum orientation-requested-supported 3,4,5,6
ATTR keyword output-bin-default face-down
ATTR keyword output-bin-supported face-down
ATTR boolean page-ranges-supported true
ATTR keyword print-color-mode-default auto
ATTR keyword print-color-mode-supported auto,color,monochrome
ATTR keyword print-content-optimize-default auto
ATTR keyword print-content-optimize-supported auto
ATTR enum print-quality-default 4
ATTR enum print-quality-supported 4
ATTR keyword print-rendering-intent-default auto
ATTR keyword print-rendering-intent-supported auto
ATTR keyword print-scaling-default none
ATTR keyword print-scaling-supported auto,auto-fit,fill,fit,none
ATTR resolution printer-resolution-default 600dpi
ATTR resolution printer-resolution-supported 600dpi
ATTR text printer-make-and-model "gradprint test printer"
ATTR keyword sides-default one-sided
ATTR keyword sides-supported one-sided
ATTR mimeMediaType document-format-supported application/pdf,application/octet-stream
EOF

  # Without -c the printer "prints" each job for 5-15 s; this command returns at once and
  # leaves the job's attributes in <id>-<job-name>.prn.
  cat >"$d/bin/record-job" <<'EOF'
#!/bin/sh
env | grep -E '^(IPP_|CONTENT_TYPE=)' | sort
exit 0
EOF
  chmod 755 "$d/bin/record-job"

  cat >"$d/cups/etc/cups-files.conf" <<EOF
FileDevice Yes
ServerRoot $d/cups/etc
RequestRoot $d/cups/spool
TempDir $d/cups/spool/tmp
CacheDir $d/cups/cache
StateDir $d/cups/state
ErrorLog $d/cups/log/error_log
AccessLog $d/cups/log/access_log
PageLog $d/cups/log/page_log
Printcap $d/cups/printcap
SystemGroup root
EOF
  # abort-job: a job the printer cannot take ends "aborted" instead of stopping the queue.
  cat >"$d/cups/etc/cupsd.conf" <<EOF
LogLevel $([ -n "${GP_CUPS_FIXTURE_DRIVERS:-}" ] && echo debug || echo info)
MaxLogSize 0
MaxJobs 10000
Listen 127.0.0.1:$cups_port
ServerName localhost
Browsing No
BrowseLocalProtocols none
DefaultAuthType None
WebInterface No
ErrorPolicy abort-job
PreserveJobFiles No
<Location />
  Order allow,deny
  Allow from 127.0.0.1
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF

  cat >"$d/ready.test" <<'EOF'
{
  NAME "ready"
  OPERATION Get-Printer-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR keyword requested-attributes printer-state
  STATUS successful-ok
}
EOF
}

# Running, and not a zombie waiting for whoever adopted it to reap it.
gp_cups_fixture_alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
  [ -n "$state" ] && [ "$state" != Z ]
}

gp_cups_fixture_kill() {
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  rm -f "$f"
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  # cupsd can take a second to go on SIGTERM; after 5 s it is killed.
  for _ in $(seq 100); do
    gp_cups_fixture_alive "$pid" || break
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

gp_cups_fixture_start_cupsd() {
  local d=$GP_CUPS_FIXTURE_DIR
  cupsd -f -c "$d/cups/etc/cupsd.conf" -s "$d/cups/etc/cups-files.conf" >>"$d/cups/log/cupsd.out" 2>&1 &
  echo $! >"$d/cupsd.pid"
  gp_cups_fixture_wait_for 10 gp_cups_fixture_cupsd_up ||
    { gp_cups_fixture_log "cupsd did not answer on $CUPS_SERVER:"; tail -3 "$d/cups/log/error_log" >&2; return 1; }
}

gp_cups_fixture_stop() {
  local d=${GP_CUPS_FIXTURE_DIR:-}
  [ -n "$d" ] && [ -d "$d" ] || return 0
  # In parallel: each may take a second to exit. Waiting for these two only: a bare wait
  # would also wait for the D-Bus daemon, which is still running.
  local k1 k2
  gp_cups_fixture_kill "$d/cupsd.pid" &
  k1=$!
  gp_cups_fixture_kill "$d/ippeveprinter.pid" &
  k2=$!
  wait "$k1" "$k2"
  gp_cups_fixture_kill "$d/dbus.pid"
  if [ "${GP_CUPS_FIXTURE_KEEP:-0}" = 1 ]; then
    gp_cups_fixture_log "kept $d"
  else
    rm -rf "$d"
  fi
  unset GP_CUPS_FIXTURE_DIR
}

gp_cups_fixture_has_ppd() {
  [ -f "$GP_CUPS_FIXTURE_DIR/cups/etc/ppd/$GP_CUPS_FIXTURE_QUEUE.ppd" ] &&
    lpoptions -p "$GP_CUPS_FIXTURE_QUEUE" | grep -q "printer-make-and-model='[^']*IPP Everywhere"
}

gp_cups_fixture_cupsd_up() {
  lpstat -r | grep -q "is running"
}

# One attempt on two fresh ports; fails (leaving nothing running) when a port was taken meanwhile.
gp_cups_fixture_try_start() {
  local d ipp_port cups_port t0
  t0=$(gp_cups_fixture_now)
  ipp_port=$(gp_cups_fixture_pick_port) && cups_port=$(gp_cups_fixture_pick_port) || return 1
  [ "$ipp_port" != "$cups_port" ] || return 1
  d=$(mktemp -d "${TMPDIR:-/tmp}/gp-cups.XXXXXX") || return 1
  export GP_CUPS_FIXTURE_DIR=$d
  gp_cups_fixture_write_config "$d" "$ipp_port" "$cups_port"

  # ippeveprinter always makes an Avahi client, which needs a D-Bus system bus even with -r off.
  # --nofork: our own child, so it is reaped the moment it exits (a forked daemon is left to
  # whoever adopts it, and stopping it looked like it took seconds).
  dbus-daemon --session --nofork --address="unix:path=$d/dbus.sock" >"$d/dbus.log" 2>&1 &
  echo $! >"$d/dbus.pid"
  gp_cups_fixture_wait_for 5 test -S "$d/dbus.sock" ||
    { gp_cups_fixture_log "dbus-daemon did not start:"; tail -3 "$d/dbus.log" >&2; return 1; }
  # -n localhost: it must listen on both 127.0.0.1 and [::1].
  DBUS_SYSTEM_BUS_ADDRESS="unix:path=$d/dbus.sock" \
    ippeveprinter -r off -n localhost -p "$ipp_port" -d "$d/printer-spool" -k \
      -c "$d/bin/record-job" -a "$d/printer.conf" "gradprint test printer" \
      >"$d/ippeveprinter.log" 2>&1 &
  echo $! >"$d/ippeveprinter.pid"
  export CUPS_SERVER="localhost:$cups_port"
  gp_cups_fixture_start_cupsd || return 1
  gp_cups_fixture_wait_for 10 ipptool -q -T 2 "ipp://localhost:$ipp_port/ipp/print" "$d/ready.test" ||
    { gp_cups_fixture_log "ippeveprinter did not answer on port $ipp_port:"; tail -3 "$d/ippeveprinter.log" >&2; return 1; }

  # The queue gets its IPP Everywhere PPD asynchronously, and only when created with the plain
  # URI (cupsd sends the URI, options included, as printer-uri). Until the PPD exists the queue
  # is raw: no pdftopdf, no media-col. URI options go in afterwards: contimeout bounds how long
  # the backend retries an unreachable printer; waitjob makes CUPS follow the printer's job.
  lpadmin -p "$GP_CUPS_FIXTURE_QUEUE" -E -v "ipp://localhost:$ipp_port/ipp/print" -m everywhere ||
    { gp_cups_fixture_log "lpadmin failed"; return 1; }
  gp_cups_fixture_wait_for 20 gp_cups_fixture_has_ppd ||
    { gp_cups_fixture_log "no IPP Everywhere PPD for the queue:"; grep -a 'PPD' "$d/cups/log/error_log" | tail -3 >&2; return 1; }
  lpadmin -p "$GP_CUPS_FIXTURE_QUEUE" -v "ipp://localhost:$ipp_port/ipp/print?contimeout=5&waitjob=true" \
    -o printer-error-policy=abort-job || { gp_cups_fixture_log "lpadmin -v failed"; return 1; }
  export GP_CUPS_FIXTURE_QUEUE GP_CUPS_FIXTURE_IPP_PORT=$ipp_port GP_CUPS_FIXTURE_SCRIPT=$GP_CUPS_FIXTURE_SELF
  if [ -n "${GP_CUPS_FIXTURE_DRIVERS:-}" ]; then
    gp_cups_fixture_add_driver_queues || return 1
  fi
  gp_cups_fixture_log "queue $GP_CUPS_FIXTURE_QUEUE on $CUPS_SERVER, printer on port $ipp_port," \
    "dir $d, started in $(gp_cups_fixture_ms_since "$t0") ms"
}

# The PPD of one driver, from the installed Debian driver packages, on stdout.
gp_cups_fixture_driver_ppd() {
  case $1 in
    m607) /usr/lib/cups/driver/postscript-hp cat "postscript-hp:0/ppd/hplip/HP/hp-laserjet_m607_m608_m609-ps.ppd" ;;
    ricoh) /usr/lib/cups/driver/openprinting-ppds cat "openprinting-ppds:0/ppd/openprinting/Ricoh/PS/Ricoh-MP_C3004_PS.ppd" ;;
    p2055) /usr/lib/cups/daemon/cups-driverd cat drv:///hpcups.drv/hp-laserjet_p2055dn-pcl3.ppd ;;
    m5035) /usr/lib/cups/daemon/cups-driverd cat drv:///hpcups.drv/hp-laserjet_m5035_mfp-pcl3.ppd ;;
    p600) /usr/lib/cups/driver/gutenprint.5.3 cat gutenprint.5.3://escp2-p600/expert ;;
    pxl) cat /usr/share/ppd/cupsfilters/pxlmono.ppd ;;
    *) return 1 ;;
  esac
}

gp_cups_fixture_add_driver_queues() {
  local d=$GP_CUPS_FIXTURE_DIR spec name stage ppd
  mkdir -p "$d/devices" "$d/ppd-src"
  chmod 755 "$d/devices"
  for spec in $GP_CUPS_FIXTURE_DRIVERS; do
    name=${spec%%:*}
    stage=${spec#*:}
    ppd=$d/ppd-src/chain-$name.ppd
    gp_cups_fixture_driver_ppd "$name" >"$ppd" 2>/dev/null && grep -q '^\*PPD-Adobe' "$ppd" ||
      { gp_cups_fixture_log "no PPD for driver $name: install printer-driver-hpcups printer-driver-gutenprint printer-driver-postscript-hp openprinting-ppds"; return 1; }
    if [ "$stage" = raster ]; then
      sed -i 's|^\*cupsFilter: *"application/vnd.cups-raster \([0-9]*\) [^"]*"|*cupsFilter: "application/vnd.cups-raster \1 -"|' "$ppd"
    fi
    : >"$d/devices/chain-$name.prn"
    chmod 666 "$d/devices/chain-$name.prn"
    lpadmin -p "chain-$name" -E -v "file://$d/devices/chain-$name.prn" -P "$ppd" 2>/dev/null ||
      { gp_cups_fixture_log "lpadmin for driver $name failed"; return 1; }
  done
}

gp_cups_fixture_start() {
  gp_cups_fixture_check_tools || return 1
  local attempt
  for attempt in 1 2 3; do
    gp_cups_fixture_try_start && return 0
    gp_cups_fixture_log "start attempt $attempt failed"
    gp_cups_fixture_stop
  done
  return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  case ${1:-} in
    run)
      shift
      [ $# -ge 1 ] || { echo "usage: $0 run PROGRAM [ARGS...]" >&2; exit 2; }
      trap gp_cups_fixture_stop EXIT
      trap 'exit 130' INT TERM
      gp_cups_fixture_start || exit 1
      "$@"
      rc=$?
      exit $rc
      ;;
    start)
      # Leaves the fixture running; stop it with: GP_CUPS_FIXTURE_DIR=... cups-fixture.sh stop
      gp_cups_fixture_start || { gp_cups_fixture_stop; exit 1; }
      echo "export CUPS_SERVER=$CUPS_SERVER GP_CUPS_FIXTURE_DIR=$GP_CUPS_FIXTURE_DIR" \
        "GP_CUPS_FIXTURE_QUEUE=$GP_CUPS_FIXTURE_QUEUE"
      ;;
    stop)
      gp_cups_fixture_stop
      ;;
    stop-cupsd)
      # For tests of a CUPS restart, from inside "run": cupsd only; its jobs and queues stay on disk.
      [ -n "${GP_CUPS_FIXTURE_DIR:-}" ] || { echo "$0: no fixture running" >&2; exit 2; }
      gp_cups_fixture_kill "$GP_CUPS_FIXTURE_DIR/cupsd.pid"
      ;;
    start-cupsd)
      [ -n "${GP_CUPS_FIXTURE_DIR:-}" ] || { echo "$0: no fixture running" >&2; exit 2; }
      gp_cups_fixture_start_cupsd
      ;;
    *)
      echo "usage: $0 run PROGRAM [ARGS...] | start | stop | stop-cupsd | start-cupsd" >&2
      exit 2
      ;;
  esac
fi
