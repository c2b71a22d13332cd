#!/usr/bin/env bash
# The install, upgrade, remove and purge test of the Debian package in a clean Debian 12 root
# (`make package-test`; docs/deployment.md). systemd cannot run in a chroot, so the units are
# checked with `systemd-analyze verify --root` as installed, and the service's command is started
# by hand as the package's user, with the installed config. Needs root (chroot, mount) and
# debootstrap; the first run downloads a minimal Debian 12 (about 5 minutes here) and keeps it as
# build/package-test/bookworm-minbase.tar for later runs.
# Usage: packaging/package-test.sh OLD.deb NEW.deb   (NEW: a later version of the package)
set -euo pipefail
old_deb=$(realpath "${1:?usage: package-test.sh OLD.deb NEW.deb}")
new_deb=$(realpath "${2:?usage: package-test.sh OLD.deb NEW.deb}")
cd "$(dirname "$0")/.."
cache=build/package-test/bookworm-minbase.tar
mirror=${PROBITY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
steps=0
step() { steps=$((steps + 1)); echo "package-test: $*"; }
fail() { echo "package-test: FAILED: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || fail "needs root (chroot and mount)"

mkdir -p build/package-test
if [[ ! -f $cache ]]; then
  step "bootstrapping a minimal Debian 12 (kept as $cache)"
  tmp=$(mktemp -d /var/tmp/probity-bootstrap.XXXXXX)
  debootstrap --variant=minbase bookworm "$tmp" "$mirror" >build/package-test/debootstrap.log 2>&1 ||
    fail "debootstrap failed: see build/package-test/debootstrap.log"
  tar -C "$tmp" -cf "$cache.partial" . && mv "$cache.partial" "$cache"
  rm -rf "$tmp"
fi

root=$(mktemp -d /var/tmp/probity-root.XXXXXX)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  umount "$root/proc" "$root/dev" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT
tar -C "$root" -xf "$cache"
# mktemp made both folders 0700, and tar gives the root the archive's "./" mode: the chroot's /
# must be 0755 like any root, or the probity user cannot reach /usr/bin inside it.
chmod 0755 "$root"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$old_deb" "$root/tmp/old.deb"
cp "$new_deb" "$root/tmp/new.deb"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
as_probity() { chroot --userspec=probity:probity "$root" env -i PATH=/usr/bin:/bin HOME=/var/lib/probity sh -c "cd /var/lib/probity && $1"; }
people_count() { as_probity "probity --config /etc/probity/probity.json export" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["people"]))'; }

step "install $(basename "$old_deb") with apt (Depends from Debian's archive)"
in_root apt-get update -qq >/dev/null
# systemd's package, as on any Debian server: the units' targets for systemd-analyze verify, and
# /run/systemd/system absent (as in any chroot), so the maintainer scripts leave systemd alone.
in_root apt-get install -y -qq --no-install-recommends systemd >build/package-test/systemd.log 2>&1 ||
  fail "installing systemd failed: see build/package-test/systemd.log"
in_root apt-get install -y -qq /tmp/old.deb >build/package-test/install.log 2>&1 || fail "install failed: see build/package-test/install.log"

step "install made the user, the folders and the config"
in_root getent passwd probity | grep -q ':/var/lib/probity:/usr/sbin/nologin$' || fail "no probity system user"
for d in /var/lib/probity /var/lib/probity/mail /var/lib/probity/backups; do
  [[ $(in_root stat -c '%U:%G %a' "$d") == "probity:probity 750" ]] || fail "$d is not probity:probity 750"
done
[[ $(in_root stat -c '%U:%G %a' /etc/probity/probity.json) == "root:probity 640" ]] || fail "the config is not root:probity 640"

step "systemd-analyze verify on the installed units"
out=$(systemd-analyze verify --root="$root" /lib/systemd/system/probity.service /lib/systemd/system/probity-backup.service \
        /lib/systemd/system/probity-backup.timer 2>&1) || fail "systemd-analyze verify: $out"
[[ -z $out ]] || fail "systemd-analyze verify complained: $out"
exec_start=$(sed -n 's/^ExecStart=//p' "$root/lib/systemd/system/probity.service")
backup_start=$(sed -n 's/^ExecStart=//p' "$root/lib/systemd/system/probity-backup.service")

step "the service's command starts as probity with the installed config and answers /healthz"
as_probity "probity --config /etc/probity/probity.json demo" >/dev/null
fifo="$root/tmp/serve.out"
mkfifo "$fifo"
chroot --userspec=probity:probity "$root" env -i PATH=/usr/bin:/bin sh -c "cd /var/lib/probity && exec $exec_start --port 0" >"$fifo" 2>&1 &
server_pid=$!
exec 3<"$fifo"
url=
while read -r -t 30 line <&3; do
  if [[ $line =~ serving\ .*\ at\ (http://[^ ]+)/ ]]; then url=${BASH_REMATCH[1]}; break; fi
done
[[ -n $url ]] || fail "the service did not say it was serving"
[[ $(curl -fsS "$url/healthz") == '{"status":"ok"}' ]] || fail "/healthz did not answer ok"
curl -fsS -o /dev/null "$url/assets/nhsuk-frontend.min.css" || fail "the NHS stylesheet is not served from the installed assets"
curl -fsS -o /dev/null "$url/assets/images/favicon.svg" || fail "the NHS images are not served"
curl -fsS "$url/" | grep -q 'href="/assets/nhsuk-frontend.min.css"' || fail "the home page did not render"
curl -fsS -o /dev/null "$url/register" || fail "the public register did not render"
kill -TERM "$server_pid"
wait "$server_pid" || fail "the service did not stop cleanly on SIGTERM"
server_pid=
exec 3<&-

step "the backup unit's command writes a verified copy into the backup folder"
as_probity "$backup_start" | grep -q "audit chain verified" || fail "the backup command failed"
[[ $(in_root sh -c 'ls /var/lib/probity/backups/probity-*.db | wc -l') -eq 1 ]] || fail "no backup in /var/lib/probity/backups"

people=$(people_count)
[[ $people -gt 0 ]] || fail "the demo register is empty"
sed -i 's/"NHS Example Integrated Care Board"/"NHS Test ICB"/' "$root/etc/probity/probity.json"

step "upgrade to $(basename "$new_deb") keeps the database and the changed config"
in_root apt-get install -y -qq /tmp/new.deb >build/package-test/upgrade.log 2>&1 || fail "upgrade failed: see build/package-test/upgrade.log"
[[ $(in_root dpkg-query -W -f='${Version}' probity) == $(dpkg-deb --field "$new_deb" Version) ]] || fail "the new version is not installed"
[[ $(people_count) -eq $people ]] || fail "the upgrade lost people"
grep -q '"NHS Test ICB"' "$root/etc/probity/probity.json" || fail "the upgrade replaced the changed config"
as_probity "probity --config /etc/probity/probity.json audit verify" >/dev/null || fail "the audit chain does not verify after the upgrade"

step "remove keeps the database and the config"
in_root apt-get remove -y -qq probity >/dev/null 2>&1 || fail "remove failed"
[[ ! -e $root/usr/bin/probity ]] || fail "remove left the binary"
[[ -f $root/var/lib/probity/probity.db && -f $root/etc/probity/probity.json ]] || fail "remove deleted the database or the config"

step "purge removes the config and keeps the database"
in_root dpkg --purge probity >/dev/null || fail "purge failed"
[[ ! -e $root/etc/probity ]] || fail "purge left /etc/probity"
[[ -f $root/var/lib/probity/probity.db ]] || fail "purge deleted the database without being asked"

step "reinstalled, the service finds the kept database; purge with DELETE-ON-PURGE removes it"
in_root apt-get install -y -qq /tmp/new.deb >/dev/null 2>&1 || fail "reinstall failed"
[[ $(people_count) -eq $people ]] || fail "the reinstalled package does not see the kept database"
in_root touch /var/lib/probity/DELETE-ON-PURGE
in_root dpkg --purge probity >/dev/null || fail "second purge failed"
[[ ! -e $root/var/lib/probity ]] || fail "purge with DELETE-ON-PURGE left /var/lib/probity"

echo "package-test: $steps passed, 0 failed"
