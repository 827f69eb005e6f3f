import test from 'ava';
import {Box} from 'ink';
import {render} from 'ink-testing-library';
import {WebhookList} from '../../source/ui/components/WebhookList.js';
import type {Webhook} from '../../source/ui/model.js';
import {plain} from '../helpers/ink.js';

const ours = 'https://bot.example.com/wtwebhook';

function webhook(index: number, extra: Partial<Webhook> = {}): Webhook {
	return {
		id: `wh-${index}`,
		name: `hook-${String(index).padStart(4, '0')}`,
		targetUrl: 'https://elsewhere.example.com/hook',
		resource: 'messages',
		event: 'created',
		status: 'active',
		created: '2026-01-01T00:00:00.000Z',
		...extra,
	};
}

test('of 1,000 webhooks only the visible window is drawn', t => {
	const webhooks = Array.from({length: 1000}, (_, index) => webhook(index));
	const {lastFrame} = render(<WebhookList webhooks={webhooks} selected={995} offset={990} height={10} ownTarget={ours} focused loading={false} />);
	const frame = plain(lastFrame());
	t.is(frame.match(/hook-\d{4}/g)?.length, 10);
	t.regex(frame, /hook-0990/);
	t.regex(frame, /❯\s+hook-0995/);
	t.regex(frame, /hook-0999/);
	t.notRegex(frame, /hook-0989/);
	t.regex(frame, /996\/1000/);
});

test('a row shows status, whether there is a secret (never the secret), and marks webhooks of this listener', t => {
	const webhooks = [
		webhook(0, {targetUrl: ours, secret: 'super-secret-value', filter: 'mentionedPeople=me'}),
		webhook(1, {status: 'inactive'}),
	];
	const {lastFrame} = render(<WebhookList webhooks={webhooks} selected={1} offset={0} height={5} ownTarget={ours} focused loading={false} />);
	const frame = plain(lastFrame());
	t.regex(frame, /◆\s+hook-0000\s+messages:created\s+mentionedPeople=me.*active\s+yes/);
	t.regex(frame, /hook-0001\s+messages:created\s+—.*inactive\s+no/);
	t.false(frame.includes('super-secret-value'));
	t.regex(frame, /“hook-0001” is inactive: press a to reactivate/);
});

test('at 80 and 60 columns no row or heading is wider than the terminal; narrower columns abbreviate or drop out', t => {
	const webhooks = [webhook(0, {name: 'a-very-long-webhook-name-indeed', targetUrl: ours, secret: 'x', filter: 'roomId=Y2lzY29zcGFyazovL3VzL1JPT00vYWJj'}), webhook(1, {status: 'inactive'})];
	for (const width of [80, 60]) {
		const {lastFrame, unmount} = render(
			<Box width={width}>
				<WebhookList webhooks={webhooks} selected={0} offset={0} height={2} width={width} ownTarget={ours} focused />
			</Box>,
		);
		const frame = plain(lastFrame());
		t.deepEqual(frame.split('\n').filter(line => [...line].length > width), [], `${width} columns`);
		t.regex(frame, /NAME\s+KIND\s/);
		t.regex(frame, /msg:created/);
		t.regex(frame, /inactive/);
		t.is(/SECRET/.test(frame), width === 80, 'the secret column drops out at 60');
		unmount();
	}
});
