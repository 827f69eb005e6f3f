// Every field of one webhook; the secret only as "set", never its value. The
// id and the target wrap (they are what an operator copies); the other fields
// are cut at the edge, and the least needed come last, where a short terminal
// cuts them first.
import type {Webhook} from '../model.js';
import {maskedSecret, resourceEvent} from '../format.js';
import {Box} from './Box.js';
import {Text} from './Text.js';

export interface WebhookDetailProps {
	webhook: Webhook;
	ownTarget: string | undefined;
}

function Field({label, children, color, whole = false}: {label: string; children: string; color?: string; whole?: boolean}) {
	return (
		<Box flexShrink={0}>
			<Box width={10} flexShrink={0}>
				<Text dimColor>{label}</Text>
			</Box>
			<Box flexGrow={1} flexShrink={1} flexBasis={0}>
				<Text color={color} wrap={whole ? 'wrap' : 'truncate-end'}>
					{children}
				</Text>
			</Box>
		</Box>
	);
}

export function WebhookDetail({webhook, ownTarget}: WebhookDetailProps) {
	const own = webhook.targetUrl === ownTarget;
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} flexShrink={1} overflowY="hidden">
			<Box flexShrink={0}>
				<Text bold wrap="truncate-end">{`Webhook ${webhook.name}`}</Text>
			</Box>
			<Field label="id" whole>
				{webhook.id}
			</Field>
			<Field label="target" color={own ? 'cyan' : undefined} whole>
				{own ? `${webhook.targetUrl}  ◆ this listener` : webhook.targetUrl}
			</Field>
			<Field label="status" color={webhook.status === 'active' ? 'green' : 'red'}>
				{webhook.status === 'active' ? 'active' : 'inactive (press a to reactivate)'}
			</Field>
			<Field label="name">{webhook.name}</Field>
			<Field label="kind">{resourceEvent(webhook.resource, webhook.event)}</Field>
			<Field label="filter">{webhook.filter ?? '(none)'}</Field>
			<Field label="secret">{maskedSecret(webhook.secret)}</Field>
			<Field label="created">{webhook.created}</Field>
			<Field label="ownedBy">{webhook.ownedBy ?? '—'}</Field>
			<Field label="createdBy">{webhook.createdBy ?? '—'}</Field>
			<Field label="orgId">{webhook.orgId ?? '—'}</Field>
			<Field label="appId">{webhook.appId ?? '—'}</Field>
		</Box>
	);
}
