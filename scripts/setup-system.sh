#!/usr/bin/env bash
# Installs the Debian packages Watchroom needs. `app`: ffmpeg only. `test`: also Chromium and
# GStreamer's RTSP server, which the tests use as real cameras, and unzip (a downloaded package is
# unzipped as its recipient would), and poppler-utils (pdftoppm renders the oversight report's PDF to
# images the tests look at), and postgresql (the shared directory's tests start a throw-away cluster
# of Debian's server in a temporary folder). Skips apt when all are present.
set -euo pipefail
mode=${1:-app}
packages=(ffmpeg fonts-dejavu-core)
if [ "$mode" = test ]; then
  packages+=(chromium python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-plugins-base
    gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav procps unzip poppler-utils postgresql)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all ${#packages[@]} packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
