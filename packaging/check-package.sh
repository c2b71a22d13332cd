#!/usr/bin/env bash
# Checks a built probity .deb without installing it (cheap enough for `make test`): its control
# fields and Depends, the files it installs, its conffile and maintainer scripts, the installed
# config pointing at installed paths, and `systemd-analyze verify` on its units.
# Usage: packaging/check-package.sh build/asan/package/probity_*.deb
set -euo pipefail
deb=${1:?usage: check-package.sh PACKAGE.deb}
fail() { echo "check-package: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dpkg-deb --field "$deb" Package | grep -qx probity || fail "the package is not named probity"
version=$(dpkg-deb --field "$deb" Version)
depends=$(dpkg-deb --field "$deb" Depends)
# dpkg-shlibdeps worked out the libraries the binary links.
for lib in libc6 libsqlite3-0 libssl3 libcurl4 libstdc++6; do
  [[ $depends == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done

dpkg-deb --extract "$deb" "$work/root"
dpkg-deb --control "$deb" "$work/control"
for f in usr/bin/probity etc/probity/probity.json lib/systemd/system/probity.service \
         lib/systemd/system/probity-backup.service lib/systemd/system/probity-backup.timer \
         usr/share/probity/public/css usr/share/probity/public/js \
         usr/share/probity/nhsuk/nhsuk-frontend.min.css usr/share/probity/nhsuk/assets/images/favicon.svg \
         usr/share/doc/probity/deployment.md; do
  [[ -e $work/root/$f ]] || fail "the package lacks /$f"
done
grep -qx /etc/probity/probity.json "$work/control/conffiles" || fail "/etc/probity/probity.json is not a conffile"
for script in postinst prerm postrm; do
  [[ -x $work/control/$script ]] || fail "no executable $script"
  sh -n "$work/control/$script" || fail "$script is not valid sh"
done

# Every path the installed config names is one the package installs or postinst creates.
python3 - "$work/root" <<'PY' || fail "the installed config names paths the package does not provide"
import json, os, sys
root = sys.argv[1]
c = json.load(open(os.path.join(root, "etc/probity/probity.json")))
ok = True
for key in ("assets_dir", "public_dir"):
    if not os.path.isdir(root + c[key]): print(f"{key}: {c[key]} is not installed"); ok = False
for path in (c["database"], c["mail"]["spool_dir"], c["backup"]["dir"]):
    if not path.startswith("/var/lib/probity/"): print(f"{path} is outside /var/lib/probity"); ok = False
sys.exit(0 if ok else 1)
PY

# The binary runs and says which release it is.
[[ $("$work/root/usr/bin/probity" --version) == "probity ${version%%-*}" ]] || fail "probity --version does not say ${version%%-*}"

# systemd's own check of the units, against the unpacked tree (ExecStart's binary included), with
# this machine's own units beside them for the targets they name.
if command -v systemd-analyze >/dev/null; then
  cp -rn /lib/systemd/system/. "$work/root/lib/systemd/system/"
  out=$(cd "$work/root" && systemd-analyze verify --root="$work/root" \
          lib/systemd/system/probity.service lib/systemd/system/probity-backup.service \
          lib/systemd/system/probity-backup.timer 2>&1) || fail "systemd-analyze verify failed: $out"
  [[ -z $out ]] || fail "systemd-analyze verify complained: $out"
else
  fail "systemd-analyze is not installed (package systemd)"
fi
echo "check-package: $(basename "$deb") ok (Depends: $depends)"
