#!/usr/bin/env bash
# Set up the project on a fresh machine.
#
#   scripts/setup.sh          runtime: .venv with requirements.txt (enough to run the app and CLI)
#                             and Debian's fonts-noto-cjk (the briefing PDF embeds Noto Sans CJK SC)
#   scripts/setup.sh --test   also the test tools (requirements-dev.txt) and the system packages
#                             the tests need: Debian's chromium (browser tests), poppler-utils
#                             (briefing pages to PNG), postgresql and postgresql-postgis (PostGIS
#                             export round trip)
#
# Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi

need=()
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
  compgen -G "/usr/share/postgresql/*/extension/postgis.control" >/dev/null || need+=(postgresql-postgis)
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "Needed: ${need[*]} (Debian packages). Install them as root, then re-run." >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
fi
