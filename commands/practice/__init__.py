"""The good-practice library: search (``search``), records (``views``), add and edit (``form``)."""

from commands.practice import command, form, search, tools, views
from commands.registry import Registry


def register(registry: Registry) -> None:
    registry.add_command("practice", command.run, summary=command.SUMMARY, usage=command.USAGE)
    registry.add_action(views.DETAILS_ACTION, command.details_button)
    registry.add_action(search.SEARCH_ACTION, search.search_button)
    registry.add_form(form.ADD_FORM, form.submit_add)
    registry.add_form(form.EDIT_FORM, form.submit_edit)
    for tool in tools.TOOLS:
        registry.add_tool(tool)
