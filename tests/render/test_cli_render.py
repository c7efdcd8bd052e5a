"""``egovnet render HOST``: the typer sub-command, mounted here the way main.py mounts it."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from render_secrets import SECRET_ENV
from typer.testing import CliRunner

from egovnet.cli import render_cmd


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    app.command("render")(render_cmd.command)

    @app.callback()
    def main() -> None:
        """egovnet (test mount)."""

    return app


def _run(app: typer.Typer, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["render", *args])
    return result.exit_code, result.stdout, result.stderr


def test_render_prints_the_config_with_secrets_hidden(
    app: typer.Typer, qimen_path: Path, secret_env: None
) -> None:
    code, out, _ = _run(app, "qishan-v01-sw-01", "-i", str(qimen_path))
    assert code == 0
    assert out.startswith("#\nsysname qishan-v01-sw-01\n") and out.endswith("#\nreturn\n")
    assert "snmp-agent usm-user v3 nmsuser authentication-mode sha cipher ******" in out
    for name in (
        "EGOVNET_SNMP_AUTH_KEY",
        "EGOVNET_SNMP_PRIV_KEY",
        "EGOVNET_NTP_KEY",
        "EGOVNET_ADMIN_HASH_HUAWEI_VRP5",
    ):
        assert SECRET_ENV[name] not in out


def test_show_secrets_capability_and_ipv6_preview(
    app: typer.Typer, qimen_path: Path, secret_env: None
) -> None:
    code, out, _ = _run(
        app, "dept-xianwei-sw-01", "-i", str(qimen_path), "--capability", "base", "--show-secrets"
    )
    assert code == 0
    assert f"ntp authentication-key 1 md5 {SECRET_ENV['EGOVNET_NTP_KEY']}" in out
    assert "exec-timeout" not in out  # security.j2 was not rendered
    code, out, _ = _run(app, "dept-xianwei-sw-01", "-i", str(qimen_path), "--ipv6", "--capability", "ipv6")
    assert code == 0 and "ipv6 router ospf 1" in out


def test_errors_name_the_host_and_exit_1(app: typer.Typer, qimen_path: Path, secret_env: None) -> None:
    code, out, err = _run(app, "qm-nowhere-01", "-i", str(qimen_path))
    assert code == 1 and out == ""
    assert "qm-nowhere-01: no such device in the inventory" in err
    code, _, err = _run(app, "qm-core-01", "-i", str(qimen_path), "--capability", "wireless_5g")
    assert code == 1 and "does not apply" in err
