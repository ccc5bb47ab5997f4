"""complete schema of both domains

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 02:02:31.308012
"""

from collections.abc import Sequence

import pgvector.sqlalchemy
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table('creators',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('external_id', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_creators')),
    sa.UniqueConstraint('external_id', name=op.f('uq_creators_external_id'))
    )
    op.create_table('extraction_pages',
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('site_url', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('metadata', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('url', name=op.f('pk_extraction_pages'))
    )
    op.create_index(op.f('ix_extraction_pages_site_url'), 'extraction_pages', ['site_url'], unique=False)
    op.create_table('organizations',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('last_extracted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('name', name=op.f('uq_organizations_name'))
    )
    op.create_table('sync_batches',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('entity_type', sa.Text(), nullable=False),
    sa.Column('entity_id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.Enum('extraction', 'cleanup', name='batch_kind'), nullable=False),
    sa.Column('status', sa.Enum('pending', 'partially_reviewed', 'completed', 'superseded', name='batch_status'), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('workflow_id', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_batches'))
    )
    op.create_index('ix_sync_batches_entity', 'sync_batches', ['entity_type', 'entity_id', 'kind', 'status'], unique=False)
    op.create_table('tags',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('display_name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('kind', 'value', name='uq_tags_kind_value')
    )
    op.create_table('channels',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('creator_id', sa.UUID(), nullable=False),
    sa.Column('external_id', sa.Text(), nullable=False),
    sa.Column('visitor_id', sa.Text(), nullable=True),
    sa.Column('visitor_name', sa.Text(), nullable=True),
    sa.Column('visitor_avatar_url', sa.Text(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_channels_creator_id_creators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channels')),
    sa.UniqueConstraint('creator_id', 'external_id', name='uq_channels_creator_external')
    )
    op.create_index(op.f('ix_channels_creator_id'), 'channels', ['creator_id'], unique=False)
    op.create_table('clusters',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('creator_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.Enum('open', 'actioned', 'empty', name='cluster_status'), nullable=False),
    sa.Column('is_paid', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('centroid', pgvector.sqlalchemy.vector.VECTOR(dim=384), nullable=True),
    sa.Column('member_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('response_text', sa.Text(), nullable=True),
    sa.Column('summary_label', sa.Text(), nullable=True),
    sa.Column('summary_description', sa.Text(), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_clusters_creator_id_creators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clusters'))
    )
    op.create_index('ix_clusters_creator_status', 'clusters', ['creator_id', 'status'], unique=False)
    op.create_table('posts',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('organization_id', sa.UUID(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('contact', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('location', sa.Text(), nullable=True),
    sa.Column('schedule', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.Column('audience', sa.Text(), nullable=True),
    sa.Column('tags', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False),
    sa.Column('status', sa.Enum('pending_approval', 'active', 'rejected', 'archived', name='post_status'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('duplicate_of', sa.UUID(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['duplicate_of'], ['posts.id'], name=op.f('fk_posts_duplicate_of_posts')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_posts_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts'))
    )
    op.create_index('ix_posts_org_status', 'posts', ['organization_id', 'status'], unique=False)
    op.create_table('sources',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('organization_id', sa.UUID(), nullable=False),
    sa.Column('source_type', sa.Enum('website', 'instagram', 'facebook', 'x', 'tiktok', name='source_type'), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='source_status'), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('scrape_frequency_hours', sa.Integer(), nullable=False),
    sa.Column('last_scraped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_error_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_sources_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources'))
    )
    op.create_index(op.f('ix_sources_organization_id'), 'sources', ['organization_id'], unique=False)
    op.create_index('ix_sources_status_active', 'sources', ['status', 'active'], unique=False)
    op.create_table('messages',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('creator_id', sa.UUID(), nullable=False),
    sa.Column('channel_id', sa.UUID(), nullable=False),
    sa.Column('external_message_id', sa.Text(), nullable=False),
    sa.Column('sender_id', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('is_paid_dm', sa.Boolean(), nullable=False),
    sa.Column('embedding', pgvector.sqlalchemy.vector.VECTOR(dim=384), nullable=True),
    sa.Column('raw', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_messages_channel_id_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_messages_creator_id_creators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('external_message_id', name=op.f('uq_messages_external_message_id'))
    )
    op.create_index(op.f('ix_messages_channel_id'), 'messages', ['channel_id'], unique=False)
    op.create_index('ix_messages_creator_created', 'messages', ['creator_id', 'created_at'], unique=False)
    op.create_index('ix_messages_creator_text_hash', 'messages', ['creator_id', 'text_hash'], unique=False)
    op.create_index('ix_messages_embedding_hnsw', 'messages', ['embedding'], unique=False, postgresql_using='hnsw', postgresql_with={'m': 16, 'ef_construction': 64}, postgresql_ops={'embedding': 'vector_cosine_ops'})
    op.create_table('notes',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('organization_id', sa.UUID(), nullable=False),
    sa.Column('post_id', sa.UUID(), nullable=True),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_notes_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_notes_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes'))
    )
    op.create_index(op.f('ix_notes_organization_id'), 'notes', ['organization_id'], unique=False)
    op.create_table('post_revisions',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('post_id', sa.UUID(), nullable=False),
    sa.Column('content', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'applied', 'discarded', name='revision_status'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_revisions_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_revisions'))
    )
    op.create_index(op.f('ix_post_revisions_post_id'), 'post_revisions', ['post_id'], unique=False)
    op.create_table('post_sources',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('post_id', sa.UUID(), nullable=False),
    sa.Column('source_id', sa.UUID(), nullable=False),
    sa.Column('source_type', sa.Enum('website', 'instagram', 'facebook', 'x', 'tiktok', name='source_type'), nullable=False),
    sa.Column('page_url', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_sources_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_post_sources_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_sources')),
    sa.UniqueConstraint('post_id', 'source_id', 'page_url', name='uq_post_sources_link')
    )
    op.create_index(op.f('ix_post_sources_post_id'), 'post_sources', ['post_id'], unique=False)
    op.create_index(op.f('ix_post_sources_source_id'), 'post_sources', ['source_id'], unique=False)
    op.create_table('saved_replies',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('creator_id', sa.UUID(), nullable=False),
    sa.Column('cluster_id', sa.UUID(), nullable=True),
    sa.Column('question_text', sa.Text(), nullable=False),
    sa.Column('question_embedding', pgvector.sqlalchemy.vector.VECTOR(dim=384), nullable=False),
    sa.Column('response_text', sa.Text(), nullable=False),
    sa.Column('use_count', sa.Integer(), server_default='1', nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_saved_replies_cluster_id_clusters'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['creator_id'], ['creators.id'], name=op.f('fk_saved_replies_creator_id_creators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_replies'))
    )
    op.create_index(op.f('ix_saved_replies_creator_id'), 'saved_replies', ['creator_id'], unique=False)
    op.create_index('ix_saved_replies_embedding_hnsw', 'saved_replies', ['question_embedding'], unique=False, postgresql_using='hnsw', postgresql_with={'m': 16, 'ef_construction': 64}, postgresql_ops={'question_embedding': 'vector_cosine_ops'})
    op.create_table('social_sources',
    sa.Column('source_id', sa.UUID(), nullable=False),
    sa.Column('platform', sa.Enum('website', 'instagram', 'facebook', 'x', 'tiktok', name='source_type'), nullable=False),
    sa.Column('handle', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_social_sources_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', name=op.f('pk_social_sources')),
    sa.UniqueConstraint('platform', 'handle', name='uq_social_sources_handle')
    )
    op.create_table('website_sources',
    sa.Column('source_id', sa.UUID(), nullable=False),
    sa.Column('domain', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_website_sources_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', name=op.f('pk_website_sources')),
    sa.UniqueConstraint('domain', name=op.f('uq_website_sources_domain'))
    )
    op.create_table('cluster_messages',
    sa.Column('cluster_id', sa.UUID(), nullable=False),
    sa.Column('message_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.Enum('active', 'actioned', 'externally_handled', 'superseded', 'removed', name='cluster_message_status'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_cluster_messages_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_cluster_messages_message_id_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cluster_id', 'message_id', name=op.f('pk_cluster_messages'))
    )
    op.create_index('ix_cluster_messages_cluster_status', 'cluster_messages', ['cluster_id', 'status'], unique=False)
    op.create_index('ix_cluster_messages_message', 'cluster_messages', ['message_id'], unique=False)
    op.create_table('deliveries',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('cluster_id', sa.UUID(), nullable=False),
    sa.Column('channel_id', sa.UUID(), nullable=False),
    sa.Column('message_id', sa.UUID(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'delivered', 'failed', name='delivery_status'), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('external_id', sa.Text(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_deliveries_channel_id_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_deliveries_cluster_id_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_deliveries_message_id_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('cluster_id', 'channel_id', name='uq_deliveries_cluster_channel')
    )
    op.create_index(op.f('ix_deliveries_cluster_id'), 'deliveries', ['cluster_id'], unique=False)
    op.create_table('proposed_operations',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('batch_id', sa.UUID(), nullable=False),
    sa.Column('operation', sa.Enum('insert', 'update', 'delete', 'merge', name='operation_kind'), nullable=False),
    sa.Column('target_post_id', sa.UUID(), nullable=True),
    sa.Column('draft_post_id', sa.UUID(), nullable=True),
    sa.Column('revision_id', sa.UUID(), nullable=True),
    sa.Column('expected_version', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', 'failed', 'superseded', name='proposal_status'), nullable=False),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('reviewed_by', sa.Text(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['sync_batches.id'], name=op.f('fk_proposed_operations_batch_id_sync_batches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['draft_post_id'], ['posts.id'], name=op.f('fk_proposed_operations_draft_post_id_posts')),
    sa.ForeignKeyConstraint(['revision_id'], ['post_revisions.id'], name=op.f('fk_proposed_operations_revision_id_post_revisions')),
    sa.ForeignKeyConstraint(['target_post_id'], ['posts.id'], name=op.f('fk_proposed_operations_target_post_id_posts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposed_operations'))
    )
    op.create_index(op.f('ix_proposed_operations_batch_id'), 'proposed_operations', ['batch_id'], unique=False)
    op.create_index(op.f('ix_proposed_operations_status'), 'proposed_operations', ['status'], unique=False)
    op.create_index(op.f('ix_proposed_operations_target_post_id'), 'proposed_operations', ['target_post_id'], unique=False)
    op.create_table('proposal_merge_sources',
    sa.Column('proposal_id', sa.UUID(), nullable=False),
    sa.Column('post_id', sa.UUID(), nullable=False),
    sa.Column('expected_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_proposal_merge_sources_post_id_posts')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposed_operations.id'], name=op.f('fk_proposal_merge_sources_proposal_id_proposed_operations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'post_id', name=op.f('pk_proposal_merge_sources'))
    )


def downgrade() -> None:
    op.drop_table('proposal_merge_sources')
    op.drop_index(op.f('ix_proposed_operations_target_post_id'), table_name='proposed_operations')
    op.drop_index(op.f('ix_proposed_operations_status'), table_name='proposed_operations')
    op.drop_index(op.f('ix_proposed_operations_batch_id'), table_name='proposed_operations')
    op.drop_table('proposed_operations')
    op.drop_index(op.f('ix_deliveries_cluster_id'), table_name='deliveries')
    op.drop_table('deliveries')
    op.drop_index('ix_cluster_messages_message', table_name='cluster_messages')
    op.drop_index('ix_cluster_messages_cluster_status', table_name='cluster_messages')
    op.drop_table('cluster_messages')
    op.drop_table('website_sources')
    op.drop_table('social_sources')
    op.drop_index('ix_saved_replies_embedding_hnsw', table_name='saved_replies', postgresql_using='hnsw', postgresql_with={'m': 16, 'ef_construction': 64}, postgresql_ops={'question_embedding': 'vector_cosine_ops'})
    op.drop_index(op.f('ix_saved_replies_creator_id'), table_name='saved_replies')
    op.drop_table('saved_replies')
    op.drop_index(op.f('ix_post_sources_source_id'), table_name='post_sources')
    op.drop_index(op.f('ix_post_sources_post_id'), table_name='post_sources')
    op.drop_table('post_sources')
    op.drop_index(op.f('ix_post_revisions_post_id'), table_name='post_revisions')
    op.drop_table('post_revisions')
    op.drop_index(op.f('ix_notes_organization_id'), table_name='notes')
    op.drop_table('notes')
    op.drop_index('ix_messages_embedding_hnsw', table_name='messages', postgresql_using='hnsw', postgresql_with={'m': 16, 'ef_construction': 64}, postgresql_ops={'embedding': 'vector_cosine_ops'})
    op.drop_index('ix_messages_creator_text_hash', table_name='messages')
    op.drop_index('ix_messages_creator_created', table_name='messages')
    op.drop_index(op.f('ix_messages_channel_id'), table_name='messages')
    op.drop_table('messages')
    op.drop_index('ix_sources_status_active', table_name='sources')
    op.drop_index(op.f('ix_sources_organization_id'), table_name='sources')
    op.drop_table('sources')
    op.drop_index('ix_posts_org_status', table_name='posts')
    op.drop_table('posts')
    op.drop_index('ix_clusters_creator_status', table_name='clusters')
    op.drop_table('clusters')
    op.drop_index(op.f('ix_channels_creator_id'), table_name='channels')
    op.drop_table('channels')
    op.drop_table('tags')
    op.drop_index('ix_sync_batches_entity', table_name='sync_batches')
    op.drop_table('sync_batches')
    op.drop_table('organizations')
    op.drop_index(op.f('ix_extraction_pages_site_url'), table_name='extraction_pages')
    op.drop_table('extraction_pages')
    op.drop_table('creators')
    sa.Enum(name='batch_kind').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='batch_status').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='cluster_message_status').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='cluster_status').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='delivery_status').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='operation_kind').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='post_status').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='proposal_status').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='revision_status').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='source_status').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='source_type').drop(op.get_bind(), checkfirst=True)
