"""A file does one thing: no source file of the three rooms grows past 400 lines."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("bot", "commands", "storage")
MOST_LINES = 400


def oversized(root: Path, rooms: tuple[str, ...] = ROOMS) -> list[str]:
    """Every Python file under the rooms longer than MOST_LINES, with its length."""
    found = []
    for room in rooms:
        for path in sorted((root / room).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MOST_LINES:
                found.append(f"{path.relative_to(root)}: {lines} lines")
    return found


def test_no_source_file_is_over_400_lines():
    assert oversized(ROOT) == []


def test_the_check_finds_a_long_file_and_passes_one_at_the_limit(tmp_path):
    (tmp_path / "commands" / "feature").mkdir(parents=True)
    (tmp_path / "commands" / "feature" / "long.py").write_text("x = 1\n" * (MOST_LINES + 1))
    (tmp_path / "commands" / "feature" / "full.py").write_text("x = 1\n" * MOST_LINES)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "elsewhere.py").write_text("x = 1\n" * 1000)

    assert oversized(tmp_path) == [f"{Path('commands/feature/long.py')}: 401 lines"]
