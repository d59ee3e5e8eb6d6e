"""The test suite. Imported before any of its modules, and before the bot's (tests.conftest
imports them): where compiled modules are kept is settled here.

With PYTHONDONTWRITEBYTECODE set (as on the project's machines), every test worker compiled
the bot and the tests from source again in each run, and pytest rewrote every test module's
assertions again: half of a worker's CPU before its first test (~6 of ~11 s). The suite keeps
them outside the tree instead, in the directory its bot processes already share
(``tests.support.processes.environment``); nothing is written next to the sources.
"""

import os
import sys
import tempfile
from pathlib import Path

BYTECODE_DIRECTORY = Path(tempfile.gettempdir()) / f"chemclust-bot-tests-bytecode-{os.getuid()}"

if sys.dont_write_bytecode:
    sys.dont_write_bytecode = False
    sys.pycache_prefix = sys.pycache_prefix or str(BYTECODE_DIRECTORY)
