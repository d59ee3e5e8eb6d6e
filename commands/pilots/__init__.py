"""Pilot-action progress: updates logged by message, shortcut or command; milestones; status;
the export for the implementation report; the weekly digest."""

from commands.pilots import command, jobs, log, messages, tools
from commands.registry import Registry


def register(registry: Registry) -> None:
    registry.add_command("pilot", command.run, summary=command.SUMMARY, usage=command.USAGE)
    registry.add_form(log.LOG_FORM, log.submit_log)
    registry.add_message_shortcut(log.LOG_SHORTCUT, log.log_shortcut, taken=log.message_is_logged)
    registry.add_message_handler(messages.on_message, wants=messages.wants)
    registry.add_job(jobs.DIGEST)
    for tool in tools.TOOLS:
        registry.add_tool(tool)
