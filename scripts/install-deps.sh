#!/usr/bin/env bash
# Installs what Ronin NVR needs on Debian 12: `runtime` for `make run`, `test` for `make test`.
#
# Debian packages come from apt. Python packages go into the project's virtual environment
# ./.venv, made with Debian's /usr/bin/python3: Debian refuses `pip install` into the system
# Python (PEP 668, "externally managed"), and the NVR looks for libonnxruntime under ./.venv.
# Python versions are pinned in scripts/requirements*.txt, tests/requirements.txt and
# bench/requirements.txt, and everything those pull in is pinned in scripts/constraints.txt
# (passed to pip with -c); both are compared with what is installed (scripts/pins-installed.py),
# and pip runs only when one differs. Idempotent and quiet when everything is already there.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
profile=${1:-runtime}
venv=$repo/.venv
system_python=/usr/bin/python3
vtest=/usr/share/doc/opencv-doc/examples/data/vtest.avi

# procps: the tests read process listings with `ps`.
runtime_apt=(ffmpeg fonts-dejavu-core esbuild node-typescript node-react node-react-dom node-csstype node-prop-types
  python3 python3-venv python3-pip procps)
# gstreamer1.0-x carries the pango plugin (clockoverlay, timeoverlay) the test camera's /pattern stream draws with.
test_apt=(postgresql chromium chromium-driver opencv-doc python3-gi gir1.2-gst-rtsp-server-1.0
  gstreamer1.0-rtsp gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x)

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
apt_updated=false

apt_install() {
  if [ "$apt_updated" = false ]; then
    $sudo apt-get update -qq
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

packages=("${runtime_apt[@]}")
[ "$profile" = test ] && packages+=("${test_apt[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  apt_install "${missing[@]}"
fi

# The test footage: opencv-doc can be installed without its files when dpkg is told to leave
# documentation out (path-exclude rules, as in slim container images). Reinstall it with this
# one file let through; say why when even that does not bring it.
if [ "$profile" = test ] && [ ! -f "$vtest" ]; then
  echo "Test footage $vtest is missing; reinstalling opencv-doc"
  apt_install --reinstall -o "DPkg::Options::=--path-include=$vtest" opencv-doc
  if [ ! -f "$vtest" ]; then
    echo "install-deps: $vtest is still missing after reinstalling opencv-doc." >&2
    rules=$(grep -rsH '^ *path-exclude' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/ || true)
    [ -n "$rules" ] && echo "dpkg leaves files out by these rules:"$'\n'"$rules" >&2
    echo "Allow it with a line 'path-include=$vtest' after them, then run this again." >&2
    exit 1
  fi
fi

# The virtual environment, (re)made when missing or unusable (its Python gone, no pip).
if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
  echo "Creating the Python virtual environment $venv"
  "$system_python" -m venv --clear "$venv"
fi

# pip_sync [--no-deps] FILE...: installs the files' pins unless every one is already installed.
# Without --no-deps, what they pull in is held to scripts/constraints.txt too, in the check and
# in pip; with it, pip installs the named packages alone and their dependencies are not checked.
pip_sync() {
  local flags=() check=(--constraints "$repo/scripts/constraints.txt")
  if [ "$1" = --no-deps ]; then
    flags=(--no-deps)
    check=()
    shift
  else
    flags=(-c "$repo/scripts/constraints.txt")
  fi
  local files=("$@") differing
  if differing=$("$venv/bin/python" "$repo/scripts/pins-installed.py" "${check[@]}" "${files[@]}"); then
    return 0
  fi
  echo "Installing Python packages into .venv:"$'\n'"$differing" | sed '2,$s/^/  /'
  local requirements=()
  for f in "${files[@]}"; do requirements+=(-r "$f"); done
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${flags[@]}" "${requirements[@]}"
  if ! differing=$("$venv/bin/python" "$repo/scripts/pins-installed.py" "${check[@]}" "${files[@]}"); then
    echo "install-deps: pip did not install the pinned versions:"$'\n'"$differing" >&2
    exit 1
  fi
}

python_files=("$repo/scripts/requirements.txt")
[ "$profile" = test ] && python_files+=("$repo/tests/requirements.txt" "$repo/bench/requirements.txt")
pip_sync "${python_files[@]}"
pip_sync --no-deps "$repo/scripts/requirements-no-deps.txt"

# The Darknet YOLOv3-tiny weights converted once into models/yolov3-tiny.onnx.
"$venv/bin/python" "$repo/scripts/provision-model.py"
