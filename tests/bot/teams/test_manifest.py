"""The Teams app package: a zip with a valid manifest, the bot id, command lists and icons."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import pytest

from bot.cli import main
from bot.teams.manifest import MAX_COMMAND_TITLE, PackageError, manifest, package
from commands import build_registry

APP_ID = "11111111-2222-3333-4444-555555555555"


def png_size(data: bytes) -> tuple[int, int, int]:
    """Width, height and colour type from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


def test_cli_writes_a_package_with_manifest_and_icons(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    monkeypatch.setenv("PUBLIC_URL", "https://bot.chemclust.eu/")
    out = tmp_path / "app.zip"
    assert main(["teams-package", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out

    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        data = json.loads(archive.read("manifest.json"))
        assert png_size(archive.read("color.png")) == (192, 192, 6)
        assert png_size(archive.read("outline.png")) == (32, 32, 6)
    assert data["manifestVersion"] == "1.16"
    assert "v1.16" in data["$schema"]
    assert data["id"] == APP_ID
    assert data["bots"][0]["botId"] == APP_ID
    assert data["developer"]["websiteUrl"] == "https://bot.chemclust.eu"
    assert data["validDomains"] == ["bot.chemclust.eu"]
    assert data["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert len(data["description"]["short"]) <= 80
    assert len(data["name"]["short"]) <= 30


def test_command_lists_offer_every_command_in_every_scope():
    registry = build_registry()
    bot = manifest(APP_ID, registry)["bots"][0]
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    lists = bot["commandLists"]
    assert sorted(scope for entry in lists for scope in entry["scopes"]) == sorted(bot["scopes"])
    for entry in lists:
        titles = [c["title"] for c in entry["commands"]]
        assert set(registry.commands) <= set(titles)
        assert "chemclust join <region>" in titles
        assert len(titles) == len(set(titles)) <= 10
        assert all(len(t) <= MAX_COMMAND_TITLE and not t.startswith("/") for t in titles)
        assert all(0 < len(c["description"]) <= 128 for c in entry["commands"])


def test_the_outline_icon_is_white_on_transparent():
    with zipfile.ZipFile(io.BytesIO(package(APP_ID, build_registry()))) as archive:
        raw = archive.read("outline.png")
    import zlib

    pixels = zlib.decompress(raw[raw.index(b"IDAT") + 4 : raw.index(b"IEND") - 8])
    rows = [pixels[i * (1 + 32 * 4) + 1 : (i + 1) * (1 + 32 * 4)] for i in range(32)]
    colours = {bytes(row[x : x + 4]) for row in rows for x in range(0, 128, 4)}
    assert colours == {b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"}


@pytest.mark.parametrize("app_id", ["", "not-a-guid", "28:11111111-2222-3333-4444-555555555555"])
def test_the_bot_id_must_be_the_azure_app_id(app_id):
    with pytest.raises(PackageError, match="TEAMS_APP_ID"):
        manifest(app_id, build_registry())


def test_cli_without_an_app_id_explains_what_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("TEAMS_APP_ID", raising=False)
    assert main(["teams-package", "--out", str(tmp_path / "app.zip")]) == 2
    assert "TEAMS_APP_ID" in capsys.readouterr().err
    assert not (tmp_path / "app.zip").exists()


def test_an_http_website_is_refused():
    with pytest.raises(PackageError, match="https"):
        manifest(APP_ID, build_registry(), website="http://bot.example.org")


def test_the_description_promises_only_what_the_bot_does():
    """Every command the description names is one the bot has; nothing is "to come"."""
    described = manifest(APP_ID, build_registry())["description"]["full"]
    assert "to come" not in described
    commands = set(build_registry().commands)
    for named in ("benchmark", "practice", "deadline", "chemclust"):
        assert f"{named} " in described
        assert named in commands
