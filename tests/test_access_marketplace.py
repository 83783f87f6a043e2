"""Marketplace: a public catalog of published items and their reviews; sellers manage their
items; moderators hide anything; purchases are backend-written and visible to buyer and
seller only; only buyers review, once."""

from __future__ import annotations

import psycopg
import pytest

from tests.rls_helpers import count, denied, ids, setup_cast

PUBLISHED = "00000000-0000-4000-8000-00000000b001"
DRAFT = "00000000-0000-4000-8000-00000000b002"
HIDDEN = "00000000-0000-4000-8000-00000000b003"
OTHER_SELLER = "00000000-0000-4000-8000-00000000b004"


@pytest.fixture
def cast(migrated_conn):
    cast = setup_cast(migrated_conn)
    c = migrated_conn
    c.execute("""
        insert into public.marketplace_items (id, seller_id, slug, title, item_type, price, status, is_hidden)
        values (%(p)s, %(o)s, 'cinematic-luts', 'Cinematic LUTs', 'preset', 19.00, 'published', false),
               (%(d)s, %(o)s, 'wip-pack', 'Work in progress', 'asset_pack', 5.00, 'draft', false),
               (%(h)s, %(o)s, 'spammy-pack', 'Spammy', 'asset_pack', 1.00, 'published', true),
               (%(x)s, %(s)s, 'sams-template', 'Sam template', 'template', 0, 'published', false)
    """, {"p": PUBLISHED, "d": DRAFT, "h": HIDDEN, "x": OTHER_SELLER, "o": cast["owner"], "s": cast["stranger"]})
    c.execute("insert into public.marketplace_purchases (buyer_id, item_id, item_title, amount, status, "
              "payment_reference) values (%s, %s, 'Cinematic LUTs', 19.00, 'completed', 'pi_1'), "
              "(%s, %s, 'Sam template', 0, 'completed', 'pi_2')",
              (cast["buyer"], PUBLISHED, cast["buyer"], OTHER_SELLER))
    return cast


def test_anon_sees_only_published_visible_items(migrated_conn, cast):
    c = migrated_conn
    assert ids(c, "anon", "select id::text from public.marketplace_items") == {PUBLISHED, OTHER_SELLER}
    assert ids(c, "stranger", "select id::text from public.marketplace_items") == {PUBLISHED, OTHER_SELLER}
    assert ids(c, "owner", "select id::text from public.marketplace_items") == {PUBLISHED, DRAFT, HIDDEN,
                                                                                 OTHER_SELLER}
    assert ids(c, "moderator", "select id::text from public.marketplace_items") >= {DRAFT, HIDDEN}


def test_sellers_manage_only_their_items(migrated_conn, cast):
    c = migrated_conn
    assert count(c, "owner", "insert into public.marketplace_items (slug, title, item_type, price) "
                             "values ('new-pack', 'New', 'asset_pack', 9.99)") == 1
    denied(c, "owner", "insert into public.marketplace_items (seller_id, slug, title, item_type) "
                       "values (%s, 'forged', 'Forged', 'preset')", (cast["stranger"],))
    denied(c, "anon", "insert into public.marketplace_items (slug, title, item_type) values ('a', 'A', 'preset')")
    assert count(c, "stranger", "update public.marketplace_items set price = 0 where id = %s", (PUBLISHED,)) == 0
    assert count(c, "stranger", "delete from public.marketplace_items where id = %s", (PUBLISHED,)) == 0
    assert count(c, "owner", "update public.marketplace_items set price = 24.00 where id = %s", (PUBLISHED,)) == 1
    denied(c, "owner", "update public.marketplace_items set seller_id = %s where id = %s",
           (cast["stranger"], PUBLISHED))
    with pytest.raises(psycopg.errors.CheckViolation):
        count(c, "owner", "update public.marketplace_items set price = -1 where id = %s", (PUBLISHED,))


def test_moderators_hide_and_delete_sellers_cannot_unhide(migrated_conn, cast):
    c = migrated_conn
    assert count(c, "moderator", "update public.marketplace_items set is_hidden = true, "
                                 "moderation_note = 'spam' where id = %s", (OTHER_SELLER,)) == 1
    denied(c, "owner", "update public.marketplace_items set is_hidden = false where id = %s", (HIDDEN,))
    denied(c, "owner", "insert into public.marketplace_items (slug, title, item_type, is_hidden) "
                       "values ('self-hidden', 'X', 'preset', true)")
    assert count(c, "moderator", "delete from public.marketplace_items where id = %s", (HIDDEN,)) == 1
    assert count(c, "support_agent", "update public.marketplace_items set is_hidden = true") == 0


def test_purchases_visible_to_buyer_and_seller_only(migrated_conn, cast):
    c = migrated_conn
    sql = "select payment_reference from public.marketplace_purchases"
    assert ids(c, "buyer", sql) == {"pi_1", "pi_2"}
    assert ids(c, "owner", sql) == {"pi_1"}  # seller of Cinematic LUTs, not of Sam's template
    assert ids(c, "stranger", sql) == {"pi_2"}  # seller of Sam's template
    for who in ("anon", "moderator", "support_agent", "ws_owner"):
        assert ids(c, who, sql) == set(), who
    assert ids(c, "admin", sql) == {"pi_1", "pi_2"}
    # seller_id comes from the item, whatever the writer claims
    assert c.execute("select seller_id from public.marketplace_purchases where payment_reference = 'pi_1'"
                     ).fetchone()[0] == cast["owner"]


def test_only_the_backend_writes_purchases(migrated_conn, cast):
    c = migrated_conn
    for who in ("buyer", "owner", "admin"):
        denied(c, who, "insert into public.marketplace_purchases (buyer_id, item_id, item_title, amount, status) "
                       "values (%s, %s, 'x', 0, 'completed')", (cast[who], PUBLISHED))
        assert count(c, who, "update public.marketplace_purchases set amount = 0") == 0
        assert count(c, who, "delete from public.marketplace_purchases") == 0


def test_only_buyers_review_once(migrated_conn, cast):
    c = migrated_conn
    review = "insert into public.marketplace_reviews (item_id, rating, body) values (%s, %s, 'great')"
    assert count(c, "buyer", review, (PUBLISHED, 5)) == 1
    denied(c, "stranger", review, (PUBLISHED, 1))
    denied(c, "owner", review, (PUBLISHED, 5))  # the seller did not buy it
    denied(c, "buyer", "insert into public.marketplace_reviews (item_id, reviewer_id, rating) "
                       "values (%s, %s, 1)", (PUBLISHED, cast["stranger"]))
    c.execute("insert into public.marketplace_reviews (item_id, reviewer_id, rating) values (%s, %s, 4)",
              (PUBLISHED, cast["buyer"]))
    with pytest.raises(psycopg.errors.UniqueViolation):
        count(c, "buyer", review, (PUBLISHED, 3))
    with pytest.raises(psycopg.errors.CheckViolation):
        count(c, "buyer", review, (OTHER_SELLER, 6))


def test_reviews_are_public_and_moderated(migrated_conn, cast):
    c = migrated_conn
    rid = c.execute("insert into public.marketplace_reviews (item_id, reviewer_id, rating, body) "
                    "values (%s, %s, 4, 'nice') returning id", (PUBLISHED, cast["buyer"])).fetchone()[0]
    assert rid in ids(c, "anon", "select id from public.marketplace_reviews")
    assert ids(c, "anon", "select average_rating from public.marketplace_item_ratings") == {4}
    assert count(c, "stranger", "update public.marketplace_reviews set rating = 1") == 0
    assert count(c, "owner", "delete from public.marketplace_reviews") == 0  # sellers cannot delete reviews
    denied(c, "buyer", "update public.marketplace_reviews set is_hidden = true")
    denied(c, "buyer", "update public.marketplace_reviews set item_id = %s", (OTHER_SELLER,))
    assert count(c, "moderator", "update public.marketplace_reviews set is_hidden = true") == 1
    c.execute("update public.marketplace_reviews set is_hidden = true")
    assert ids(c, "anon", "select id from public.marketplace_reviews") == set()
    assert ids(c, "buyer", "select id from public.marketplace_reviews") == {rid}
    assert count(c, "buyer", "update public.marketplace_reviews set rating = 5") == 1


def test_wishlists_are_private(migrated_conn, cast):
    c = migrated_conn
    assert count(c, "buyer", "insert into public.wishlist_items (item_id) values (%s)", (PUBLISHED,)) == 1
    denied(c, "buyer", "insert into public.wishlist_items (item_id) values (%s)", (DRAFT,))  # not visible to them
    c.execute("insert into public.wishlist_items (user_id, item_id) values (%s, %s)", (cast["buyer"], PUBLISHED))
    assert ids(c, "buyer", "select item_id::text from public.wishlist_items") == {PUBLISHED}
    for who in ("owner", "stranger", "anon", "moderator"):
        assert ids(c, who, "select item_id from public.wishlist_items") == set(), who
    assert count(c, "owner", "delete from public.wishlist_items") == 0
    denied(c, "buyer", "update public.wishlist_items set user_id = %s", (cast["stranger"],))


def test_collections_public_or_private(migrated_conn, cast):
    c = migrated_conn
    c.execute("insert into public.marketplace_collections (id, owner_id, name, slug, is_public) values "
              "('00000000-0000-4000-8000-00000000c001', %s, 'Faves', 'faves', true), "
              "('00000000-0000-4000-8000-00000000c002', %s, 'Secret', 'secret', false)",
              (cast["buyer"], cast["buyer"]))
    c.execute("insert into public.marketplace_collection_items (collection_id, item_id) values "
              "('00000000-0000-4000-8000-00000000c001', %s), ('00000000-0000-4000-8000-00000000c002', %s)",
              (PUBLISHED, OTHER_SELLER))
    assert ids(c, "anon", "select slug from public.marketplace_collections") == {"faves"}
    assert ids(c, "anon", "select item_id::text from public.marketplace_collection_items") == {PUBLISHED}
    assert ids(c, "buyer", "select slug from public.marketplace_collections") == {"faves", "secret"}
    add = "insert into public.marketplace_collection_items (collection_id, item_id) values (%s, %s)"
    denied(c, "stranger", add, ("00000000-0000-4000-8000-00000000c001", OTHER_SELLER))
    assert count(c, "buyer", add, ("00000000-0000-4000-8000-00000000c001", OTHER_SELLER)) == 1
    assert count(c, "stranger", "update public.marketplace_collections set is_public = true") == 0
    denied(c, "buyer", "update public.marketplace_collections set owner_id = %s", (cast["stranger"],))
    assert count(c, "moderator", "update public.marketplace_collections set is_public = false "
                                 "where slug = 'faves'") == 1
