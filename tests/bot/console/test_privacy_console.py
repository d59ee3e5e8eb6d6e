"""Being forgotten from the console: the confirmation is a line, not a button."""

from __future__ import annotations

import io
import json

from bot.console.repl import run_console
from commands.context import Identity
from tests.support.scan import cells_naming

ADA = Identity(platform="console", user_id="ada-l", user_name="Ada Lovelace")


def console_lines(core, tmp_path, *lines: str) -> str:
    out = io.StringIO()
    run_console(core, ADA, out_dir=tmp_path, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    return out.getvalue()


def test_forget_me_asks_then_a_confirm_line_erases_her(core, sessions, tmp_path):
    said = console_lines(
        core,
        tmp_path,
        "/chemclust join Limburg",
        "/pilot log parks Steam network shared by Ada Lovelace",
        "/chemclust my data",
        "/chemclust forget me",
    )
    assert "[Forget me]" in said
    assert "/chemclust forget me confirm" in said
    saved = json.loads(next(tmp_path.glob("my-chemclust-data-*.json")).read_text())
    assert saved["tables"]["pilot_update"][0]["author_id"] == "ada-l"
    engine = sessions.kw["bind"]
    assert cells_naming(engine, ("ada-l", "Ada Lovelace"))

    wrong = console_lines(core, tmp_path, "/chemclust forget me now")
    assert "confirm with “confirm”" in wrong
    assert cells_naming(engine, ("ada-l", "Ada Lovelace"))

    done = console_lines(core, tmp_path, "/chemclust forget me confirm", "/pilot status parks")
    assert "You are forgotten" in done
    assert "Limburg" in done
    assert "Steam network shared by former member" in done
    assert cells_naming(engine, ("ada-l", "Ada Lovelace")) == []
