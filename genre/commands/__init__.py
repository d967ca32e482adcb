"""Command groups of the ``genre`` CLI that live in their own modules.

Each module here defines ``add_commands(cli)``, where ``cli`` is a
:class:`genre.cli.CommandGroups`: ``cli.group("query", help)`` gives the sub-parsers of
``genre query ...`` (created if new: ``eval``, ``bench``...), to which the module adds
its actions, and ``cli.handle("query", "cypher", handler)`` says which function runs
``genre query cypher``. A handler takes the parsed ``argparse.Namespace`` and returns
the exit status; raising a :class:`~genre.errors.GenreError` prints a clean error.

:func:`genre.cli.build_parser` discovers the modules, so adding a command group never
edits ``cli.py``. Modules import only the standard library at module level, so that
``genre --help`` stays fast; heavy imports go inside the handlers.
"""
