-- Nexus Platform — reference and demo data.
--
-- Plain SQL (the Supabase CLI runs it as the seed). Idempotent: every insert targets a
-- natural unique key with ON CONFLICT DO NOTHING, so running it twice changes nothing.
-- Rows that belong to a demo user are inserted only when that user exists in auth.users
-- (looked up by email), so the file runs before or after the demo users are created.

-- AI models ----------------------------------------------------------------------------
insert into public.ai_models
  (id, slug, name, provider, provider_model_id, modality, description, capabilities, context_window,
   input_price_per_million, output_price_per_million, is_active, is_default)
values
  ('0a1d0000-0000-4000-8000-000000000001', 'echo-core', 'Echo Core', 'nexus', 'echo-core-2025-01', 'text',
   'Nexus''s own assistant model behind Echo AI: chat, planning and copywriting.',
   array['chat', 'planning', 'copywriting', 'tool_use'], 128000, 1.00, 4.00, true, true),
  ('0a1d0000-0000-4000-8000-000000000002', 'gpt-4o', 'GPT-4o', 'openai', 'gpt-4o', 'multimodal',
   'OpenAI multimodal model for text and image understanding.',
   array['chat', 'vision', 'tool_use'], 128000, 2.50, 10.00, true, true),
  ('0a1d0000-0000-4000-8000-000000000003', 'claude-3-5-sonnet', 'Claude 3.5 Sonnet', 'anthropic',
   'claude-3-5-sonnet-20241022', 'text', 'Anthropic model for long-form writing and analysis.',
   array['chat', 'long_context', 'tool_use'], 200000, 3.00, 15.00, true, false),
  ('0a1d0000-0000-4000-8000-000000000004', 'stable-diffusion-xl', 'Stable Diffusion XL', 'stability',
   'stable-diffusion-xl-1024-v1-0', 'image', 'Image generation for thumbnails, covers and storyboards.',
   array['text_to_image', 'image_to_image'], null, null, null, true, true),
  ('0a1d0000-0000-4000-8000-000000000005', 'whisper-large-v3', 'Whisper large-v3', 'openai', 'whisper-1',
   'audio', 'Speech-to-text for captions and transcripts.',
   array['transcription', 'translation'], null, null, null, true, true),
  ('0a1d0000-0000-4000-8000-000000000006', 'text-embedding-3-small', 'Text Embedding 3 Small', 'openai',
   'text-embedding-3-small', 'embedding', 'Embeddings for semantic search over content and the knowledge base.',
   array['embedding'], 8191, 0.02, null, true, true),
  ('0a1d0000-0000-4000-8000-000000000007', 'echo-legacy', 'Echo Legacy', 'nexus', 'echo-core-2024-06', 'text',
   'Previous Echo model, retired (kept for history of past interactions).',
   array['chat'], 32000, 0.50, 1.50, false, false)
on conflict do nothing;

-- Workflow templates (official, no author) ---------------------------------------------------
insert into public.workflow_templates
  (id, slug, name, description, category, created_by, visibility, is_official, ai_model_id, steps,
   estimated_minutes)
values
  ('0f1e0000-0000-4000-8000-000000000001', 'video-to-social-clips', 'Video to social clips',
   'Cut a long video into short vertical clips with captions, ready to schedule.', 'video_editing', null,
   'public', true, '0a1d0000-0000-4000-8000-000000000005',
   '[{"step": "transcribe"}, {"step": "detect_highlights"}, {"step": "reframe_vertical"}, {"step": "caption"}]',
   15),
  ('0f1e0000-0000-4000-8000-000000000002', 'blog-post-from-brief', 'Blog post from a brief',
   'Turn a short brief into an outline, a draft and SEO metadata in your style profile.', 'content_creation',
   null, 'public', true, '0a1d0000-0000-4000-8000-000000000001',
   '[{"step": "outline"}, {"step": "draft"}, {"step": "apply_style_profile"}, {"step": "seo_metadata"}]', 10),
  ('0f1e0000-0000-4000-8000-000000000003', 'weekly-social-calendar', 'Weekly social calendar',
   'Plan a week of posts across connected accounts from one campaign goal.', 'social_media', null, 'public',
   true, '0a1d0000-0000-4000-8000-000000000001',
   '[{"step": "campaign_goal"}, {"step": "post_ideas"}, {"step": "write_posts"}, {"step": "schedule"}]', 20),
  ('0f1e0000-0000-4000-8000-000000000004', 'monthly-performance-report', 'Monthly performance report',
   'Summarise a month of content, social and marketplace metrics into a report.', 'analytics', null, 'public',
   true, '0a1d0000-0000-4000-8000-000000000003',
   '[{"step": "collect_metrics"}, {"step": "summarise"}, {"step": "recommendations"}]', 5),
  ('0f1e0000-0000-4000-8000-000000000005', 'product-launch-kit', 'Product launch kit',
   'Announcement copy, cover images and a launch-week post sequence.', 'marketing', null, 'public', true,
   '0a1d0000-0000-4000-8000-000000000002',
   '[{"step": "positioning"}, {"step": "announcement"}, {"step": "cover_images"}, {"step": "post_sequence"}]',
   30)
on conflict do nothing;

-- Knowledge base ----------------------------------------------------------------------------
insert into public.kb_categories (id, slug, name, description, icon, position)
values
  ('0b0c0000-0000-4000-8000-000000000001', 'getting-started', 'Getting started',
   'Create your account, your first workspace and invite your team.', 'rocket', 0),
  ('0b0c0000-0000-4000-8000-000000000002', 'echo-ai', 'Echo AI',
   'How the assistant learns your style and what it does with your data.', 'sparkles', 1),
  ('0b0c0000-0000-4000-8000-000000000003', 'content-and-editing', 'Content and editing',
   'Projects, content items and the timeline editor.', 'film', 2),
  ('0b0c0000-0000-4000-8000-000000000004', 'social-media', 'Social media',
   'Connect accounts, schedule posts and monitor mentions.', 'megaphone', 3),
  ('0b0c0000-0000-4000-8000-000000000005', 'marketplace', 'Marketplace',
   'Buying, selling, reviews and payouts.', 'store', 4),
  ('0b0c0000-0000-4000-8000-000000000006', 'billing', 'Billing and plans',
   'Plans, invoices, seats and cancellations.', 'credit-card', 5)
on conflict do nothing;

insert into public.kb_articles (id, category_id, author_id, slug, title, summary, body, status, tags, published_at)
select a.id::uuid, c.id, null, a.slug, a.title, a.summary, a.body, 'published', a.tags, now()
from (values
  ('0b0a0000-0000-4000-8000-000000000001', 'getting-started', 'create-your-first-workspace',
   'Create your first workspace',
   'A workspace holds your team''s projects, content and social accounts.',
   'Open the workspace menu and choose "New workspace". Give it a name and a URL slug. You become its owner: '
   'you can invite members as admins, editors or viewers. Admins manage members, editors create and edit '
   'content, viewers can only read.',
   array['workspace', 'onboarding']),
  ('0b0a0000-0000-4000-8000-000000000002', 'getting-started', 'workspace-roles-explained',
   'Workspace roles explained',
   'Owner, admin, editor and viewer: who can do what.',
   'Owners can do everything, including granting the owner role and deleting the workspace. Admins add and '
   'remove members and change their roles (except owners). Editors create, edit and delete projects, '
   'content, timelines and social posts. Viewers read everything in the workspace. Nobody can change their '
   'own role.',
   array['workspace', 'roles', 'permissions']),
  ('0b0a0000-0000-4000-8000-000000000003', 'echo-ai', 'what-echo-ai-learns',
   'What Echo AI learns about you',
   'Echo AI keeps your interaction history, patterns and insights private to you.',
   'Echo AI records your conversations and the suggestions you accept or dismiss, and derives patterns and '
   'insights from them. Only you can read this history. You can delete any interaction at any time, and '
   'turn proactive suggestions down or off in your preferences.',
   array['echo', 'privacy']),
  ('0b0a0000-0000-4000-8000-000000000004', 'social-media', 'connect-a-social-account',
   'Connect a social account',
   'Link X, Instagram, LinkedIn and more to schedule posts.',
   'In a workspace, open Social > Accounts and choose a network. You will be sent to the network to approve '
   'access. Nexus stores the access tokens encrypted on the server; they are never shown in the app, not '
   'even to workspace owners.',
   array['social', 'oauth']),
  ('0b0a0000-0000-4000-8000-000000000005', 'marketplace', 'reviewing-a-purchase',
   'Reviewing a marketplace purchase',
   'Only buyers can review an item, once.',
   'After a completed purchase, open the item page and rate it from 1 to 5 stars. You can edit or delete '
   'your review later. Reviews that break the community guidelines may be hidden by moderators.',
   array['marketplace', 'reviews']),
  ('0b0a0000-0000-4000-8000-000000000006', 'billing', 'change-or-cancel-your-plan',
   'Change or cancel your plan',
   'Upgrade, downgrade or cancel at the end of the billing period.',
   'Open Settings > Billing. Upgrades apply immediately and are prorated. Cancellations take effect at the '
   'end of the current billing period; you keep your plan until then.',
   array['billing', 'subscription'])
) as a (id, category_slug, slug, title, summary, body, tags)
join public.kb_categories as c on c.slug = a.category_slug
on conflict do nothing;

-- Demo workspace, owned by the ws_owner persona when that user exists ------------------------
-- (the AFTER INSERT trigger on workspaces adds the owner membership)
insert into public.workspaces (id, owner_id, name, slug, description)
select '0d0e0000-0000-4000-8000-000000000001', u.id, 'Nexus Demo', 'nexus-demo',
       'Demo workspace shared by the demo cast: one member per workspace role.'
from auth.users as u
where lower(u.email) = 'wendy.wsowner@nexus.test'
on conflict do nothing;

-- Memberships of the demo cast, by email; users that do not exist yet are skipped.
insert into public.workspace_memberships (workspace_id, user_id, role, invited_by)
select w.id, u.id, m.role, w.owner_id
from (values
  ('wendy.wsowner@nexus.test', 'owner'),
  ('adam.wsadmin@nexus.test', 'admin'),
  ('eddie.editor@nexus.test', 'editor'),
  ('vera.viewer@nexus.test', 'viewer')
) as m (email, role)
join auth.users as u on lower(u.email) = m.email
join public.workspaces as w on w.slug = 'nexus-demo'
on conflict (workspace_id, user_id) do nothing;
