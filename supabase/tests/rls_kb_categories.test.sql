-- Generated from sql/access_expectations.csv by `nexus-kit probe --pgtap DIR`
-- (or `python -m nexus_kit.pgtap supabase/tests`): do not edit.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path to public, extensions;
select plan(48);

create schema nexus_probe;
grant usage on schema nexus_probe to anon, authenticated, service_role;
create table nexus_probe.expected (persona text, op text, id text);
grant select on nexus_probe.expected to anon, authenticated, service_role;
create function nexus_probe.uid(email text) returns uuid language sql stable as
  $f$ select id from auth.users where lower(users.email) = lower(uid.email) $f$;
create function nexus_probe.claims(email text) returns text language sql stable as $f$
  select json_build_object('sub', u.id, 'role', 'authenticated', 'aud', 'authenticated', 'email', u.email,
    'app_metadata', u.raw_app_meta_data, 'user_metadata', u.raw_user_meta_data, 'is_anonymous', false)::text
  from auth.users u where lower(u.email) = lower(claims.email) $f$;
-- Run prep as the caller, then stmt as role/claims; roll it all back; return {"state", "ids"}.
create function nexus_probe.attempt(who text, claims text, stmt text, prep text default null,
                                    each text default null, keys text default null)
returns jsonb language plpgsql as $f$
declare ids text[] := '{}'; r record; k record; state text;
begin
  begin
    if prep is not null then
      begin execute prep;
      exception when others then return jsonb_build_object('state', 'skip', 'ids', '[]'::jsonb);
      end;
    end if;
    perform set_config('role', who, true), set_config('request.jwt.claims', claims, true);
    if stmt like 'insert%' then execute stmt; state := 'ok';
    else for r in execute stmt loop ids := ids || r.id::text; end loop; state := 'ok';
    end if;
    raise exception using errcode = 'NXP01';
  exception when sqlstate 'NXP01' then null;
            when others then state := sqlstate; ids := '{}';
  end;
  if state not like '42%' and state <> 'ok' and each is not null then
    -- A constraint (not a policy) broke the set-based statement: try the rows one by one; a row
    -- the policies let through counts even when a foreign key then refuses it (as the probe does).
    state := 'ok';
    for k in execute keys loop
      begin
        perform set_config('role', who, true), set_config('request.jwt.claims', claims, true);
        for r in execute each using k.id loop ids := ids || r.id::text; end loop;
        raise exception using errcode = 'NXP01';
      exception when sqlstate 'NXP01' then null;
                when others then if sqlstate not like '42%' then ids := ids || k.id::text; end if;
      end;
    end loop;
  end if;
  return jsonb_build_object('state', state, 'ids', to_jsonb(ids));
end $f$;
grant execute on all functions in schema nexus_probe to anon, authenticated, service_role;
insert into nexus_probe.expected select 'anon', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((is_visible), false));
insert into nexus_probe.expected select 'anon', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'anon', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'owner', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((is_visible), false));
insert into nexus_probe.expected select 'owner', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'owner', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'buyer', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((is_visible), false));
insert into nexus_probe.expected select 'buyer', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'buyer', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'stranger', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((is_visible), false));
insert into nexus_probe.expected select 'stranger', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'stranger', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'ws_owner', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((is_visible), false));
insert into nexus_probe.expected select 'ws_owner', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'ws_owner', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'ws_admin', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((is_visible), false));
insert into nexus_probe.expected select 'ws_admin', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'ws_admin', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'ws_editor', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((is_visible), false));
insert into nexus_probe.expected select 'ws_editor', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'ws_editor', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'ws_viewer', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((is_visible), false));
insert into nexus_probe.expected select 'ws_viewer', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'ws_viewer', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'moderator', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((is_visible), false));
insert into nexus_probe.expected select 'moderator', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'moderator', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((false), false));
insert into nexus_probe.expected select 'support_agent', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((true), false));
insert into nexus_probe.expected select 'support_agent', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((true), false));
insert into nexus_probe.expected select 'support_agent', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((true), false));
insert into nexus_probe.expected select 'admin', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((true), false));
insert into nexus_probe.expected select 'admin', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((true), false));
insert into nexus_probe.expected select 'admin', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((true), false));
insert into nexus_probe.expected select 'service_role', 'select', t."id"::text from public."kb_categories" as t where (false or coalesce((true), false));
insert into nexus_probe.expected select 'service_role', 'update', t."id"::text from public."kb_categories" as t where (false or coalesce((true), false));
insert into nexus_probe.expected select 'service_role', 'delete', t."id"::text from public."kb_categories" as t where (false or coalesce((true), false));

select set_config('request.jwt.claims', '{"role": "anon", "iss": "supabase-demo"}', true);
set local role anon;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'anon' and op = 'select' order by 1$e$, 'kb_categories: anon select → published');
reset role;
select ok(coalesce((select nexus_probe.attempt('anon', '{"role": "anon", "iss": "supabase-demo"}', format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['42501', 'skip']), true), 'kb_categories: anon insert → denied (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('anon', '{"role": "anon", "iss": "supabase-demo"}', $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'anon' and op = 'update' order by 1$e$, 'kb_categories: anon update → none');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('anon', '{"role": "anon", "iss": "supabase-demo"}', $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'anon' and op = 'delete' order by 1$e$, 'kb_categories: anon delete → none');
select set_config('request.jwt.claims', nexus_probe.claims('olivia.owner@nexus.test'), true);
set local role authenticated;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'owner' and op = 'select' order by 1$e$, 'kb_categories: owner select → published');
reset role;
select ok(coalesce((select nexus_probe.attempt('authenticated', nexus_probe.claims('olivia.owner@nexus.test'), format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['42501', 'skip']), true), 'kb_categories: owner insert → denied (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('olivia.owner@nexus.test'), $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'owner' and op = 'update' order by 1$e$, 'kb_categories: owner update → none');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('olivia.owner@nexus.test'), $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'owner' and op = 'delete' order by 1$e$, 'kb_categories: owner delete → none');
select set_config('request.jwt.claims', nexus_probe.claims('ben.buyer@nexus.test'), true);
set local role authenticated;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'buyer' and op = 'select' order by 1$e$, 'kb_categories: buyer select → published');
reset role;
select ok(coalesce((select nexus_probe.attempt('authenticated', nexus_probe.claims('ben.buyer@nexus.test'), format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['42501', 'skip']), true), 'kb_categories: buyer insert → denied (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('ben.buyer@nexus.test'), $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'buyer' and op = 'update' order by 1$e$, 'kb_categories: buyer update → none');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('ben.buyer@nexus.test'), $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'buyer' and op = 'delete' order by 1$e$, 'kb_categories: buyer delete → none');
select set_config('request.jwt.claims', nexus_probe.claims('sam.stranger@nexus.test'), true);
set local role authenticated;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'stranger' and op = 'select' order by 1$e$, 'kb_categories: stranger select → published');
reset role;
select ok(coalesce((select nexus_probe.attempt('authenticated', nexus_probe.claims('sam.stranger@nexus.test'), format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['42501', 'skip']), true), 'kb_categories: stranger insert → denied (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('sam.stranger@nexus.test'), $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'stranger' and op = 'update' order by 1$e$, 'kb_categories: stranger update → none');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('sam.stranger@nexus.test'), $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'stranger' and op = 'delete' order by 1$e$, 'kb_categories: stranger delete → none');
select set_config('request.jwt.claims', nexus_probe.claims('wendy.wsowner@nexus.test'), true);
set local role authenticated;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'ws_owner' and op = 'select' order by 1$e$, 'kb_categories: ws_owner select → published');
reset role;
select ok(coalesce((select nexus_probe.attempt('authenticated', nexus_probe.claims('wendy.wsowner@nexus.test'), format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['42501', 'skip']), true), 'kb_categories: ws_owner insert → denied (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('wendy.wsowner@nexus.test'), $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'ws_owner' and op = 'update' order by 1$e$, 'kb_categories: ws_owner update → none');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('wendy.wsowner@nexus.test'), $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'ws_owner' and op = 'delete' order by 1$e$, 'kb_categories: ws_owner delete → none');
select set_config('request.jwt.claims', nexus_probe.claims('adam.wsadmin@nexus.test'), true);
set local role authenticated;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'ws_admin' and op = 'select' order by 1$e$, 'kb_categories: ws_admin select → published');
reset role;
select ok(coalesce((select nexus_probe.attempt('authenticated', nexus_probe.claims('adam.wsadmin@nexus.test'), format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['42501', 'skip']), true), 'kb_categories: ws_admin insert → denied (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('adam.wsadmin@nexus.test'), $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'ws_admin' and op = 'update' order by 1$e$, 'kb_categories: ws_admin update → none');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('adam.wsadmin@nexus.test'), $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'ws_admin' and op = 'delete' order by 1$e$, 'kb_categories: ws_admin delete → none');
select set_config('request.jwt.claims', nexus_probe.claims('eddie.editor@nexus.test'), true);
set local role authenticated;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'ws_editor' and op = 'select' order by 1$e$, 'kb_categories: ws_editor select → published');
reset role;
select ok(coalesce((select nexus_probe.attempt('authenticated', nexus_probe.claims('eddie.editor@nexus.test'), format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['42501', 'skip']), true), 'kb_categories: ws_editor insert → denied (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('eddie.editor@nexus.test'), $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'ws_editor' and op = 'update' order by 1$e$, 'kb_categories: ws_editor update → none');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('eddie.editor@nexus.test'), $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'ws_editor' and op = 'delete' order by 1$e$, 'kb_categories: ws_editor delete → none');
select set_config('request.jwt.claims', nexus_probe.claims('vera.viewer@nexus.test'), true);
set local role authenticated;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'ws_viewer' and op = 'select' order by 1$e$, 'kb_categories: ws_viewer select → published');
reset role;
select ok(coalesce((select nexus_probe.attempt('authenticated', nexus_probe.claims('vera.viewer@nexus.test'), format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['42501', 'skip']), true), 'kb_categories: ws_viewer insert → denied (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('vera.viewer@nexus.test'), $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'ws_viewer' and op = 'update' order by 1$e$, 'kb_categories: ws_viewer update → none');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('vera.viewer@nexus.test'), $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'ws_viewer' and op = 'delete' order by 1$e$, 'kb_categories: ws_viewer delete → none');
select set_config('request.jwt.claims', nexus_probe.claims('mona.moderator@nexus.test'), true);
set local role authenticated;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'moderator' and op = 'select' order by 1$e$, 'kb_categories: moderator select → published');
reset role;
select ok(coalesce((select nexus_probe.attempt('authenticated', nexus_probe.claims('mona.moderator@nexus.test'), format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['42501', 'skip']), true), 'kb_categories: moderator insert → denied (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('mona.moderator@nexus.test'), $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'moderator' and op = 'update' order by 1$e$, 'kb_categories: moderator update → none');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('mona.moderator@nexus.test'), $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'moderator' and op = 'delete' order by 1$e$, 'kb_categories: moderator delete → none');
select set_config('request.jwt.claims', nexus_probe.claims('sid.support@nexus.test'), true);
set local role authenticated;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'support_agent' and op = 'select' order by 1$e$, 'kb_categories: support_agent select → all');
reset role;
select ok(coalesce((select nexus_probe.attempt('authenticated', nexus_probe.claims('sid.support@nexus.test'), format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['ok', 'skip']), true), 'kb_categories: support_agent insert → all (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('sid.support@nexus.test'), $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'support_agent' and op = 'update' order by 1$e$, 'kb_categories: support_agent update → all');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('sid.support@nexus.test'), $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'support_agent' and op = 'delete' order by 1$e$, 'kb_categories: support_agent delete → all');
select set_config('request.jwt.claims', nexus_probe.claims('ada.admin@nexus.test'), true);
set local role authenticated;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'admin' and op = 'select' order by 1$e$, 'kb_categories: admin select → all');
reset role;
select ok(coalesce((select nexus_probe.attempt('authenticated', nexus_probe.claims('ada.admin@nexus.test'), format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['ok', 'skip']), true), 'kb_categories: admin insert → all (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('ada.admin@nexus.test'), $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'admin' and op = 'update' order by 1$e$, 'kb_categories: admin update → all');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('authenticated', nexus_probe.claims('ada.admin@nexus.test'), $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'admin' and op = 'delete' order by 1$e$, 'kb_categories: admin delete → all');
select set_config('request.jwt.claims', '{"role": "service_role", "iss": "supabase-demo"}', true);
set local role service_role;
select results_eq($q$select t."id"::text as id from public."kb_categories" as t order by 1$q$, $e$select id from nexus_probe.expected where persona = 'service_role' and op = 'select' order by 1$e$, 'kb_categories: service_role select → all');
reset role;
select ok(coalesce((select nexus_probe.attempt('service_role', '{"role": "service_role", "iss": "supabase-demo"}', format($s$insert into public."kb_categories" ("id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at") select "id", "parent_id", "slug", "name", "description", "icon", "position", "is_visible", "created_at", "updated_at" from jsonb_populate_record(null::public."kb_categories", %L::jsonb)$s$, r.doc), format($p$delete from public."kb_categories" where "id"::text = (%L::jsonb ->> 'id')$p$, r.doc)) ->> 'state' from (select (select to_jsonb(t) from public."kb_categories" as t where not false order by t."id"::text limit 1) as doc) as r where r.doc is not null) = any(array['ok', 'skip']), true), 'kb_categories: service_role insert → all (someone else''s row)');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('service_role', '{"role": "service_role", "iss": "supabase-demo"}', $s$select t."id"::text as id from public."kb_categories" as t for update$s$, null, null, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'service_role' and op = 'update' order by 1$e$, 'kb_categories: service_role update → all');
select results_eq($r$select jsonb_array_elements_text(nexus_probe.attempt('service_role', '{"role": "service_role", "iss": "supabase-demo"}', $s$delete from public."kb_categories" as t returning t."id"::text as id$s$, null, $e$delete from public."kb_categories" as t where t."id"::text = $1 returning t."id"::text as id$e$, $k$select t."id"::text as id from public."kb_categories" as t$k$) -> 'ids') order by 1$r$, $e$select id from nexus_probe.expected where persona = 'service_role' and op = 'delete' order by 1$e$, 'kb_categories: service_role delete → all');

select * from finish();
rollback;
