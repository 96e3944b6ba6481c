#!/usr/bin/env bash
# Install Debian's chromium for the browser test (tests/integrations/test_web_page.py).
# Idempotent, and never fails the build: without chromium that test skips with a message.
set -u
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  echo "install-chromium: /usr/bin/chromium and a CJK font already present"
  exit 0
fi
if ! command -v apt-get > /dev/null 2>&1; then
  echo "install-chromium: apt-get not available; the browser test will be skipped"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-chromium: not root and no sudo; the browser test will be skipped"
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei > /dev/null; then
  echo "install-chromium: installed $(/usr/bin/chromium --version 2> /dev/null || echo chromium)"
else
  echo "install-chromium: could not install chromium; the browser test will be skipped"
fi
exit 0
