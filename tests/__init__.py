"""The test suite. Imported before any of its modules, and before the bot's (tests.conftest
imports them): whether compiled modules are kept is settled here.

With PYTHONDONTWRITEBYTECODE set (as on the project's machines), every test worker compiled
the bot and the tests from source again in each run, and pytest rewrote every test module's
assertions again: half of a worker's CPU before its first test. The suite keeps them where
Python does (``__pycache__`` beside the sources, which git ignores). Not in a directory of
their own (``sys.pycache_prefix``): Python then looks there for every module's, the
libraries' too, so each new checkout (each CI run) compiled SQLAlchemy, pandas and the rest
again in every worker, ~4 s of CPU each, though their installation had compiled them.
"""

import sys

if sys.dont_write_bytecode:
    sys.dont_write_bytecode = False
