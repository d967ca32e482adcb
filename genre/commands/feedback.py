"""``genre feedback``, ``genre user show`` and ``genre user forget``: what users teach GENRE.

``genre feedback --user U --model M (--rating N | --up | --down | --prefer M2 | --tie M2 | --chose)
[--request TEXT] [--comment TEXT]`` writes one Feedback node (and the request, linked) in one
transaction; the next ``genre recommend --user U`` uses it. ``genre user show U`` lists the user's
feedback and what it says they like; ``genre user forget U`` deletes every node and edge about them.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(cli: Any) -> None:
    """Add the feedback and user commands to ``genre``."""
    feedback = cli.command("feedback", "record a rating, thumbs, preference, choice or comment", cmd_feedback)
    feedback.add_argument("--user", required=True, help="who gives the feedback (created if new)")
    feedback.add_argument("--model", required=True, help="the model judged (any alias or IRI)")
    judgement = feedback.add_mutually_exclusive_group()
    judgement.add_argument("--rating", type=int, choices=range(1, 6), metavar="1-5", help="a rating from 1 to 5")
    judgement.add_argument("--up", action="store_true", help="thumbs up")
    judgement.add_argument("--down", action="store_true", help="thumbs down")
    judgement.add_argument("--prefer", metavar="M2", help="MODEL was better than M2 on the same request")
    judgement.add_argument("--tie", metavar="M2", help="MODEL and M2 were as good as each other")
    judgement.add_argument("--chose", action="store_true", help="the user chose (clicked) MODEL")
    feedback.add_argument("--request", help="the request the feedback is about")
    feedback.add_argument("--comment", help="a free-text comment")
    feedback.add_argument("--json", action="store_true")

    users = cli.group("user", "see or forget what a user taught GENRE")
    show = users.add_parser("show", help="a user's feedback and learned preferences")
    show.add_argument("user")
    show.add_argument("--json", action="store_true")
    cli.handle("user", "show", cmd_user_show)
    forget = users.add_parser("forget", help="delete every node and edge about a user")
    forget.add_argument("user")
    forget.add_argument("--json", action="store_true")
    cli.handle("user", "forget", cmd_user_forget)


def cmd_feedback(args: argparse.Namespace) -> int:
    """``genre feedback``: record one event and say what was written."""
    from genre.cli import _open
    from genre.output import to_json

    with _open() as kg:
        event = kg.feedback(
            args.user,
            args.model,
            rating=args.rating,
            up=args.up,
            down=args.down,
            prefer=args.prefer,
            tie=args.tie,
            chose=args.chose,
            request=args.request,
            comment=args.comment,
        )
    if args.json:
        print(to_json(event.as_dict()))
    else:
        print(f"recorded {event.kind} feedback {event.id} from {event.user} on {event.model}")
    return 0


def cmd_user_show(args: argparse.Namespace) -> int:
    """``genre user show U``: feedback, newest first, then the tallies per model, family and maker."""
    from genre.cli import _open
    from genre.output import render_rows, to_json

    with _open() as kg:
        profile = kg.user_profile(args.user)
    if args.json:
        print(to_json(profile.as_dict()))
        return 0
    if not profile.feedback:
        print(f"{profile.user} has given no feedback")
        return 0
    rows = [
        [f["time"], f["kind"], f["model"], f["rating"] or "", f["over"] or "", f["request"] or "", f["comment"] or ""]
        for f in profile.feedback
    ]
    columns = ["time", "kind", "model", "rating", "over", "request", "comment"]
    print(render_rows(columns, rows, "table", title=f"feedback from {profile.user}"))
    rows = [
        [_heading(key), item["label"], f"{item['likes']:g}", f"{item['dislikes']:g}", item["deviation"]]
        for key, items in profile.learned.items()
        if key.startswith(("liked_", "disliked_")) and key != "liked_by_similar_users"
        for item in items
    ]
    print(render_rows(["", "what", "likes", "dislikes", "vs. most people"], rows, "table", title="what GENRE learned"))
    similar = ", ".join(f"{u['user'].rsplit('/', 1)[-1]} ({u['similarity']})" for u in profile.learned["similar_users"])
    liked = ", ".join(item["label"] for item in profile.learned["liked_by_similar_users"])
    print(f"people who judge like {profile.user}: {similar or 'none yet'}" + (f"; they liked {liked}" if liked else ""))
    return 0


def cmd_user_forget(args: argparse.Namespace) -> int:
    """``genre user forget U``: delete the user, their feedback and requests; print how many quads went."""
    from genre.cli import _open
    from genre.output import to_json

    with _open() as kg:
        removed = kg.forget_user(args.user)
    if args.json:
        print(to_json({"user": args.user, "quads_removed": removed}))
    else:
        print(f"forgot {args.user}: {removed} quads removed")
    return 0


def _heading(key: str) -> str:
    """``liked_familys`` → ``liked families``."""
    return key.replace("_", " ").replace("familys", "families")
