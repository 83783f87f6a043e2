"""Support: public knowledge base written by support agents; a public forum moderated by
moderators; tickets seen by their requester and by support, internal notes by support only."""

from __future__ import annotations

import psycopg
import pytest

from tests.rls_helpers import count, denied, ids, rows, setup_cast

TICKET = "00000000-0000-4000-8000-00000000f001"
QUESTION = "00000000-0000-4000-8000-00000000f002"
ANSWER = "00000000-0000-4000-8000-00000000f003"


@pytest.fixture
def cast(migrated_conn):
    cast = setup_cast(migrated_conn)
    c = migrated_conn
    c.execute("insert into public.support_tickets (id, requester_id, subject, description) "
              "values (%s, %s, 'Payout missing', 'Where is my payout?')", (TICKET, cast["owner"]))
    c.execute("insert into public.ticket_messages (ticket_id, author_id, body, is_internal) values "
              "(%s, %s, 'We are looking into it', false), (%s, %s, 'Fraud check pending, do not tell', true)",
              (TICKET, cast["support_agent"], TICKET, cast["support_agent"]))
    c.execute("insert into public.forum_questions (id, author_id, title, body) values "
              "(%s, %s, 'How do I export 4K?', 'Details')", (QUESTION, cast["buyer"]))
    c.execute("insert into public.forum_answers (id, question_id, author_id, body) values (%s, %s, %s, 'Use presets')",
              (ANSWER, QUESTION, cast["owner"]))
    return cast


# -- knowledge base -------------------------------------------------------------------------------

def test_published_articles_and_categories_are_public(migrated_conn, cast):
    c = migrated_conn
    c.execute("insert into public.kb_articles (category_id, slug, title, body, status) "
              "select id, 'draft-article', 'Draft', 'tbd', 'draft' from public.kb_categories where slug = 'billing'")
    anon = ids(c, "anon", "select slug from public.kb_articles")
    assert "create-your-first-workspace" in anon and "draft-article" not in anon
    assert "draft-article" in ids(c, "support_agent", "select slug from public.kb_articles")
    assert "getting-started" in ids(c, "anon", "select slug from public.kb_categories")


def test_support_agents_write_the_knowledge_base(migrated_conn, cast):
    c = migrated_conn
    insert = ("insert into public.kb_articles (category_id, slug, title, body) "
              "select id, 'new-article', 'New', 'body' from public.kb_categories where slug = 'billing'")
    for who in ("stranger", "moderator", "anon"):
        denied(c, who, insert)
    assert count(c, "support_agent", insert) == 1
    assert count(c, "admin", insert) == 1
    assert count(c, "stranger", "update public.kb_articles set title = 'x'") == 0
    assert count(c, "support_agent", "update public.kb_articles set title = 'x' "
                                     "where slug = 'create-your-first-workspace'") == 1
    denied(c, "stranger", "insert into public.kb_categories (slug, name) values ('x-cat', 'X')")
    assert count(c, "support_agent", "insert into public.kb_categories (slug, name) values ('x-cat', 'X')") == 1


def test_article_feedback_is_private_and_once_per_user(migrated_conn, cast):
    c = migrated_conn
    art = c.execute("select id from public.kb_articles where slug = 'workspace-roles-explained'").fetchone()[0]
    assert count(c, "buyer", "insert into public.kb_article_feedback (article_id, is_helpful) values (%s, true)",
                 (art,)) == 1
    c.execute("insert into public.kb_article_feedback (article_id, user_id, is_helpful) values (%s, %s, false)",
              (art, cast["buyer"]))
    assert ids(c, "stranger", "select id from public.kb_article_feedback") == set()
    assert len(ids(c, "support_agent", "select id from public.kb_article_feedback")) == 1
    with pytest.raises(psycopg.errors.UniqueViolation):
        count(c, "buyer", "insert into public.kb_article_feedback (article_id, is_helpful) values (%s, true)", (art,))


# -- forum -------------------------------------------------------------------------------------------

def test_forum_is_public_and_authors_edit_their_posts(migrated_conn, cast):
    c = migrated_conn
    assert ids(c, "anon", "select id::text from public.forum_questions") == {QUESTION}
    assert ids(c, "anon", "select id::text from public.forum_answers") == {ANSWER}
    denied(c, "anon", "insert into public.forum_questions (title, body) values ('Anonymous?', 'x')")
    assert count(c, "stranger", "insert into public.forum_questions (title, body) values ('My question', 'x')") == 1
    assert count(c, "stranger", "update public.forum_questions set title = 'Hijacked title'") == 0
    assert count(c, "buyer", "update public.forum_questions set title = 'Export in 4K?'") == 1
    denied(c, "buyer", "update public.forum_questions set author_id = %s", (cast["stranger"],))
    # the asker accepts an answer to their own question
    assert count(c, "buyer", "update public.forum_questions set accepted_answer_id = %s, status = 'answered'",
                 (ANSWER,)) == 1


def test_moderators_hide_and_delete_forum_posts(migrated_conn, cast):
    c = migrated_conn
    denied(c, "buyer", "update public.forum_questions set is_hidden = true")
    assert count(c, "moderator", "update public.forum_questions set is_hidden = true, moderation_note = 'dup'") == 1
    c.execute("update public.forum_questions set is_hidden = true")
    assert ids(c, "anon", "select id from public.forum_questions") == set()
    assert ids(c, "anon", "select id from public.forum_answers") == set()  # hidden with their question
    assert ids(c, "buyer", "select id::text from public.forum_questions") == {QUESTION}  # the author still sees it
    assert count(c, "stranger", "delete from public.forum_answers") == 0
    assert count(c, "moderator", "delete from public.forum_answers") == 1


def test_one_vote_per_user_and_target_and_scores_are_read_only(migrated_conn, cast):
    c = migrated_conn
    vote = "insert into public.forum_votes (question_id, value) values (%s, 1)"
    assert count(c, "stranger", vote, (QUESTION,)) == 1
    denied(c, "buyer", vote, (QUESTION,))  # not on one's own post
    c.execute("insert into public.forum_votes (user_id, question_id, value) values (%s, %s, 1)",
              (cast["stranger"], QUESTION))
    with pytest.raises(psycopg.errors.UniqueViolation):
        count(c, "stranger", vote, (QUESTION,))
    assert c.execute("select vote_score from public.forum_questions where id = %s", (QUESTION,)).fetchone()[0] == 1
    assert count(c, "buyer", "update public.forum_questions set vote_score = 1000") == 1
    assert c.execute("select vote_score from public.forum_questions where id = %s", (QUESTION,)).fetchone()[0] == 1
    assert ids(c, "owner", "select id from public.forum_votes") == set()  # votes are private
    assert count(c, "owner", "update public.forum_votes set value = -1") == 0


# -- tickets ------------------------------------------------------------------------------------------

def test_requester_sees_own_tickets_and_never_internal_notes(migrated_conn, cast):
    c = migrated_conn
    assert ids(c, "owner", "select id::text from public.support_tickets") == {TICKET}
    assert [r[0] for r in rows(c, "owner", "select body from public.ticket_messages")] == ["We are looking into it"]
    assert ids(c, "owner", "select is_internal from public.ticket_messages") == {False}
    for who in ("stranger", "buyer", "moderator", "anon"):
        assert ids(c, who, "select id from public.support_tickets") == set(), who
        assert ids(c, who, "select id from public.ticket_messages") == set(), who
    assert len(ids(c, "support_agent", "select id from public.ticket_messages")) == 2
    assert len(ids(c, "admin", "select id from public.ticket_messages")) == 2


def test_requesters_reply_agents_answer_and_note(migrated_conn, cast):
    c = migrated_conn
    msg = "insert into public.ticket_messages (ticket_id, body, is_internal) values (%s, %s, %s)"
    assert count(c, "owner", msg, (TICKET, "Thanks", False)) == 1
    denied(c, "owner", msg, (TICKET, "sneaky note", True))
    denied(c, "stranger", msg, (TICKET, "hello", False))
    assert count(c, "support_agent", msg, (TICKET, "internal", True)) == 1
    assert count(c, "owner", "update public.support_tickets set status = 'closed'") == 0
    assert count(c, "support_agent", "update public.support_tickets set status = 'resolved', "
                                     "assigned_agent_id = %s", (cast["support_agent"],)) == 1
    assert count(c, "owner", "update public.ticket_messages set is_internal = false") == 0
    assert count(c, "support_agent", "delete from public.support_tickets") == 0
    assert count(c, "admin", "delete from public.support_tickets") == 1


def test_users_open_tickets_only_for_themselves(migrated_conn, cast):
    c = migrated_conn
    assert count(c, "buyer", "insert into public.support_tickets (subject, description) values ('Help', 'x')") == 1
    denied(c, "buyer", "insert into public.support_tickets (requester_id, subject, description) "
                       "values (%s, 'Help', 'x')", (cast["owner"],))
    denied(c, "anon", "insert into public.support_tickets (subject, description) values ('Help', 'x')")
    denied(c, "support_agent", "update public.support_tickets set requester_id = %s", (cast["buyer"],))
