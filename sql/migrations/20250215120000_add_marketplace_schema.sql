-- Nexus Platform — marketplace: creators sell templates, presets, plugins and asset packs.
--
-- Published, non-hidden items, their visible reviews and public collections are a public
-- catalog (anon and authenticated). Sellers manage their items; moderators hide or remove
-- anything. Purchases are written only by the payment backend (service role): the buyer
-- and the seller of the item read them. Only buyers of an item may review it, once.

create table public.marketplace_items (
  id uuid primary key default gen_random_uuid(),
  seller_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text not null check (char_length(btrim(title)) between 1 and 200),
  description text,
  item_type text not null
    check (item_type in ('template', 'preset', 'plugin', 'asset_pack', 'workflow', 'style_profile', 'course',
                         'prompt_pack')),
  category text,
  price numeric(10, 2) not null default 0 check (price >= 0),
  currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  status text not null default 'draft' check (status in ('draft', 'published', 'archived')),
  is_hidden boolean not null default false,
  moderation_note text,
  workflow_template_id uuid references public.workflow_templates (id) on delete set null,
  preview_urls text[] not null default '{}',
  asset_path text,
  tags text[] not null default '{}',
  published_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.marketplace_items is
  'Something a creator sells on the marketplace. Public when published and not hidden by a moderator.';
comment on column public.marketplace_items.seller_id is 'Seller (auth.users.id); defaults to the caller; immutable.';
comment on column public.marketplace_items.slug is 'Unique URL slug.';
comment on column public.marketplace_items.item_type is
  'template | preset | plugin | asset_pack | workflow | style_profile | course | prompt_pack.';
comment on column public.marketplace_items.price is 'List price, >= 0 (0 = free).';
comment on column public.marketplace_items.status is 'Seller-controlled: draft | published | archived.';
comment on column public.marketplace_items.is_hidden is 'Set by moderators: hides the item from the catalog.';
comment on column public.marketplace_items.moderation_note is 'Moderator''s reason for hiding (moderators only).';
comment on column public.marketplace_items.workflow_template_id is 'Workflow template the item packages, if any.';
comment on column public.marketplace_items.asset_path is 'Storage path of the deliverable (served to buyers only).';
create index marketplace_items_seller_id_idx on public.marketplace_items (seller_id);
create index marketplace_items_workflow_template_id_idx on public.marketplace_items (workflow_template_id);
create index marketplace_items_catalog_idx on public.marketplace_items (item_type, published_at desc)
  where status = 'published' and not is_hidden;

create table public.marketplace_purchases (
  id uuid primary key default gen_random_uuid(),
  buyer_id uuid references auth.users (id) on delete set null,
  item_id uuid references public.marketplace_items (id) on delete set null,
  seller_id uuid references auth.users (id) on delete set null,
  item_title text not null,
  amount numeric(10, 2) not null check (amount >= 0),
  currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  status text not null default 'pending' check (status in ('pending', 'completed', 'refunded', 'failed')),
  payment_provider text not null default 'stripe' check (payment_provider in ('stripe', 'free')),
  payment_reference text unique,
  purchased_at timestamptz,
  refunded_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.marketplace_purchases is
  'A purchase of a marketplace item. Financial record written only by the payment backend (service role); '
  'kept when the buyer, seller or item is deleted (references set to null).';
comment on column public.marketplace_purchases.buyer_id is 'Buyer (auth.users.id).';
comment on column public.marketplace_purchases.item_id is 'Item bought (null if the item was deleted since).';
comment on column public.marketplace_purchases.seller_id is
  'Seller of the item at purchase time (copied from the item by trigger).';
comment on column public.marketplace_purchases.item_title is 'Title of the item at purchase time.';
comment on column public.marketplace_purchases.amount is 'Amount paid, >= 0.';
comment on column public.marketplace_purchases.status is 'pending | completed | refunded | failed.';
comment on column public.marketplace_purchases.payment_reference is 'Payment id at the provider (unique).';
create index marketplace_purchases_buyer_id_item_id_idx on public.marketplace_purchases (buyer_id, item_id);
create index marketplace_purchases_item_id_idx on public.marketplace_purchases (item_id);
create index marketplace_purchases_seller_id_idx on public.marketplace_purchases (seller_id, created_at desc);
create unique index marketplace_purchases_one_completed on public.marketplace_purchases (buyer_id, item_id)
  where status = 'completed';

create or replace function private.fill_purchase_from_item()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  item record;
begin
  if new.item_id is not null and (tg_op = 'INSERT' or new.item_id is distinct from old.item_id) then
    select i.seller_id, i.title into item from public.marketplace_items as i where i.id = new.item_id;
    new.seller_id := item.seller_id;
    new.item_title := coalesce(new.item_title, item.title);
  end if;
  return new;
end;
$$;
comment on function private.fill_purchase_from_item() is
  'BEFORE INSERT/UPDATE on marketplace_purchases: copies seller and title from the item, so seller_id always '
  'matches the item.';
create trigger fill_from_item before insert or update of item_id on public.marketplace_purchases
  for each row execute function private.fill_purchase_from_item();

create table public.marketplace_reviews (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references public.marketplace_items (id) on delete cascade,
  reviewer_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  rating smallint not null check (rating between 1 and 5),
  title text check (char_length(title) <= 200),
  body text check (char_length(body) <= 5000),
  is_hidden boolean not null default false,
  moderation_note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (item_id, reviewer_id)
);
comment on table public.marketplace_reviews is
  'A buyer''s review of an item: one per buyer and item, only after a completed purchase.';
comment on column public.marketplace_reviews.item_id is 'Reviewed item.';
comment on column public.marketplace_reviews.reviewer_id is 'Reviewer; must have a completed purchase of the item.';
comment on column public.marketplace_reviews.rating is 'Stars, 1..5.';
comment on column public.marketplace_reviews.is_hidden is 'Set by moderators: hides the review.';
create index marketplace_reviews_reviewer_id_idx on public.marketplace_reviews (reviewer_id);

create table public.marketplace_collections (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 100),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description text,
  cover_url text check (cover_url ~ '^https?://'),
  is_public boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (owner_id, slug)
);
comment on table public.marketplace_collections is 'A curated list of marketplace items; public or private.';
comment on column public.marketplace_collections.owner_id is 'Curator (auth.users.id).';
comment on column public.marketplace_collections.is_public is 'Public collections are readable by everyone.';
create index marketplace_collections_public_idx on public.marketplace_collections (created_at desc) where is_public;

create table public.marketplace_collection_items (
  id uuid primary key default gen_random_uuid(),
  collection_id uuid not null references public.marketplace_collections (id) on delete cascade,
  item_id uuid not null references public.marketplace_items (id) on delete cascade,
  position integer not null default 0 check (position >= 0),
  note text check (char_length(note) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (collection_id, item_id)
);
comment on table public.marketplace_collection_items is 'An item in a collection (each item at most once).';
comment on column public.marketplace_collection_items.collection_id is 'The collection.';
comment on column public.marketplace_collection_items.item_id is 'The item listed.';
create index marketplace_collection_items_item_id_idx on public.marketplace_collection_items (item_id);

create table public.wishlist_items (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  item_id uuid not null references public.marketplace_items (id) on delete cascade,
  note text check (char_length(note) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, item_id)
);
comment on table public.wishlist_items is 'An item a user wants to buy later. Private to the user.';
comment on column public.wishlist_items.user_id is 'Owner of the wishlist.';
comment on column public.wishlist_items.item_id is 'Wished item.';
create index wishlist_items_item_id_idx on public.wishlist_items (item_id);

create view public.marketplace_item_ratings
with (security_invoker = true)
as
select r.item_id, count(*)::integer as review_count, round(avg(r.rating), 2) as average_rating
from public.marketplace_reviews as r
group by r.item_id;
comment on view public.marketplace_item_ratings is
  'Review count and average rating per item over the reviews the caller may see (security invoker).';
comment on column public.marketplace_item_ratings.item_id is 'The item.';
comment on column public.marketplace_item_ratings.average_rating is 'Average stars of the visible reviews.';
revoke insert, update, delete, truncate, references, trigger on public.marketplace_item_ratings
  from anon, authenticated;

-- Row Level Security ----------------------------------------------------------------------
alter table public.marketplace_items enable row level security;
alter table public.marketplace_purchases enable row level security;
alter table public.marketplace_reviews enable row level security;
alter table public.marketplace_collections enable row level security;
alter table public.marketplace_collection_items enable row level security;
alter table public.wishlist_items enable row level security;

-- marketplace_items: public catalog; sellers manage theirs; moderators everything.
create policy "marketplace_items: published are public" on public.marketplace_items
  for select to anon, authenticated
  using (
    (status = 'published' and not is_hidden)
    or seller_id = (select auth.uid())
    or (select private.is_moderator())
  );
create policy "marketplace_items: sellers list their own" on public.marketplace_items
  for insert to authenticated
  with check (seller_id = (select auth.uid()));
create policy "marketplace_items: seller or moderator updates" on public.marketplace_items
  for update to authenticated
  using (seller_id = (select auth.uid()) or (select private.is_moderator()))
  with check (seller_id = (select auth.uid()) or (select private.is_moderator()));
create policy "marketplace_items: seller or moderator deletes" on public.marketplace_items
  for delete to authenticated
  using (seller_id = (select auth.uid()) or (select private.is_moderator()));

-- marketplace_purchases: buyer and seller read; admins read all; only the service role writes.
create policy "marketplace_purchases: buyer, seller or admin reads" on public.marketplace_purchases
  for select to authenticated
  using (
    buyer_id = (select auth.uid())
    or seller_id = (select auth.uid())
    or (select private.is_platform_admin())
  );

-- marketplace_reviews: visible reviews are public; only buyers review, once.
create policy "marketplace_reviews: visible are public" on public.marketplace_reviews
  for select to anon, authenticated
  using (not is_hidden or reviewer_id = (select auth.uid()) or (select private.is_moderator()));
create policy "marketplace_reviews: buyers review" on public.marketplace_reviews
  for insert to authenticated
  with check (
    reviewer_id = (select auth.uid())
    and exists (
      select 1 from public.marketplace_purchases as p
      where p.item_id = marketplace_reviews.item_id
        and p.buyer_id = (select auth.uid())
        and p.status = 'completed'
    )
  );
create policy "marketplace_reviews: reviewer or moderator updates" on public.marketplace_reviews
  for update to authenticated
  using (reviewer_id = (select auth.uid()) or (select private.is_moderator()))
  with check (reviewer_id = (select auth.uid()) or (select private.is_moderator()));
create policy "marketplace_reviews: reviewer or moderator deletes" on public.marketplace_reviews
  for delete to authenticated
  using (reviewer_id = (select auth.uid()) or (select private.is_moderator()));

-- marketplace_collections: public ones are readable by everyone; owners manage theirs.
create policy "marketplace_collections: public, own or moderator reads" on public.marketplace_collections
  for select to anon, authenticated
  using (is_public or owner_id = (select auth.uid()) or (select private.is_moderator()));
create policy "marketplace_collections: owner inserts" on public.marketplace_collections
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "marketplace_collections: owner or moderator updates" on public.marketplace_collections
  for update to authenticated
  using (owner_id = (select auth.uid()) or (select private.is_moderator()))
  with check (owner_id = (select auth.uid()) or (select private.is_moderator()));
create policy "marketplace_collections: owner or moderator deletes" on public.marketplace_collections
  for delete to authenticated
  using (owner_id = (select auth.uid()) or (select private.is_moderator()));

-- marketplace_collection_items: follow the collection's visibility; the collection owner
-- adds items they can see.
create policy "marketplace_collection_items: readable with the collection" on public.marketplace_collection_items
  for select to anon, authenticated
  using (exists (select 1 from public.marketplace_collections as c where c.id = collection_id));
create policy "marketplace_collection_items: collection owner adds" on public.marketplace_collection_items
  for insert to authenticated
  with check (
    exists (select 1 from public.marketplace_collections as c
            where c.id = collection_id and c.owner_id = (select auth.uid()))
    and exists (select 1 from public.marketplace_items as i where i.id = item_id)
  );
create policy "marketplace_collection_items: collection owner updates" on public.marketplace_collection_items
  for update to authenticated
  using (exists (select 1 from public.marketplace_collections as c
                 where c.id = collection_id and c.owner_id = (select auth.uid())))
  with check (exists (select 1 from public.marketplace_collections as c
                      where c.id = collection_id and c.owner_id = (select auth.uid())));
create policy "marketplace_collection_items: collection owner or moderator deletes"
  on public.marketplace_collection_items
  for delete to authenticated
  using (
    exists (select 1 from public.marketplace_collections as c
            where c.id = collection_id and c.owner_id = (select auth.uid()))
    or (select private.is_moderator())
  );

-- wishlist_items: owner only (admins read and delete); only items the user can see.
create policy "wishlist_items: owner or admin reads" on public.wishlist_items
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));
create policy "wishlist_items: owner adds visible items" on public.wishlist_items
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and exists (select 1 from public.marketplace_items as i where i.id = item_id)
  );
create policy "wishlist_items: owner updates" on public.wishlist_items
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
create policy "wishlist_items: owner or admin deletes" on public.wishlist_items
  for delete to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));

-- Column guards -------------------------------------------------------------------------
create trigger protect_columns before update on public.marketplace_items
  for each row execute function private.protect_columns('nobody', 'seller_id');
create trigger protect_moderation before update on public.marketplace_items
  for each row execute function private.protect_columns('moderator', 'is_hidden', 'moderation_note');
create trigger protect_columns before update on public.marketplace_reviews
  for each row execute function private.protect_columns('nobody', 'item_id', 'reviewer_id');
create trigger protect_moderation before update on public.marketplace_reviews
  for each row execute function private.protect_columns('moderator', 'is_hidden', 'moderation_note');
create trigger protect_columns before update on public.marketplace_collections
  for each row execute function private.protect_columns('nobody', 'owner_id');
create trigger protect_columns before update on public.marketplace_collection_items
  for each row execute function private.protect_columns('nobody', 'collection_id', 'item_id');
create trigger protect_columns before update on public.wishlist_items
  for each row execute function private.protect_columns('nobody', 'user_id', 'item_id');

-- A seller cannot list an item already hidden, nor write a moderation note.
create or replace function private.check_moderation_on_insert()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated') and not private.is_moderator()
     and (new.is_hidden or new.moderation_note is not null) then
    raise exception 'only moderators set is_hidden or moderation_note' using errcode = '42501';
  end if;
  return new;
end;
$$;
comment on function private.check_moderation_on_insert() is
  'BEFORE INSERT guard: only moderators (or the service role) may set is_hidden / moderation_note.';
create trigger check_moderation before insert on public.marketplace_items
  for each row execute function private.check_moderation_on_insert();
create trigger check_moderation before insert on public.marketplace_reviews
  for each row execute function private.check_moderation_on_insert();

revoke all on function private.fill_purchase_from_item(), private.check_moderation_on_insert() from public;

select private.apply_table_conventions();
