"""The web UI is found from where `ronin` is, not from where it was started: a service manager
starts it from `/` (docs: README, Configuration, RONIN_WEB_ROOT)."""
import os
import shutil

import requests

from support.paths import RONIN_BIN, WEB_ROOT


def test_a_checkout_build_serves_its_web_ui_from_any_working_directory(make_server):
    srv = make_server(start=False)
    del srv.env["RONIN_WEB_ROOT"]
    srv.start()  # its working directory is its data folder, far from the checkout
    r = requests.get(srv.base_url + "/", timeout=30)
    assert r.status_code == 200 and "<title>Ronin NVR</title>" in r.text
    assert requests.get(srv.base_url + "/setup", timeout=30).status_code == 200
    assert f"Web UI from {WEB_ROOT}" in srv.log_text()


def test_an_installed_executable_serves_the_web_ui_of_its_prefix(make_server, tmp_path):
    prefix = tmp_path / "prefix"
    (prefix / "bin").mkdir(parents=True)
    os.link(RONIN_BIN, prefix / "bin" / "ronin")  # same file system as the build: no copy
    shutil.copytree(WEB_ROOT, prefix / "share" / "ronin" / "web")
    (prefix / "share" / "ronin" / "web" / "installed.txt").write_text("the installed copy\n")
    srv = make_server(start=False)
    del srv.env["RONIN_WEB_ROOT"]
    srv.binary = prefix / "bin" / "ronin"
    srv.start()
    assert requests.get(srv.base_url + "/installed.txt", timeout=30).text == "the installed copy\n"
    assert "<title>Ronin NVR</title>" in requests.get(srv.base_url + "/", timeout=30).text


def test_ronin_web_root_still_wins(make_server, tmp_path):
    shutil.copytree(WEB_ROOT, tmp_path / "ui")
    (tmp_path / "ui" / "index.html").write_text("<!doctype html><title>Custom</title>")
    srv = make_server(env={"RONIN_WEB_ROOT": str(tmp_path / "ui")})
    assert "<title>Custom</title>" in requests.get(srv.base_url + "/playback", timeout=30).text
