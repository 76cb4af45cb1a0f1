# Ronin NVR. `make run` and `make test` do all set-up on a fresh Debian 12 machine.
SHELL := /bin/bash
.DEFAULT_GOAL := run

SWIFT_FLAGS ?=
# Test processes side by side: most tests wait on cameras, segments and browsers, not the CPU.
TEST_WORKERS ?= 2
CAMERA_PORT ?= 8554
# The Swift tests together may take this long (timeout(1) syntax); past it they are stopped and
# `make test` fails, so that one hung test cannot eat CI's whole budget. Each Swift Testing suite
# also has a time limit of its own per test (.timeLimit); XCTest on Linux has none.
SWIFT_TEST_TIMEOUT ?= 15m
# The project's Python (scripts/install-deps.sh makes it): the test suite, the benchmarks and the
# programs they start run inside it, so the NVR finds libonnxruntime there. The test camera
# needs Debian's own /usr/bin/python3, the one with `gi`.
VENV := $(CURDIR)/.venv
IN_VENV := VIRTUAL_ENV=$(VENV) PATH="$(VENV)/bin:$$PATH"
PYTHON := $(IN_VENV) $(VENV)/bin/python

.PHONY: run test bench deps deps-test frontend build build-debug camera install clean

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
	@echo "swift test --skip-build $(SWIFT_FLAGS)  (stopped after $(SWIFT_TEST_TIMEOUT))"
	@timeout --kill-after=30s $(SWIFT_TEST_TIMEOUT) swift test --skip-build $(SWIFT_FLAGS); status=$$?; \
	if [ $$status -eq 124 ] || [ $$status -eq 137 ]; then \
	  echo "make test: the Swift tests were still running after $(SWIFT_TEST_TIMEOUT) and were stopped;" \
	    "one that started above and never finished hangs." >&2; \
	fi; \
	exit $$status
	$(PYTHON) -m pytest -n $(TEST_WORKERS)

## Benchmarks (release build): prints figures and ratios against baselines measured in the same run.
## Every benchmark runs, also after one misses a target; the run fails at the end if any did.
BENCHES = recording/bench_recording timeline/bench_timeline detection/bench_detection jobs/bench_jobs \
	analysis/bench_analysis live/bench_live_detection storage/bench_storage live/bench_live_view
bench: deps-test build
	@failed=""; \
	for bench in $(BENCHES); do \
		RONIN_BIN=$(CURDIR)/.build/release/ronin $(PYTHON) bench/$$bench.py || failed="$$failed $$bench"; \
	done; \
	if [ -n "$$failed" ]; then echo "make bench: targets missed or answers wrong in:$$failed"; exit 1; fi

## A real RTSP test camera on rtsp://127.0.0.1:$(CAMERA_PORT)/vtest (and /pattern, /vtest-g711, /vtest-noaudio).
camera: deps-test
	/usr/bin/python3 tools/test-camera/ronin_test_camera.py --port $(CAMERA_PORT)

PREFIX ?= /usr/local
## Install the release binary with its web UI, model and ONNX Runtime under $(PREFIX): bin/ronin
## finds share/ronin/{web,models,lib} next to itself, whatever folder a service manager starts it in.
install: build
	install -D -m 0755 .build/release/ronin $(DESTDIR)$(PREFIX)/bin/ronin
	rm -rf $(DESTDIR)$(PREFIX)/share/ronin/web
	mkdir -p $(DESTDIR)$(PREFIX)/share/ronin/lib
	cp -R Frontend/dist $(DESTDIR)$(PREFIX)/share/ronin/web
	install -D -m 0644 models/yolov3-tiny.onnx $(DESTDIR)$(PREFIX)/share/ronin/models/yolov3-tiny.onnx
	cp -L $(VENV)/lib/python3*/site-packages/onnxruntime/capi/libonnxruntime.so* $(DESTDIR)$(PREFIX)/share/ronin/lib/

clean:
	rm -rf .build Frontend/dist test-output
