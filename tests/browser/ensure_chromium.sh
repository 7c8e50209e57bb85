#!/bin/sh
# Install the system packages some tests drive when they are missing: Debian's Chromium (Playwright
# uses /usr/bin/chromium), the Noto CJK fonts (Chinese in screenshots) and poppler-utils (pdftotext and
# pdftoppm check the PDF report). A no-op when all are present; as a non-root user it only says what to
# install (the tests then skip, and fail when CI is set).
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$missing fonts-noto-cjk"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
[ -n "$missing" ] || exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "tests: install$missing (apt-get install$missing); tests that need them are skipped" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
