"""The joint benchmark: scoring (``math``), loading (``model``), replies (``views``)."""

from commands.benchmark import announce, command, imports, moves_views, tools
from commands.files import FileIntake, IncomingFile
from commands.registry import Registry
from commands.reminders.notices import register_notice
from storage.sheets import SUFFIXES


def register(registry: Registry) -> None:
    registry.add_command("benchmark", command.run, summary=command.SUMMARY, usage=command.USAGE)
    registry.add_action(command.PROFILE_ACTION, command.show_profile)
    registry.add_action(moves_views.CHANGES_ACTION, command.show_changes)
    registry.add_action(imports.IMPORT_ACTION, imports.import_upload)
    registry.add_action(imports.DISCARD_ACTION, imports.discard_upload)
    register_notice(announce.NOTICE, announce.render_announcement)
    registry.add_file_intake(
        FileIntake(
            reads="benchmark figures (.csv or .xlsx)",
            claims=_is_a_table,
            receive=imports.receive_file,
        )
    )
    for tool in tools.TOOLS:
        registry.add_tool(tool)


def _is_a_table(incoming: IncomingFile) -> bool:
    return incoming.filename.lower().endswith(SUFFIXES)
