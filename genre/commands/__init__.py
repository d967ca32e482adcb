"""Command groups of the ``genre`` CLI that live in their own modules.

Each module here defines ``add_commands(commands, handlers)``: it adds its sub-parsers to
``commands`` (the CLI's top-level ``add_subparsers`` object) and maps each
``(command, action)`` pair to a handler in ``handlers`` (its sub-parsers use
``dest="action"``; a handler takes the parsed ``argparse.Namespace`` and returns the exit
status). :func:`genre.cli.build_parser`
discovers the modules, so adding a command group never edits ``cli.py``. Modules must
import only the standard library at module level (``genre --help`` stays fast); heavy
imports go inside the handlers.
"""
