#!/usr/bin/env bash
# Tries docs/deploy.md step by step on a clean Debian 12 container and checks what it promises (issue 16: 8).
#
# A minimal bookworm from Debian's mirror (debootstrap) is booted with systemd-nspawn, so systemd is PID 1 and the
# shipped units run for real; --private-network keeps its nginx, PostgreSQL and Redis off this machine's ports.
# Phase 1 (this machine's network) only downloads: the guide's .deb files, the Python wheels, the npm packages.
# Phase 2 (the booted container, offline) follows the guide as root, in order. Phase 3 checks it and upgrades
# from OLD_REV to HEAD with rolling restarts while a loop issues tickets. Root only; about 10 minutes.
#
# Usage: sudo scripts/deploy-trial.sh          (ANTRE_TRIAL_DIR=/tmp/antre-deploy-trial, KEEP=1 keeps the rootfs)
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=${ANTRE_TRIAL_DIR:-/tmp/antre-deploy-trial}
ROOTFS=$WORK/root
MACHINE=antre-trial
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The version the upgrade starts from: the commit before the newest migration, so the upgrade migrates.
NEWEST_MIGRATION=$(cd "$SRC" && git ls-files server/storage/migrations/versions | sort | tail -1)
OLD_REV=${OLD_REV:-$(cd "$SRC" && git log --format=%h -1 --diff-filter=A -- "$NEWEST_MIGRATION")^}
# Every package the guide installs (server, nginx, scale-out, kiosk/TV), downloaded while there is a network.
PACKAGES="sudo python3 python3-venv git npm fonts-dejavu-core sqlite3 curl ca-certificates nginx openssl
          postgresql redis-server postgresql-client libusb-1.0-0 unclutter"
NSPAWN_PID=""
PIP_CA_LINE=""

say() { printf '\n== %s\n' "$*"; }
die() { echo "deploy-trial: $*" >&2; exit 1; }

in_ct() {  # run a script as root inside the booted container (all of its namespaces, a clean environment)
  local init
  init=$(pgrep -P "$NSPAWN_PID" -x systemd)
  nsenter -t "$init" -m -u -i -n -p -C -- /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb /bin/bash -euo pipefail -c "$1"
}

stop_container() {
  if [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
    in_ct 'systemctl poweroff' >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 0.5; done
    kill "$NSPAWN_PID" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" != 1 ]; then rm -rf --one-file-system "$ROOTFS"; fi
}

[ "$(id -u)" = 0 ] || die "run it as root"
command -v debootstrap >/dev/null && command -v systemd-nspawn >/dev/null ||
  apt-get install -y -q --no-install-recommends debootstrap systemd-container
trap stop_container EXIT

say "0. a clean Debian 12 in $ROOTFS ($(date -u +%FT%TZ), source $(cd "$SRC" && git rev-parse --short HEAD), upgrade from $OLD_REV)"
rm -rf --one-file-system "$ROOTFS" && mkdir -p "$WORK"
# systemd, dbus and libpam-systemd: what any installed Debian has and a container image lacks (systemd as PID 1,
# user managers for the kiosk and TV units).
debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,libpam-systemd bookworm "$ROOTFS" "$MIRROR" \
  > "$WORK/debootstrap.log"
cat >> "$ROOTFS/etc/apt/sources.list" <<EOF
deb http://deb.debian.org/debian-security bookworm-security main
deb $MIRROR bookworm-updates main
EOF
echo "$MACHINE" > "$ROOTFS/etc/hostname"
# What Docker and the installer write and debootstrap does not: localhost (PostgreSQL listens on it). The LAN's
# DNS name of the server is set here as the guide asks every device to do.
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n127.0.1.1\t%s\n127.0.0.1\tantre.mpp.local\n' "$MACHINE" \
  > "$ROOTFS/etc/hosts"
rm -f "$ROOTFS/etc/machine-id" && systemd-machine-id-setup --root="$ROOTFS" >/dev/null
if [ -n "${PIP_CERT:-}" ] && [ -f "$PIP_CERT" ]; then
  # This machine reaches PyPI/npm through a proxy with its own CA: give the container the same trust (trial only).
  mkdir -p "$ROOTFS/etc/ssl/certs" && cp "$PIP_CERT" "$ROOTFS/etc/ssl/certs/trial-proxy-ca.crt"
  PIP_CA_LINE="cert = /etc/ssl/certs/trial-proxy-ca.crt"
fi

say "1. downloads (this machine's network): .deb files, wheels, npm packages"
systemd-nspawn -q -D "$ROOTFS" --register=no --keep-unit -M "$MACHINE" /bin/sh -c \
  "apt-get update -q >/dev/null && apt-get install -y -q --download-only $(echo $PACKAGES) >/dev/null"
git clone -q "$SRC" "$WORK/src" 2>/dev/null || (cd "$WORK/src" && git fetch -q origin && git checkout -q origin/HEAD)
# async-timeout: redis needs it on Debian's Python 3.11.2, not on a newer Python that may run this script.
"$SRC/.venv/bin/python" -m pip download -q -d "$ROOTFS/root/wheelhouse" "setuptools>=77" wheel "async-timeout>=4.0.3" "$WORK/src" \
  > "$WORK/pip-download.log" 2>&1
(cd "$WORK/src" && npm ci --silent --no-audit --no-fund --cache "$ROOTFS/root/.npm" >/dev/null && rm -rf node_modules)
# Offline from here: pip and npm take what phase 1 fetched (a real server has the internet for these steps).
printf '[global]\n%s\nfind-links = /root/wheelhouse\nno-index = true\n' "${PIP_CA_LINE:-}" > "$ROOTFS/etc/pip.conf"
printf 'cache=/root/.npm\noffline=true\n' > "$ROOTFS/etc/npmrc"
cp "$SRC/scripts/deploy-trial/ticket_loop.py" "$ROOTFS/root/"

say "2. boot it (systemd as PID 1, private network)"
systemd-nspawn -b -D "$ROOTFS" --register=no --keep-unit --console=pipe --private-network -M "$MACHINE" \
  --bind-ro="$SRC:/srv/antre-src" > "$WORK/nspawn.log" 2>&1 &
NSPAWN_PID=$!
for _ in $(seq 1 60); do
  init=$(pgrep -P "$NSPAWN_PID" -x systemd || true)
  [ -n "$init" ] && in_ct 'echo "systemd: $(systemctl is-system-running --wait || true)"' 2>/dev/null && break
  sleep 1
done

say "3. Server (one process): packages, user, clone, assets, venv, config, key"
in_ct '
apt-get install -y -q --no-install-recommends python3 python3-venv git npm fonts-dejavu-core sqlite3 curl ca-certificates >/dev/null
apt-get install -y -q --no-install-recommends sudo >/dev/null   # a minimal Debian has none; the guide uses it
sudo timedatectl set-timezone Asia/Makassar || ln -sf /usr/share/zoneinfo/Asia/Makassar /etc/localtime
sudo useradd --system --home-dir /var/lib/antre --shell /usr/sbin/nologin antre
sudo git clone -q /srv/antre-src /opt/antre      # the guide: git clone https://example.org/antre.git /opt/antre
cd /opt/antre
sudo bash scripts/build-assets.sh
sudo python3 -m venv .venv && sudo .venv/bin/pip install --quiet .
sudo install -m 0755 deploy/bin/antre /usr/local/bin/antre
sudo install -d -m 0700 -o antre -g antre /var/lib/antre /var/backups/antre
sudo install -d -m 0750 -o root -g antre /etc/antre
sudo install -m 0640 -o root -g antre config.toml /etc/antre/config.toml
python3 - <<EOF   # "Edit /etc/antre/config.toml" as the guide shows
p = "/etc/antre/config.toml"; s = open(p).read()
for old, new in [("public_url = \"http://127.0.0.1:5000\"", "public_url = \"https://antre.mpp.local\""),
                 ("log_format = \"text\"", "log_format = \"json\""), ("proxies = 0 ", "proxies = 1 "),
                 ("url = \"sqlite:///var/antre.db\"", "url = \"sqlite:////var/lib/antre/antre.db\"")]:
    assert old in s, old
    s = s.replace(old, new)
# Trial only: a service open every day and hour, so tickets can be issued whenever the trial runs.
s += "\n[[service]]\ncode = \"UJI\"\nagency = \"DPMPTSP\"\nname = \"Layanan Uji Coba\"\nprefix = \"U\"\n"
s += "open = \"00:00\"\nclose = \"23:59\"\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n"
s += "daily_quota = 9000\n"
open(p, "w").write(s)
EOF
echo "ANTRE_SECRET_KEY=$(python3 -c "import secrets; print(secrets.token_hex(32))")" | \
  sudo install -m 0600 -o root -g root /dev/stdin /etc/antre/antre.env
sudo antre user list
test -f .venv/lib/python3.11/site-packages/server/web/static/vendor/socket.io.min.js
'

say "4. systemd: antre@5000"
in_ct '
cd /opt/antre
sudo install -m 0644 deploy/systemd/antre@.service /etc/systemd/system/
sudo systemctl daemon-reload
sudo systemctl enable --now antre@5000
until curl -fs http://127.0.0.1:5000/health; do sleep 0.5; done; echo
journalctl -u antre@5000 --no-pager | grep -c "kata sandi"
stat -c "%a %U %n" /var/lib/antre /var/lib/antre/antre.db
'

say "5. nginx, TLS (self-signed) and WebSocket"
in_ct '
cd /opt/antre
sudo apt-get install -y -q nginx >/dev/null
sudo install -m 0644 deploy/nginx/antre.conf /etc/nginx/sites-available/antre
sudo ln -s /etc/nginx/sites-available/antre /etc/nginx/sites-enabled/
sudo install -d -m 0755 /etc/ssl/antre
sudo openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj /CN=antre.mpp.local \
  -addext subjectAltName=DNS:antre.mpp.local \
  -keyout /etc/ssl/antre/antre.mpp.local.key -out /etc/ssl/antre/antre.mpp.local.crt 2>/dev/null
sudo chmod 0600 /etc/ssl/antre/antre.mpp.local.key
sudo nginx -t && sudo systemctl reload nginx
curl -fsS --cacert /etc/ssl/antre/antre.mpp.local.crt https://antre.mpp.local/health; echo
code=$(curl -sS -o /dev/null -w "%{http_code}" --max-time 3 --http1.1 --cacert /etc/ssl/antre/antre.mpp.local.crt \
  -H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" \
  -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==" "https://antre.mpp.local/socket.io/?EIO=4&transport=websocket" || true)
echo "websocket upgrade through nginx: $code"; test "$code" = 101
sudo cp /etc/ssl/antre/antre.mpp.local.crt /usr/local/share/ca-certificates/antre.crt && sudo update-ca-certificates >/dev/null
curl -fsS -o /dev/null -w "socket.io.min.js via nginx: %{http_code}\n" https://antre.mpp.local/static/vendor/socket.io.min.js
'

say "6. several processes: PostgreSQL + Redis, antre@5001 antre@5002 behind nginx"
in_ct '
sudo apt-get install -y -q postgresql redis-server postgresql-client >/dev/null
sudo -u postgres psql -q -c "CREATE ROLE antre LOGIN PASSWORD '"'"'ganti-sandi'"'"'" -c "CREATE DATABASE antre OWNER antre"
sed -i -e "s|^url = \"sqlite:////var/lib/antre/antre.db\"|url = \"postgresql://antre:ganti-sandi@127.0.0.1/antre\"|" \
       -e "s|^message_queue = \"\"|message_queue = \"redis://127.0.0.1:6379/0\"|" /etc/antre/config.toml
grep -E "^(url|message_queue) =" /etc/antre/config.toml
sudo systemctl disable --now antre@5000
sudo systemctl enable --now antre@5001 antre@5002
sed -i "s|    server 127.0.0.1:5000 max_fails=0;|    server 127.0.0.1:5001 max_fails=0;\n    server 127.0.0.1:5002 max_fails=0;|" \
  /etc/nginx/sites-available/antre
sudo nginx -t 2>/dev/null && sudo systemctl reload nginx
for port in 5001 5002; do until curl -fs http://127.0.0.1:$port/health >/dev/null; do sleep 0.5; done; done
curl -fsS https://antre.mpp.local/health; echo
'

say "7. backups: the timer, one copy now"
in_ct '
cd /opt/antre
sudo install -m 0644 deploy/systemd/antre-backup.service deploy/systemd/antre-backup.timer /etc/systemd/system/
sudo systemctl daemon-reload && sudo systemctl enable --now antre-backup.timer
systemctl list-timers antre-backup.timer --no-pager
sudo systemctl start antre-backup.service && ls -l /var/backups/antre
'

say "8. kiosk and TV user units (same machine here: their configs in their homes; SDL dummy drivers, no screen)"
in_ct '
cd /opt/antre
sudo apt-get install -y -q --no-install-recommends python3-venv git libusb-1.0-0 fonts-dejavu-core unclutter >/dev/null
sudo useradd --create-home --groups lp kiosk
sudo useradd --create-home tv
for pair in kiosk:kiosk tv:display; do
  user=${pair%%:*}; app=${pair#*:}; home=/home/$user
  sudo -u $user mkdir -p $home/.config/systemd/user/antre-$app.service.d $home/.config/autostart $home/antre
  sudo -u $user cp deploy/systemd/user/antre-$app.service $home/.config/systemd/user/
  sudo -u $user cp deploy/autostart/antre-$app.desktop $home/.config/autostart/
  sudo -u $user SYSTEMD_OFFLINE=1 systemctl --user enable antre-$app
  token=$(sudo antre device add $user-trial --kind $app)
  sudo -u $user cp config.toml $home/antre/config.toml
  sudo -u $user python3 - "$app" "$token" "$home/antre/config.toml" <<EOF
import re, sys
app, token, path = sys.argv[1:]
s = open(path).read()
section = s.index("[%s]" % app)
head, tail = s[:section], s[section:]
tail = re.sub(r"server = \"[^\"]*\"", "server = \"https://antre.mpp.local\"", tail, count=1)
tail = re.sub(r"token = \"[^\"]*\"", "token = \"%s\"" % token, tail, count=1)
open(path, "w").write(head + tail)
EOF
  printf "[Service]\nEnvironment=SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy\nExecStart=\nExecStart=/opt/antre/.venv/bin/python -m %s --config %s/antre/config.toml\n" \
    $app $home | sudo -u $user tee $home/.config/systemd/user/antre-$app.service.d/trial.conf >/dev/null
  # No desktop logs in here: a lingering user manager stands in for the session, and we start the unit as the
  # autostart entry would.
  sudo loginctl enable-linger $user
  for _ in $(seq 1 20); do [ -S /run/user/$(id -u $user)/systemd/private ] && break; sleep 0.5; done
  sudo -u $user XDG_RUNTIME_DIR=/run/user/$(id -u $user) systemctl --user daemon-reload
  sudo -u $user XDG_RUNTIME_DIR=/run/user/$(id -u $user) systemctl --user start antre-$app
done
for _ in $(seq 1 30); do [ "$(sudo antre device list | grep -c daring)" = 2 ] && break; sleep 1; done
sudo antre device list
test "$(sudo antre device list | grep -c daring)" = 2
U="sudo -u kiosk XDG_RUNTIME_DIR=/run/user/$(id -u kiosk) systemctl --user"
before=$($U show -p MainPID --value antre-kiosk); kill -9 $before
for _ in $(seq 1 20); do after=$($U show -p MainPID --value antre-kiosk); [ "$after" != 0 ] && [ "$after" != "$before" ] && break; sleep 0.5; done
echo "kiosk killed (pid $before), restarted by its unit as pid $after, restarts: $($U show -p NRestarts --value antre-kiosk)"
test "$after" != 0 && test "$after" != "$before"
'

say "9. upgrade from $OLD_REV with rolling restarts while a kiosk loop issues tickets"
in_ct "
cd /opt/antre
sudo systemctl stop antre@5001 antre@5002
sudo -u postgres psql -q -c 'DROP DATABASE antre' -c 'CREATE DATABASE antre OWNER antre'
sudo git checkout -q $OLD_REV
sudo bash scripts/build-assets.sh
sudo rm -rf build && sudo .venv/bin/pip install --quiet .
sudo systemctl start antre@5001 antre@5002
for port in 5001 5002; do until curl -fs http://127.0.0.1:\$port/health >/dev/null; do sleep 0.5; done; done
echo \"old version $OLD_REV, schema \$(sudo -u postgres psql -d antre -tAc 'select version_num from alembic_version')\"
token=\$(sudo antre device add kios-loop --kind kiosk)
rm -f /root/stop-loop
REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt /opt/antre/.venv/bin/python /root/ticket_loop.py \
  https://antre.mpp.local \$token UJI /root/stop-loop > /root/loop.json 2> /root/loop.err &
loop=\$!
sleep 3
# The guide's upgrade, steps 1-4:
sudo systemctl start antre-backup.service
sudo git checkout -q origin/HEAD
sudo bash scripts/build-assets.sh
sudo rm -rf build && sudo .venv/bin/pip install --quiet .
for port in 5001 5002; do
  sudo systemctl restart antre@\$port
  until curl -fs http://127.0.0.1:\$port/health >/dev/null; do sleep 0.5; done
done
echo \"new version \$(git rev-parse --short HEAD), schema \$(sudo -u postgres psql -d antre -tAc 'select version_num from alembic_version')\"
sleep 3
for port in 5001 5002; do  # a second roll, with nothing to migrate
  sudo systemctl restart antre@\$port
  until curl -fs http://127.0.0.1:\$port/health >/dev/null; do sleep 0.5; done
done
sleep 3
touch /root/stop-loop; wait \$loop
in_db=\$(sudo -u postgres psql -d antre -tA -F ' ' -c 'select count(*), count(distinct number) from tickets')
python3 - \"\$in_db\" <<EOF
import json, sys
loop = json.load(open('/root/loop.json'))
numbers = loop.pop('numbers')
count, distinct = map(int, sys.argv[1].split())
print(f'taps {loop[\"taps\"]}, tickets received {len(numbers)} ({numbers[0]}-{numbers[-1]}), failed calls retried '
      f'{loop[\"failed_calls\"]}, given up {loop[\"given_up\"]}; in the database {count} tickets, {distinct} numbers')
assert loop['given_up'] == loop['refused'] == 0 and len(set(numbers)) == len(numbers) == loop['taps'] == count == distinct
print('no ticket lost, none doubled')
EOF
sleep 2; sudo antre device list
"

say "trial passed"
