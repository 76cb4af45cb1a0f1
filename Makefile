# Ronin NVR. `make run` and `make test` do all set-up on a fresh Debian 12 machine.
SHELL := /bin/bash
.DEFAULT_GOAL := run

SWIFT_FLAGS ?=
CAMERA_PORT ?= 8554
# The project's Python (scripts/install-deps.sh makes it): the test suite, the benchmarks and the
# programs they start run inside it, so the NVR finds libonnxruntime there. The test camera
# needs Debian's own /usr/bin/python3, the one with `gi`.
VENV := $(CURDIR)/.venv
IN_VENV := VIRTUAL_ENV=$(VENV) PATH="$(VENV)/bin:$$PATH"
PYTHON := $(IN_VENV) $(VENV)/bin/python

.PHONY: run test bench deps deps-test frontend build build-debug camera clean

deps:
	@scripts/install-deps.sh runtime

deps-test:
	@scripts/install-deps.sh test

frontend: deps
	@Frontend/build.sh

build: deps frontend
	swift build -c release $(SWIFT_FLAGS)

build-debug: deps frontend
	swift build --build-tests $(SWIFT_FLAGS)

## Build a release binary and start the NVR on http://localhost:8080 (SQLite, ./data).
run: build
	./.build/release/ronin serve

## Install test dependencies, then run the unit tests and the pytest suite (its database tests on SQLite and PostgreSQL).
test: deps-test build-debug
	swift test --skip-build $(SWIFT_FLAGS)
	$(PYTHON) -m pytest

## Benchmarks (release build): prints figures and ratios against baselines measured in the same run.
bench: deps-test build
	RONIN_BIN=$(CURDIR)/.build/release/ronin $(PYTHON) bench/recording/bench_recording.py
	RONIN_BIN=$(CURDIR)/.build/release/ronin $(PYTHON) bench/timeline/bench_timeline.py
	RONIN_BIN=$(CURDIR)/.build/release/ronin $(PYTHON) bench/detection/bench_detection.py

## A real RTSP test camera on rtsp://127.0.0.1:$(CAMERA_PORT)/vtest (and /pattern, /vtest-g711, /vtest-noaudio).
camera: deps-test
	/usr/bin/python3 tools/test-camera/ronin_test_camera.py --port $(CAMERA_PORT)

clean:
	rm -rf .build Frontend/dist test-output
