#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing (only as root with apt-get).
set -euo pipefail
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
command -v chromium >/dev/null || need+=(chromium)
command -v npm >/dev/null || need+=(npm)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
compgen -G "/usr/lib/*/faketime/libfaketime.so.1" >/dev/null || need+=(libfaketime)  # the screenshot day
# tests/ops/test_deploy_files.py checks the shipped units and nginx site with the real tools
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v openssl >/dev/null || need+=(openssl)
command -v nginx >/dev/null || need+=(nginx-core)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "system-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  if [[ " ${need[*]} " == *" nginx-core "* ]]; then  # only `nginx -t` is used: do not leave a web server running
    (systemctl disable --now nginx || service nginx stop) >/dev/null 2>&1 || true
  fi
else
  echo "system-deps: missing ${need[*]}; install them with: sudo apt-get install ${need[*]}" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
fi
