"""The ERD renderers are pure functions of a SchemaModel: golden tests on a small hand-built model.

Regenerate the goldens after an intended change with ``NEXUS_UPDATE_GOLDEN=1 pytest tests/test_erd_render.py``
and read the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pygraphviz
import pytest
from pydbml import PyDBML

from nexus_kit import erd, erd_text
from nexus_kit.errors import UnknownArea, UnknownTable
from nexus_kit.schema import Column, ForeignKey, SchemaModel, Table, UniqueConstraint

GOLDEN = Path(__file__).parent / "golden"


def col(name, type_="uuid", not_null=True, **kw) -> Column:
    return Column(name, type_, not_null, **kw)


def small_model() -> SchemaModel:
    users = Table("auth", "users", (col("id", is_primary_key=True), col("email", "varchar(255)", False)),
                  "external", comment="Auth: Stores user login data.", rls_enabled=True, primary_key=("id",))
    profiles = Table(
        "public", "profiles",
        (col("id", is_primary_key=True, comment="Same id as auth.users."),
         col("username", "text", False, is_unique=True),
         col("created_at", "timestamptz", default="now()")),
        "core", comment="Public profile of a user.", rls_enabled=True, policy_count=2, primary_key=("id",),
        uniques=(UniqueConstraint("profiles_username_key", ("username",)),),
        foreign_keys=(ForeignKey("profiles_id_fkey", "profiles", ("id",), "auth.users", ("id",), "cascade"),),
    )
    workspaces = Table(
        "public", "workspaces",
        (col("id", is_primary_key=True, default="gen_random_uuid()"), col("owner_id"),
         col("name", "text"), col("status", "text", default="'active'::text"), col("seats", "integer", default="5"),
         col("parent_id", not_null=False)),
        "core", comment="A team's space; it's where work happens.", rls_enabled=True, force_rls=True,
        policy_count=1, primary_key=("id",),
        uniques=(UniqueConstraint("workspaces_id_owner_key", ("id", "owner_id")),),
        foreign_keys=(ForeignKey("workspaces_owner_id_fkey", "workspaces", ("owner_id",), "auth.users", ("id",),
                                 "restrict"),
                      ForeignKey("workspaces_parent_id_fkey", "workspaces", ("parent_id",), "workspaces", ("id",),
                                 "set null")),
    )
    posts = Table(
        "public", "posts",
        (col("workspace_id", is_primary_key=True), col("slug", "text", is_primary_key=True),
         col("owner_id"), col("tags", "text[]", default="'{}'::text[]"), col("price", "numeric(10,2)", False),
         col("body", "text", False, comment='Markdown, "quoted" words.')),
        "social_media", comment=None, rls_enabled=False, primary_key=("workspace_id", "slug"),
        foreign_keys=(ForeignKey("posts_workspace_fkey", "posts", ("workspace_id", "owner_id"), "workspaces",
                                 ("id", "owner_id"), "cascade"),),
    )
    tags = Table("public", "post_tags", (col("id", "bigint", is_primary_key=True),), "social_media",
                 rls_enabled=True, policy_count=0, primary_key=("id",))
    return SchemaModel((profiles, posts, tags, workspaces, users), areas=("core", "social_media"))


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("NEXUS_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed; if intended, regenerate with NEXUS_UPDATE_GOLDEN=1"


# -- DBML ---------------------------------------------------------------------------------

def test_dbml_matches_golden():
    check_golden("erd_small.dbml", erd_text.to_dbml(small_model(), note="Small model"))


def test_dbml_parses_with_every_table_column_and_ref():
    model = small_model()
    parsed = PyDBML(erd_text.to_dbml(model))
    assert sorted(f"{t.schema}.{t.name}" for t in parsed.tables) == sorted(
        f"{t.schema}.{t.name}" for t in model.tables)
    assert len(parsed.refs) == len(model.foreign_keys)
    workspaces = next(t for t in parsed.tables if t.name == "workspaces")
    by_name = {c.name: c for c in workspaces.columns}
    assert by_name["id"].pk and by_name["name"].not_null and not by_name["parent_id"].not_null
    assert by_name["status"].default == "active" and by_name["seats"].default == 5
    assert "RLS enabled, forced, 1 policy" in workspaces.note.text
    profiles = next(t for t in parsed.tables if t.name == "profiles")
    assert next(c for c in profiles.columns if c.name == "username").unique
    posts = next(t for t in parsed.tables if t.name == "posts")
    assert "RLS DISABLED" in posts.note.text
    assert [i.pk for i in posts.indexes] == [True]


def test_dbml_of_an_external_table_shows_only_its_keys():
    users = next(t for t in PyDBML(erd_text.to_dbml(small_model())).tables if t.name == "users")
    assert [c.name for c in users.columns] == ["id"]
    assert users.note.text.startswith("External: managed by Supabase (auth schema)")


def test_dbml_defaults():
    assert erd_text.dbml_default("'it''s'::text") == "'it\\'s'"
    assert erd_text.dbml_default("0") == "0"
    assert erd_text.dbml_default("false") == "false"
    assert erd_text.dbml_default("now()") == "`now()`"
    assert erd_text.dbml_default("'{}'::jsonb") == "`'{}'::jsonb`"


# -- Mermaid ------------------------------------------------------------------------------

def test_mermaid_matches_golden():
    check_golden("erd_small.mmd", erd_text.to_mermaid(small_model()))


def test_mermaid_has_every_table_and_relationship():
    model = small_model()
    text = erd_text.to_mermaid(model)
    entities = re.findall(r"^    (\w+) \{$", text, re.MULTILINE)
    assert sorted(entities) == sorted(erd_text.mermaid_name(k) for k in model.keys)
    relationships = re.findall(r"^    (\w+) [|o}]{2}--[|o{]{2} (\w+) : \"([\w, ]+)\"$", text, re.MULTILINE)
    assert sorted(relationships) == sorted(
        (erd_text.mermaid_name(fk.ref_table), erd_text.mermaid_name(fk.table), ", ".join(fk.columns))
        for fk in model.foreign_keys)
    assert "auth_users ||--o| profiles" in text  # required, one-to-one
    assert "workspaces |o--o{ workspaces" in text  # optional self-reference
    assert "\"Markdown, 'quoted' words.\"" in text


def test_mermaid_markdown_is_one_offline_fenced_block():
    page = erd_text.to_mermaid_markdown(small_model(), title="Small")
    assert page.count("```mermaid\nerDiagram\n") == 1 and page.endswith("```\n")
    assert "http" not in page


# -- Graphviz -----------------------------------------------------------------------------

def test_whole_dot_matches_golden_and_parses():
    dot = erd.whole(small_model()).dot
    check_golden("erd_small.dot", dot)
    graph = pygraphviz.AGraph(string=dot)
    assert {"profiles", "posts", "post_tags", "workspaces", "auth.users@core"} <= set(graph.nodes())


def test_every_node_shows_rls_status_and_policy_count():
    dot = erd.whole(small_model()).dot
    assert "RLS on · 2 policies" in dot
    assert "RLS on, forced · 1 policy" in dot
    assert "RLS on · no policies (deny all)" in dot
    assert re.search(r'BGCOLOR="#dc3545"><FONT POINT-SIZE="10"><B><FONT COLOR="white">RLS OFF</FONT>', dot)


def test_area_diagram_marks_referenced_tables_of_other_areas():
    diagram = erd.area(small_model(), "social_media")
    assert sorted(diagram.inside) == ["post_tags", "posts"]
    assert diagram.outside == ["workspaces"]
    assert "workspaces  <FONT POINT-SIZE=\"10\">→ core</FONT>" in diagram.dot
    assert repr(diagram) == "ERD area social_media: 2 tables (+1 referenced), 1 relations"


def test_core_area_shows_auth_users_as_external():
    diagram = erd.area(small_model(), "core")
    assert "auth.users" in diagram.outside
    assert "(external: Supabase auth)" in diagram.dot
    assert "workspaces_parent_id_fkey" not in diagram.dot  # edges carry columns, not names
    assert '"workspaces":"id" -> "workspaces":"parent_id"' in diagram.dot


def test_focused_diagram_follows_foreign_keys_both_ways():
    model = small_model()
    assert model.neighbours("posts", 0) == ["posts"]
    assert model.neighbours("posts", 1) == ["posts", "workspaces"]
    assert model.neighbours("posts", 2) == ["posts", "workspaces", "auth.users"]
    assert model.neighbours("posts", 3) == ["profiles", "posts", "workspaces", "auth.users"]
    diagram = erd.focused(model, "posts", 1)
    assert repr(diagram) == "ERD posts and its neighbours 1 foreign key(s) away: 2 tables, 2 relations"
    assert '<FONT POINT-SIZE="18">posts</FONT>' in diagram.dot


def test_unknown_area_and_table_name_the_known_ones():
    with pytest.raises(UnknownArea, match="known areas: core, social_media"):
        erd.area(small_model(), "billing")
    with pytest.raises(UnknownTable, match="known tables: profiles, posts, post_tags, workspaces, auth.users"):
        erd.focused(small_model(), "nope")


def test_render_draws_png_and_svg_without_system_graphviz():
    diagram = erd.render_erd(small_model(), area="core", fmt="png")
    assert diagram.png.startswith(b"\x89PNG")
    assert diagram._repr_html_().startswith('<figure><img src="data:image/png;base64,')
    svg = erd.render_erd(small_model(), area="core")  # notebooks get SVG by default: crisp and small
    assert "<svg" in svg.svg and "RLS on" in svg.svg
    assert svg._repr_html_().startswith('<figure><img src="data:image/svg+xml;base64,')
    assert "ERD area core" in svg._repr_html_()


def test_format_names():
    assert erd.parse_formats("all") == erd.FORMATS
    assert erd.parse_formats("png,dbml") == ("png", "dbml")
    with pytest.raises(erd.ConfigError, match="unknown format 'jpeg'"):
        erd.parse_formats("jpeg")
