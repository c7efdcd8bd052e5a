"""Failures name the host and the variable (and template), never a Jinja traceback; no control characters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from render_secrets import SECRET_ENV

from egovnet.inventory import Inventory, load_inventory
from egovnet.render import Renderer, RenderError, render
from egovnet.render.dialect import templates_root


@pytest.fixture
def broken_templates(tmp_path: Path) -> Path:
    """The real VRP V5 templates, with a base.j2 that uses a variable nobody defines."""
    root = tmp_path / "templates"
    shutil.copytree(templates_root() / "huawei_vrp5", root / "huawei_vrp5")
    base = root / "huawei_vrp5" / "base.j2"
    base.write_text(base.read_text() + "snmp-agent sys-info location {{ vars.egovnet_site_address }}\n")
    return root


def test_missing_variable_names_host_variable_and_template(
    county: Inventory, secret_env: None, broken_templates: Path
) -> None:
    with pytest.raises(RenderError) as caught:
        render(county, "qishan-v01-sw-01", templates=broken_templates)
    message = str(caught.value)
    assert caught.value.host == "qishan-v01-sw-01"
    assert message.startswith("qishan-v01-sw-01: ")
    assert "egovnet_site_address" in message
    assert "huawei_vrp5/base.j2 line " in message
    assert "Traceback" not in message


def test_missing_top_level_name_is_named(county: Inventory, secret_env: None, tmp_path: Path) -> None:
    root = tmp_path / "templates"
    shutil.copytree(templates_root() / "cisco_ios", root / "cisco_ios")
    (root / "cisco_ios" / "security.j2").write_text("hostname {{ hostname_prefix }}-{{ host }}\n")
    with pytest.raises(RenderError, match=r"dept-xianwei-sw-01: variable 'hostname_prefix' is undefined"):
        render(county, "dept-xianwei-sw-01", templates=root)


@pytest.mark.parametrize(
    ("variable", "platform_host"),
    [("EGOVNET_SNMP_AUTH_KEY", "qishan-v01-sw-01"), ("EGOVNET_ADMIN_HASH_CISCO_IOS", "dept-xianwei-sw-01")],
)
def test_missing_secret_names_host_and_variable(
    county: Inventory, monkeypatch: pytest.MonkeyPatch, variable: str, platform_host: str
) -> None:
    for name, value in SECRET_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(variable)
    with pytest.raises(RenderError) as caught:
        render(county, platform_host)
    assert caught.value.host == platform_host
    assert variable in str(caught.value)


def test_secret_only_needed_by_the_capability_that_uses_it(
    county: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in SECRET_ENV:
        monkeypatch.delenv(name, raising=False)
    text = render(county, "qishan-v01-sw-01", capability="interfaces")
    assert "interface XGigabitEthernet0/0/1" in text
    with pytest.raises(RenderError, match=r"egovnet_snmp\.user"):
        render(county, "qishan-v01-sw-01", capability="base")


def test_plain_text_admin_password_is_refused(county: Inventory, secret_env: None) -> None:
    with pytest.raises(
        RenderError, match=r"qm-core-01: egovnet_admin_password_hash: not a huawei_vrp8 password hash"
    ):
        render(county, "qm-core-01", {"egovnet_admin_password_hash": "Huawei@123"})


@pytest.mark.parametrize("bad", ["\x1b[2J", "line one\x0bline two", "a\rb", "x\u2028y"])
def test_control_characters_are_refused(county: Inventory, secret_env: None, bad: str) -> None:
    with pytest.raises(RenderError, match="control character") as caught:
        render(county, "qishan-v01-sw-01", {"egovnet_banner": f"Authorized only {bad}"})
    assert caught.value.host == "qishan-v01-sw-01"
    assert "base.j2" in str(caught.value)


def test_invalid_settings_are_named(county: Inventory, secret_env: None) -> None:
    with pytest.raises(RenderError, match=r"egovnet_idle_timeout: .*less than or equal to 10"):
        render(county, "qishan-v01-sw-01", {"egovnet_idle_timeout": 30})
    with pytest.raises(RenderError, match=r"egovnet_banner: .*'%'"):
        render(county, "qishan-v01-sw-01", {"egovnet_banner": "100% secure"})


def test_missing_services_and_unknown_protocols_are_named(county: Inventory, secret_env: None) -> None:
    services = dict(county.devices["qishan-v01-sw-01"].vars["egovnet_services"])
    del services["ntp_servers"]
    with pytest.raises(RenderError, match=r"egovnet_services.ntp_servers: Field required"):
        render(county, "qishan-v01-sw-01", {"egovnet_services": services})
    snmp = {**county.devices["qishan-v01-sw-01"].vars["egovnet_snmp"], "priv_protocol": "des"}
    with pytest.raises(RenderError, match=r"egovnet_snmp.priv_protocol: 'des'"):
        render(county, "qishan-v01-sw-01", {"egovnet_snmp": snmp})


def test_devices_without_a_cli_and_unknown_names_are_refused(county: Inventory, secret_env: None) -> None:
    renderer = Renderer(county)
    with pytest.raises(RenderError, match="qishan-v01-cpe-01: platform cpe_5g has no CLI dialect"):
        renderer.render("qishan-v01-cpe-01")
    with pytest.raises(RenderError, match="no-such-host: no such device"):
        renderer.render("no-such-host")
    with pytest.raises(RenderError, match="unknown capability 'routing'"):
        renderer.render("qishan-v01-sw-01", capability="routing")
    with pytest.raises(RenderError, match="'wireless_5g' does not apply"):
        renderer.render("qm-core-01", capability="wireless_5g")


def test_test_only_variables_in_a_copied_inventory(small_copy: Path, secret_env: None) -> None:
    """Host variables reach the templates: a copied small inventory sets an idle timeout of 3 minutes."""
    hosts = small_copy / "hosts.yml"
    marker = "model: S5735-L24T4X-A1\n"
    hosts.write_text(
        hosts.read_text().replace(marker, marker + "                  egovnet_idle_timeout: 3\n", 1)
    )
    inventory = load_inventory(small_copy)
    text = render(inventory, "alpha-v01-sw-01")
    assert "idle-timeout 3 0" in text
    assert "idle-timeout 5 0" not in text
