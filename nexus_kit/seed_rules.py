"""Table-specific rules: only what the generic generator cannot know from the catalog.

A rule may ask to keep more columns of other tables (``KEEP``), cap a table's row count
(``CAP``), and set some columns of a chunk (``RULES``); the generic generator fills the rest
and still enforces every constraint.
"""

from __future__ import annotations

import numpy as np

from nexus_kit import seed_writers as w
from nexus_kit.seed_plan import rng_for, skewed

# Reference data comes from sql/seed.sql, never generated.
REFERENCE = {"public.ai_models", "public.kb_categories"}

# Tables whose rows a trigger creates (one per user): the seeder fills their empty public fields
# instead (``update … where <column> is null``, so a second run changes nothing).
TRIGGER_OWNED = {"public.profiles": "username"}

# Extra columns kept in a table's pool because a rule of another table reads them.
KEEP = {
    "public.marketplace_items": ("id", "seller_id", "price", "currency", "title", "status", "is_hidden"),
    "public.marketplace_purchases": ("buyer_id", "item_id", "status"),
    "public.workspaces": ("id", "owner_id"),
    "public.workspace_memberships": ("workspace_id", "user_id", "role", "invited_by"),
    "public.analytics_dashboards": ("id", "user_id"),
    "public.interaction_patterns": ("id", "user_id"),
    "public.support_tickets": ("id", "requester_id", "assigned_agent_id"),
    "public.kb_articles": ("id", "status"),
    "public.forum_questions": ("id", "author_id", "status", "is_hidden"),
    "public.forum_answers": ("id", "question_id", "author_id", "is_hidden"),
}


def completed_purchases(pools) -> np.ndarray:
    pool = pools.get("public.marketplace_purchases")
    if pool is None:
        return np.array([], dtype=np.int64)
    return np.array([i for i, s in enumerate(pool.columns["status"]) if s == "completed"], dtype=np.int64)


def purchases(gen, number, rows, pools) -> dict:
    """A buyer buys an item from someone else, at the item's price, in its currency."""
    items, users = pools["public.marketplace_items"], pools["auth.users"]
    rng = rng_for(gen.seed, gen.name, "rule:purchase", number)
    n = len(rows)
    listed = gen.cache.setdefault("listed", w.listed_items(pools))
    item = listed[skewed(rng, len(listed), n)]
    buyer = skewed(rng, users.size, n)
    seller = [items.columns["seller_id"][i] for i in item]
    buyer_ids = [users.columns["id"][b] for b in buyer]
    buyer_ids = [users.columns["id"][(b + 1) % users.size] if bid == s else bid
                 for b, bid, s in zip(buyer, buyer_ids, seller, strict=True)]
    status = np.array(["completed", "completed", "completed", "completed", "pending", "refunded", "failed"],
                      dtype=object)[rng.integers(0, 7, n)]
    return {
        "item_id": [items.columns["id"][i] for i in item],
        "seller_id": seller,
        "buyer_id": buyer_ids,
        "amount": [items.columns["price"][i] for i in item],
        "currency": [items.columns["currency"][i] for i in item],
        "item_title": [items.columns["title"][i] for i in item],
        "status": list(status),
    }


def reviews(gen, number, rows, pools) -> dict:
    """Only buyers review, once per item: a distinct completed purchase per review."""
    bought = pools["public.marketplace_purchases"]
    chosen = gen.review_rows[rows]
    return {"item_id": [bought.columns["item_id"][i] for i in chosen],
            "reviewer_id": [bought.columns["buyer_id"][i] for i in chosen]}


def plan_reviews(gen, pools, rows: int) -> int:
    done = completed_purchases(pools)
    seen, picked = set(), []
    bought = pools["public.marketplace_purchases"]
    for i in done:
        key = (bought.columns["item_id"][i], bought.columns["buyer_id"][i])
        if key not in seen:
            seen.add(key)
            picked.append(i)
    rng = rng_for(gen.seed, gen.name, "rule:reviews", -1)
    order = np.array(picked, dtype=np.int64)[rng.permutation(len(picked))] if picked else np.array([], np.int64)
    gen.review_rows = order[: min(rows, len(order))]
    return len(gen.review_rows)


RULES = {
    "public.marketplace_purchases": purchases,
    "public.marketplace_reviews": reviews,
    "public.kb_articles": w.support_author,
}

# Parents a foreign key may point at, where a policy narrows them (indices into the parent's pool).
PARENTS = {
    "public.wishlist_items": {"item_id": w.visible_items},
    "public.marketplace_collection_items": {"item_id": w.visible_items},
    "public.kb_article_feedback": {"article_id": w.published_articles},
    "public.forum_answers": {"question_id": w.open_questions},
    "public.forum_votes": {"question_id": w.visible_questions, "answer_id": w.visible_answers},
}

# Run once the foreign keys are set: who could have written the row.
FIXUPS = {
    "public.workspace_memberships": w.invited_by_owner,
    "public.user_preferences": w.default_workspace,
    "public.scheduled_reports": w.owner_of("dashboard_id", "public.analytics_dashboards"),
    "public.echo_insights": w.owner_of("pattern_id", "public.interaction_patterns"),
    "public.support_tickets": w.support_agent_assigned,
    "public.ticket_messages": w.ticket_thread,
    "public.wishlist_items": w.not_own_item,
    "public.forum_votes": w.not_own_post,
}
WORKSPACE_WRITERS = ("created_by", "connected_by")


def fixup_for(table):
    """The table's fixup; workspace rows get their writer (created_by, connected_by) from the workspace's editors."""
    if table.qualified in FIXUPS:
        return FIXUPS[table.qualified]
    users = {fk.columns[0] for fk in table.foreign_keys if fk.ref_table == "auth.users" and len(fk.columns) == 1}
    in_workspace = any(fk.ref_table == "public.workspaces" and fk.columns == ("workspace_id",)
                       for fk in table.foreign_keys)
    writer = next((c for c in WORKSPACE_WRITERS if c in users), None)
    return w.workspace_writer(writer) if in_workspace and writer else None

# Called before generation to set a table's row count from its parents.
PLANS = {
    "public.marketplace_reviews": plan_reviews,
}

# Reviews columns that the generic unique planner must not sample (the rule sets them).
RULE_COLUMNS = {
    "public.marketplace_purchases": ("item_id", "seller_id", "buyer_id"),
    "public.marketplace_reviews": ("item_id", "reviewer_id"),
}
