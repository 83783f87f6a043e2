-- Nexus Platform — support: knowledge base, community forum and support tickets.
--
-- Published KB articles and visible categories, forum questions and answers are public
-- (anon and authenticated). Support agents write the knowledge base and work every ticket;
-- moderators moderate the forum; a requester sees their own tickets and the non-internal
-- messages on them, never the agents' internal notes.

create table public.kb_categories (
  id uuid primary key default gen_random_uuid(),
  parent_id uuid references public.kb_categories (id) on delete set null,
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null check (char_length(btrim(name)) between 1 and 100),
  description text,
  icon text,
  position integer not null default 0 check (position >= 0),
  is_visible boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.kb_categories is 'Knowledge-base category tree. Visible categories are public; support agents manage them.';
comment on column public.kb_categories.parent_id is 'Parent category (null at the top level).';
comment on column public.kb_categories.slug is 'Unique URL slug.';
comment on column public.kb_categories.is_visible is 'Hidden categories are seen by support agents only.';
create index kb_categories_parent_id_idx on public.kb_categories (parent_id, position);

create table public.kb_articles (
  id uuid primary key default gen_random_uuid(),
  category_id uuid not null references public.kb_categories (id) on delete restrict,
  author_id uuid default auth.uid() references auth.users (id) on delete set null,
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text not null check (char_length(btrim(title)) between 1 and 200),
  summary text check (char_length(summary) <= 500),
  body text not null,
  status text not null default 'draft' check (status in ('draft', 'published', 'archived')),
  tags text[] not null default '{}',
  published_at timestamptz,
  search_vector tsvector generated always as (
    to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || body)
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.kb_articles is 'A help-center article. Published articles are public; support agents write them.';
comment on column public.kb_articles.category_id is 'Category (restrict: move or delete articles before the category).';
comment on column public.kb_articles.author_id is 'Support agent who wrote the article.';
comment on column public.kb_articles.slug is 'Unique URL slug.';
comment on column public.kb_articles.status is 'draft | published | archived.';
comment on column public.kb_articles.search_vector is 'Full-text search vector (generated).';
create index kb_articles_category_id_idx on public.kb_articles (category_id, status);
create index kb_articles_author_id_idx on public.kb_articles (author_id);
create index kb_articles_search_idx on public.kb_articles using gin (search_vector);

create table public.kb_article_feedback (
  id uuid primary key default gen_random_uuid(),
  article_id uuid not null references public.kb_articles (id) on delete cascade,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  is_helpful boolean not null,
  comment text check (char_length(comment) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (article_id, user_id)
);
comment on table public.kb_article_feedback is
  '"Was this helpful?" answer of a user on an article (one per user and article). Private to the user and support.';
comment on column public.kb_article_feedback.article_id is 'Article rated (must be published).';
comment on column public.kb_article_feedback.user_id is 'User who gave the feedback.';
create index kb_article_feedback_user_id_idx on public.kb_article_feedback (user_id);

create table public.forum_questions (
  id uuid primary key default gen_random_uuid(),
  author_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  title text not null check (char_length(btrim(title)) between 5 and 300),
  body text not null check (char_length(body) <= 20000),
  tags text[] not null default '{}',
  status text not null default 'open' check (status in ('open', 'answered', 'closed')),
  accepted_answer_id uuid,
  vote_score integer not null default 0,
  is_hidden boolean not null default false,
  moderation_note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.forum_questions is 'A community forum question. Public unless hidden by a moderator.';
comment on column public.forum_questions.author_id is 'Who asked (auth.users.id).';
comment on column public.forum_questions.status is 'open | answered | closed.';
comment on column public.forum_questions.accepted_answer_id is 'Answer the author accepted (must answer this question).';
comment on column public.forum_questions.vote_score is 'Sum of votes (maintained by trigger; read-only for users).';
comment on column public.forum_questions.is_hidden is 'Set by moderators: hides the question and its answers.';
create index forum_questions_author_id_idx on public.forum_questions (author_id);
create index forum_questions_listing_idx on public.forum_questions (created_at desc) where not is_hidden;

create table public.forum_answers (
  id uuid primary key default gen_random_uuid(),
  question_id uuid not null references public.forum_questions (id) on delete cascade,
  author_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  body text not null check (char_length(body) between 1 and 20000),
  vote_score integer not null default 0,
  is_hidden boolean not null default false,
  moderation_note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, question_id)
);
comment on table public.forum_answers is 'An answer to a forum question. Public unless hidden (or its question is).';
comment on column public.forum_answers.question_id is 'Question answered.';
comment on column public.forum_answers.author_id is 'Who answered (auth.users.id).';
comment on column public.forum_answers.vote_score is 'Sum of votes (maintained by trigger; read-only for users).';
comment on column public.forum_answers.is_hidden is 'Set by moderators: hides the answer.';
create index forum_answers_question_id_idx on public.forum_answers (question_id, created_at);
create index forum_answers_author_id_idx on public.forum_answers (author_id);

alter table public.forum_questions
  add constraint forum_questions_accepted_answer_fkey foreign key (accepted_answer_id, id)
  references public.forum_answers (id, question_id) on delete set null (accepted_answer_id);
create index forum_questions_accepted_answer_idx on public.forum_questions (accepted_answer_id, id);

create table public.forum_votes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  question_id uuid references public.forum_questions (id) on delete cascade,
  answer_id uuid references public.forum_answers (id) on delete cascade,
  value smallint not null check (value in (-1, 1)),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint forum_votes_one_target check (num_nonnulls(question_id, answer_id) = 1),
  unique (user_id, question_id),
  unique (user_id, answer_id)
);
comment on table public.forum_votes is 'An up/down vote on a question or an answer: one per user and target. Private to the voter.';
comment on column public.forum_votes.user_id is 'Voter.';
comment on column public.forum_votes.question_id is 'Question voted on (exactly one of question_id / answer_id).';
comment on column public.forum_votes.answer_id is 'Answer voted on (exactly one of question_id / answer_id).';
comment on column public.forum_votes.value is '+1 or -1.';
create index forum_votes_question_id_idx on public.forum_votes (question_id);
create index forum_votes_answer_id_idx on public.forum_votes (answer_id);

create table public.support_tickets (
  id uuid primary key default gen_random_uuid(),
  requester_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  assigned_agent_id uuid references auth.users (id) on delete set null,
  subject text not null check (char_length(btrim(subject)) between 1 and 200),
  description text not null check (char_length(description) <= 20000),
  category text not null default 'other'
    check (category in ('billing', 'technical', 'account', 'marketplace', 'echo_ai', 'feature_request', 'other')),
  priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  status text not null default 'open' check (status in ('open', 'pending', 'in_progress', 'resolved', 'closed')),
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.support_tickets is
  'A support request. The requester sees their own; support agents see, answer and update every ticket.';
comment on column public.support_tickets.requester_id is 'Who opened the ticket (auth.users.id).';
comment on column public.support_tickets.assigned_agent_id is 'Support agent handling the ticket.';
comment on column public.support_tickets.category is
  'billing | technical | account | marketplace | echo_ai | feature_request | other.';
comment on column public.support_tickets.priority is 'low | normal | high | urgent.';
comment on column public.support_tickets.status is 'open | pending | in_progress | resolved | closed.';
create index support_tickets_requester_id_idx on public.support_tickets (requester_id, created_at desc);
create index support_tickets_assigned_agent_id_idx on public.support_tickets (assigned_agent_id, status);
create index support_tickets_queue_idx on public.support_tickets (priority, created_at)
  where status in ('open', 'pending', 'in_progress');

create table public.ticket_messages (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references public.support_tickets (id) on delete cascade,
  author_id uuid default auth.uid() references auth.users (id) on delete set null,
  body text not null check (char_length(body) between 1 and 20000),
  is_internal boolean not null default false,
  attachments jsonb not null default '[]' check (jsonb_typeof(attachments) = 'array'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.ticket_messages is
  'A message on a ticket. Internal notes (is_internal) are for support agents only, never shown to the requester.';
comment on column public.ticket_messages.ticket_id is 'Ticket the message belongs to.';
comment on column public.ticket_messages.author_id is 'Author (requester or agent); null if their account was deleted.';
comment on column public.ticket_messages.is_internal is 'Agent-only note: invisible to the requester.';
create index ticket_messages_ticket_id_idx on public.ticket_messages (ticket_id, created_at);
create index ticket_messages_author_id_idx on public.ticket_messages (author_id);

-- Forum vote scores: kept by a SECURITY DEFINER trigger; users cannot write them.
create or replace function private.apply_forum_vote()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update public.forum_questions set vote_score = vote_score - old.value where id = old.question_id;
    update public.forum_answers set vote_score = vote_score - old.value where id = old.answer_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    update public.forum_questions set vote_score = vote_score + new.value where id = new.question_id;
    update public.forum_answers set vote_score = vote_score + new.value where id = new.answer_id;
  end if;
  return null;
end;
$$;
comment on function private.apply_forum_vote() is
  'AFTER INSERT/UPDATE/DELETE on forum_votes: adjusts vote_score of the question or answer.';
create trigger apply_vote after insert or update or delete on public.forum_votes
  for each row execute function private.apply_forum_vote();

create or replace function private.keep_vote_score()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated') then
    if tg_op = 'INSERT' then
      new.vote_score := 0;
    else
      new.vote_score := old.vote_score;
    end if;
  end if;
  return new;
end;
$$;
comment on function private.keep_vote_score() is
  'BEFORE INSERT/UPDATE on forum posts: API users cannot set vote_score (it starts at 0 and only votes move it).';
create trigger keep_vote_score before insert or update on public.forum_questions
  for each row execute function private.keep_vote_score();
create trigger keep_vote_score before insert or update on public.forum_answers
  for each row execute function private.keep_vote_score();

-- Row Level Security ----------------------------------------------------------------------
alter table public.kb_categories enable row level security;
alter table public.kb_articles enable row level security;
alter table public.kb_article_feedback enable row level security;
alter table public.forum_questions enable row level security;
alter table public.forum_answers enable row level security;
alter table public.forum_votes enable row level security;
alter table public.support_tickets enable row level security;
alter table public.ticket_messages enable row level security;

-- kb_categories, kb_articles: public when visible/published; support agents write.
create policy "kb_categories: visible are public" on public.kb_categories
  for select to anon, authenticated
  using (is_visible or (select private.is_support_agent()));
create policy "kb_categories: support inserts" on public.kb_categories
  for insert to authenticated
  with check ((select private.is_support_agent()));
create policy "kb_categories: support updates" on public.kb_categories
  for update to authenticated
  using ((select private.is_support_agent()))
  with check ((select private.is_support_agent()));
create policy "kb_categories: support deletes" on public.kb_categories
  for delete to authenticated
  using ((select private.is_support_agent()));

create policy "kb_articles: published are public" on public.kb_articles
  for select to anon, authenticated
  using (status = 'published' or (select private.is_support_agent()));
create policy "kb_articles: support writes as themselves" on public.kb_articles
  for insert to authenticated
  with check (author_id = (select auth.uid()) and (select private.is_support_agent()));
create policy "kb_articles: support updates" on public.kb_articles
  for update to authenticated
  using ((select private.is_support_agent()))
  with check ((select private.is_support_agent()));
create policy "kb_articles: support deletes" on public.kb_articles
  for delete to authenticated
  using ((select private.is_support_agent()));

-- kb_article_feedback: own feedback on published articles; support reads all.
create policy "kb_article_feedback: own or support reads" on public.kb_article_feedback
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_support_agent()));
create policy "kb_article_feedback: user rates published articles" on public.kb_article_feedback
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and exists (select 1 from public.kb_articles as a where a.id = article_id and a.status = 'published')
  );
create policy "kb_article_feedback: user updates own" on public.kb_article_feedback
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
create policy "kb_article_feedback: own or support deletes" on public.kb_article_feedback
  for delete to authenticated
  using (user_id = (select auth.uid()) or (select private.is_support_agent()));

-- forum_questions, forum_answers: public unless hidden; authors edit theirs; moderators all.
create policy "forum_questions: visible are public" on public.forum_questions
  for select to anon, authenticated
  using (not is_hidden or author_id = (select auth.uid()) or (select private.is_moderator()));
create policy "forum_questions: users ask as themselves" on public.forum_questions
  for insert to authenticated
  with check (author_id = (select auth.uid()));
create policy "forum_questions: author or moderator updates" on public.forum_questions
  for update to authenticated
  using (author_id = (select auth.uid()) or (select private.is_moderator()))
  with check (author_id = (select auth.uid()) or (select private.is_moderator()));
create policy "forum_questions: author or moderator deletes" on public.forum_questions
  for delete to authenticated
  using (author_id = (select auth.uid()) or (select private.is_moderator()));

create policy "forum_answers: visible are public" on public.forum_answers
  for select to anon, authenticated
  using (
    (not is_hidden and exists (select 1 from public.forum_questions as q where q.id = question_id))
    or author_id = (select auth.uid())
    or (select private.is_moderator())
  );
create policy "forum_answers: users answer open questions" on public.forum_answers
  for insert to authenticated
  with check (
    author_id = (select auth.uid())
    and exists (select 1 from public.forum_questions as q where q.id = question_id and q.status <> 'closed')
  );
create policy "forum_answers: author or moderator updates" on public.forum_answers
  for update to authenticated
  using (author_id = (select auth.uid()) or (select private.is_moderator()))
  with check (author_id = (select auth.uid()) or (select private.is_moderator()));
create policy "forum_answers: author or moderator deletes" on public.forum_answers
  for delete to authenticated
  using (author_id = (select auth.uid()) or (select private.is_moderator()));

-- forum_votes: private to the voter (scores are public on the posts); one vote per target.
create policy "forum_votes: voter or moderator reads" on public.forum_votes
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_moderator()));
create policy "forum_votes: users vote on visible posts" on public.forum_votes
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and (
      exists (select 1 from public.forum_questions as q
              where q.id = question_id and q.author_id <> (select auth.uid()))
      or exists (select 1 from public.forum_answers as a
                 where a.id = answer_id and a.author_id <> (select auth.uid()))
    )
  );
create policy "forum_votes: voter changes own vote" on public.forum_votes
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
create policy "forum_votes: voter or moderator deletes" on public.forum_votes
  for delete to authenticated
  using (user_id = (select auth.uid()) or (select private.is_moderator()));

-- support_tickets: requester reads own and opens tickets; support reads and updates all.
create policy "support_tickets: requester or support reads" on public.support_tickets
  for select to authenticated
  using (requester_id = (select auth.uid()) or (select private.is_support_agent()));
create policy "support_tickets: users open their own" on public.support_tickets
  for insert to authenticated
  with check (requester_id = (select auth.uid()));
create policy "support_tickets: support updates" on public.support_tickets
  for update to authenticated
  using ((select private.is_support_agent()))
  with check ((select private.is_support_agent()));
create policy "support_tickets: admin deletes" on public.support_tickets
  for delete to authenticated
  using ((select private.is_platform_admin()));

-- ticket_messages: the requester sees the public thread of their tickets; internal notes
-- are for support only. Requesters post public replies; agents post replies and notes.
create policy "ticket_messages: requester sees public thread, support all" on public.ticket_messages
  for select to authenticated
  using (
    (not is_internal
     and exists (select 1 from public.support_tickets as t
                 where t.id = ticket_id and t.requester_id = (select auth.uid())))
    or (select private.is_support_agent())
  );
create policy "ticket_messages: requester replies, support replies or notes" on public.ticket_messages
  for insert to authenticated
  with check (
    author_id = (select auth.uid())
    and (
      (not is_internal
       and exists (select 1 from public.support_tickets as t
                   where t.id = ticket_id and t.requester_id = (select auth.uid())))
      or (select private.is_support_agent())
    )
  );
create policy "ticket_messages: support updates" on public.ticket_messages
  for update to authenticated
  using ((select private.is_support_agent()))
  with check ((select private.is_support_agent()));
create policy "ticket_messages: admin deletes" on public.ticket_messages
  for delete to authenticated
  using ((select private.is_platform_admin()));

-- Column guards -------------------------------------------------------------------------
create trigger protect_columns before update on public.kb_articles
  for each row execute function private.protect_columns('nobody', 'author_id');
create trigger protect_columns before update on public.kb_article_feedback
  for each row execute function private.protect_columns('nobody', 'article_id', 'user_id');
create trigger protect_columns before update on public.forum_questions
  for each row execute function private.protect_columns('nobody', 'author_id');
create trigger protect_moderation before update on public.forum_questions
  for each row execute function private.protect_columns('moderator', 'is_hidden', 'moderation_note');
create trigger protect_columns before update on public.forum_answers
  for each row execute function private.protect_columns('nobody', 'question_id', 'author_id');
create trigger protect_moderation before update on public.forum_answers
  for each row execute function private.protect_columns('moderator', 'is_hidden', 'moderation_note');
create trigger protect_columns before update on public.forum_votes
  for each row execute function private.protect_columns('nobody', 'user_id', 'question_id', 'answer_id');
create trigger protect_columns before update on public.support_tickets
  for each row execute function private.protect_columns('nobody', 'requester_id');
create trigger protect_columns before update on public.ticket_messages
  for each row execute function private.protect_columns('nobody', 'ticket_id', 'author_id');
create trigger check_moderation before insert on public.forum_questions
  for each row execute function private.check_moderation_on_insert();
create trigger check_moderation before insert on public.forum_answers
  for each row execute function private.check_moderation_on_insert();

revoke all on function private.apply_forum_vote(), private.keep_vote_score() from public;

select private.apply_table_conventions();
