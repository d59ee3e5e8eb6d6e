"""``chemclust-bot group link`` and ``group list``: the operator links a group's first
workspace; a workspace belongs to one group only."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Workspace


def test_a_workspace_is_linked_once_and_listed_with_its_group(db_cli, database_url, sessions):
    code, out, _ = db_cli(database_url, "group", "link", "T0001")
    assert code == 0
    assert out.strip() == "Linked slack workspace T0001 to chemclust."

    code, _, err = db_cli(database_url, "group", "link", "T0001")
    assert code == 2
    assert "already belongs to chemclust" in err
    with sessions() as session:
        assert session.scalars(select(Workspace.external_id)).all() == ["T0001"]

    code, _, err = db_cli(database_url, "group", "link", "T0002", "--group", "nosuch")
    assert code == 2
    assert "no working group 'nosuch'" in err

    code, out, _ = db_cli(database_url, "group", "list")
    assert code == 0
    assert out.startswith("chemclust (default): ChemClust")
    assert "workspaces: slack:T0001" in out
