"""Who could have written each row: rules that keep seeded rows within what the API lets users write.

The generic generator fills foreign keys from the parents' pools; these rules narrow or fix them
where an INSERT policy (or the access model) says more than the foreign key does:

- workspace data is written by an editor+ member of its workspace; members are invited by the owner;
- a default workspace is one of the user's; a report's dashboard is the user's own; an insight's
  pattern belongs to the same user;
- ticket threads are written by the requester (public replies) or support staff (replies and
  internal notes); support staff handle tickets and write the knowledge base;
- users rate published articles, wish for and collect items they can see (not their own), answer
  open visible questions, vote on others' visible posts;
- after all tables: the author of an answered question accepts one of its answers.

Staff personas (moderator, support agent, admin) own no personal or workspace rows: they are left
out of the owners' pool (``owners_pool``) and appear only where their role acts.

A parent filter returns indices into the parent's pool; a fixup gets the chunk's values after the
foreign keys are set and may change them, or drop a row (``keep[i] = False``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import numpy as np

from nexus_kit.personas import PLATFORM_ROLES
from nexus_kit.seed_plan import Pool, rng_for, skewed

SUPPORT_POOL = "auth.users:support"  # support agents first, then admins: KB authors, ticket agents
EDITOR_ROLES = ("owner", "admin", "editor")
NOT_OWNERS = ("stranger",)  # related to nothing; the staff are left out by their platform role


def owners_pool(users) -> Pool:
    """Users who own personal and workspace rows: the cast (not the stranger, not staff), then synthetic users."""
    from nexus_kit.personas import BY_KEY

    skip = {BY_KEY[k].email for k in NOT_OWNERS}
    ids = [r.id for r in users.rows if r.email not in skip and r.role not in PLATFORM_ROLES]
    return Pool({"id": ids}, len(ids))


def support_pool(users) -> Pool:
    ids = [r.id for r in users.rows if r.role == "support_agent"] + [r.id for r in users.rows if r.role == "admin"]
    return Pool({"id": ids}, len(ids))


def all_users_pool(users) -> Pool:
    return Pool({"id": [r.id for r in users.rows]}, len(users.rows))


# -- lookups, built once per table ------------------------------------------------------------

def _cached(gen, key: str, build: Callable):
    if key not in gen.cache:
        gen.cache[key] = build()
    return gen.cache[key]


def _column_of(pools, table: str, value: str, key: str = "id") -> dict:
    pool = pools[table]
    return dict(zip(pool.columns[key], pool.columns[value], strict=True))


def _memberships(pools) -> list[tuple]:
    """(workspace, user, role): each workspace's owner, and the members someone invited. The owner rows
    the workspace trigger adds are left out (the owner is already there), so a ``--out`` run, which
    loads no workspace, sees the same members as a loading run."""
    ws = pools["public.workspaces"]
    rows = [(w, u, "owner") for w, u in zip(ws.columns["id"], ws.columns["owner_id"], strict=True)]
    m = pools.get("public.workspace_memberships")
    if m is not None:
        rows += [(w, u, r) for w, u, r, by in zip(m.columns["workspace_id"], m.columns["user_id"], m.columns["role"],
                                                   m.columns["invited_by"], strict=True) if by is not None]
    return rows


def workspace_editors(pools) -> dict:
    found: dict = {}
    for w, u, r in _memberships(pools):
        if r in EDITOR_ROLES:
            found.setdefault(w, set()).add(u)
    return {w: sorted(us) for w, us in found.items()}  # sorted: pool order of trigger rows is random


def user_workspaces(pools) -> dict:
    found: dict = {}
    for w, u, _ in _memberships(pools):
        found.setdefault(u, set()).add(w)
    return {u: sorted(ws) for u, ws in found.items()}


def _pick(candidates, draw: float):
    return candidates[int(draw * len(candidates))] if candidates else None


def _support_picks(gen, number, n: int, pools) -> list:
    staff = pools[SUPPORT_POOL]
    picks = skewed(rng_for(gen.seed, gen.name, "writer:support", number), staff.size, n)
    return [staff.columns["id"][i] for i in picks]


# -- parent filters: indices of the parents a row may point at ---------------------------------

def visible_items(pools) -> np.ndarray:
    items = pools["public.marketplace_items"]
    return np.array([i for i, (s, h) in enumerate(zip(items.columns["status"], items.columns["is_hidden"],
                                                      strict=True)) if s == "published" and not h], dtype=np.int64)


def listed_items(pools) -> np.ndarray:
    """Items someone could have bought: published once (published or archived now), never drafts."""
    items = pools["public.marketplace_items"]
    return np.array([i for i, s in enumerate(items.columns["status"]) if s != "draft"], dtype=np.int64)


def published_articles(pools) -> np.ndarray:
    return np.array([i for i, s in enumerate(pools["public.kb_articles"].columns["status"]) if s == "published"],
                    dtype=np.int64)


def visible_questions(pools) -> np.ndarray:
    return np.array([i for i, h in enumerate(pools["public.forum_questions"].columns["is_hidden"]) if not h],
                    dtype=np.int64)


def open_questions(pools) -> np.ndarray:
    q = pools["public.forum_questions"]
    return np.array([i for i, (s, h) in enumerate(zip(q.columns["status"], q.columns["is_hidden"], strict=True))
                     if s != "closed" and not h], dtype=np.int64)


def visible_answers(pools) -> np.ndarray:
    hidden = _column_of(pools, "public.forum_questions", "is_hidden")
    a = pools["public.forum_answers"]
    return np.array([i for i, (q, h) in enumerate(zip(a.columns["question_id"], a.columns["is_hidden"], strict=True))
                     if not h and not hidden.get(q, True)], dtype=np.int64)


# -- fixups: after the foreign keys are set ----------------------------------------------------

def workspace_writer(column: str):
    """``column`` (created_by, connected_by) is an editor+ member of the row's workspace."""
    def fixup(gen, number, rows, pools, values, keep) -> None:
        editors = _cached(gen, "editors", lambda: workspace_editors(pools))
        draws = rng_for(gen.seed, gen.name, f"writer:{column}", number).random(len(rows))
        values[column] = [_pick(editors.get(w), d) for w, d in zip(values["workspace_id"], draws, strict=True)]
    return fixup


def invited_by_owner(gen, number, rows, pools, values, keep) -> None:
    """The workspace owner invites members; the owner's own row comes from the workspace trigger."""
    owner = _cached(gen, "owner", lambda: _column_of(pools, "public.workspaces", "owner_id"))
    values["invited_by"] = [owner.get(w) for w in values["workspace_id"]]
    for i, (u, by) in enumerate(zip(values["user_id"], values["invited_by"], strict=True)):
        if u == by:
            keep[i] = False


def default_workspace(gen, number, rows, pools, values, keep) -> None:
    """One of the user's workspaces (three in four users with any set one), else none."""
    mine = _cached(gen, "mine", lambda: user_workspaces(pools))
    draws = rng_for(gen.seed, gen.name, "writer:default_workspace", number).random((len(rows), 2))
    values["default_workspace_id"] = [_pick(mine.get(u), a) if b < 0.75 else None
                                      for u, (a, b) in zip(values["user_id"], draws, strict=True)]


def owner_of(parent_col: str, parent_table: str, owner_col: str = "user_id"):
    """The row's user is the owner of its parent (a report's dashboard, an insight's pattern)."""
    def fixup(gen, number, rows, pools, values, keep) -> None:
        owners = _cached(gen, parent_table, lambda: _column_of(pools, parent_table, "user_id"))
        values[owner_col] = [owners[p] if p is not None else u
                             for p, u in zip(values[parent_col], values[owner_col], strict=True)]
    return fixup


def support_agent_assigned(gen, number, rows, pools, values, keep) -> None:
    picks = _support_picks(gen, number, len(rows), pools)
    values["assigned_agent_id"] = [None if a is None else s
                                   for a, s in zip(values["assigned_agent_id"], picks, strict=True)]


def ticket_thread(gen, number, rows, pools, values, keep) -> None:
    """The requester replies in public; support staff (the assigned agent first) reply or add internal notes."""
    requester = _cached(gen, "requester", lambda: _column_of(pools, "public.support_tickets", "requester_id"))
    agent = _cached(gen, "agent", lambda: _column_of(pools, "public.support_tickets", "assigned_agent_id"))
    draws = rng_for(gen.seed, gen.name, "writer:thread", number).random((len(rows), 2))
    staff = _support_picks(gen, number, len(rows), pools)
    authors, internal = [], []
    for t, (who, note), s in zip(values["ticket_id"], draws, staff, strict=True):
        by_requester = who < 0.45
        authors.append(requester[t] if by_requester else (agent.get(t) or s))
        internal.append(False if by_requester else bool(note < 0.3))
    values["author_id"], values["is_internal"] = authors, internal


def support_author(gen, number, rows, pools) -> dict:
    return {"author_id": _support_picks(gen, number, len(rows), pools)}


def not_own_item(gen, number, rows, pools, values, keep) -> None:
    seller = _cached(gen, "seller", lambda: _column_of(pools, "public.marketplace_items", "seller_id"))
    for i, (u, item) in enumerate(zip(values["user_id"], values["item_id"], strict=True)):
        if seller.get(item) == u:
            keep[i] = False


def not_own_post(gen, number, rows, pools, values, keep) -> None:
    q_author = _cached(gen, "q", lambda: _column_of(pools, "public.forum_questions", "author_id"))
    a_author = _cached(gen, "a", lambda: _column_of(pools, "public.forum_answers", "author_id"))
    for i, (u, q, a) in enumerate(zip(values["user_id"], values["question_id"], values["answer_id"], strict=True)):
        if (q is not None and q_author.get(q) == u) or (a is not None and a_author.get(a) == u):
            keep[i] = False


# -- after every table ------------------------------------------------------------------------

ACCEPT_ANSWERS = """
update public.forum_questions as q set accepted_answer_id = x.answer_id
  from unnest(%(questions)s::uuid[], %(answers)s::uuid[]) as x(question_id, answer_id)
 where q.id = x.question_id and q.accepted_answer_id is null
"""


def accepted_answers(pools, seed: int) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """For each answered question with a visible answer, the answer its author accepted (one of its own)."""
    questions, answers = pools.get("public.forum_questions"), pools.get("public.forum_answers")
    if questions is None or answers is None:
        return [], []
    answered = {q for q, s in zip(questions.columns["id"], questions.columns["status"], strict=True)
                if s == "answered"}
    candidates: dict = {}
    for a, q, hidden in zip(answers.columns["id"], answers.columns["question_id"], answers.columns["is_hidden"],
                            strict=True):
        if q in answered and not hidden:
            candidates.setdefault(q, []).append(a)
    chosen = sorted(candidates)
    draws = rng_for(seed, "public.forum_questions", "accepted_answer_id", -1).random(len(chosen))
    return chosen, [_pick(sorted(candidates[q]), d) for q, d in zip(chosen, draws, strict=True)]
