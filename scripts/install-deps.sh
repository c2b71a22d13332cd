#!/usr/bin/env bash
# Installs what Probity needs on Debian 12 and nothing more: missing Debian packages (as root,
# or through sudo) and the npm packages in package-lock.json. Safe to run again: it only acts
# on what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git
  libcpp-httplib-dev libsqlitecpp-dev libsqlite3-dev sqlite3 nlohmann-json3-dev libssl-dev
  catch2 libkainjow-mustache-dev libcli11-dev zlib1g-dev libbrotli-dev
  libcurl4-openssl-dev  # outgoing mail (SMTP) and OpenID Connect (HTTPS)
  python3-aiosmtpd      # the real SMTP server the mail tests start on loopback
  python3-prometheus-client  # its parser reads GET /metrics in the metrics tests
  clang libclang-rt-14-dev  # libFuzzer targets in the test command (tests/fuzz)
  lld                   # links the test command's sanitizer build (CMakeLists.txt)
  # Browser tests drive Debian's Chromium; test tools must never download a browser of their own.
  chromium
  poppler-utils         # pdftotext/pdfinfo: the browser test counts the printed brief's pages
  python3-icalendar     # the test that a meeting's calendar entry parses (Debian's /usr/bin/python3)
)
# Extra packages a target asks for (e.g. browser tests, benchmarks): PROBITY_EXTRA_PACKAGES="a b".
if [[ -n "${PROBITY_EXTRA_PACKAGES:-}" ]]; then read -r -a extra <<<"$PROBITY_EXTRA_PACKAGES"; packages+=("${extra[@]}"); fi
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The NHS design system, the browser test tools (playwright-core, @axe-core/playwright) and the
# test OpenID provider (oidc-provider) from the npm registry.
if [[ ! -d node_modules/nhsuk-frontend || ! -d node_modules/playwright-core || ! -d node_modules/@axe-core/playwright \
      || ! -d node_modules/oidc-provider || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "Installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
