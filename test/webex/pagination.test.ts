import test from 'ava';
import {collect, paginate, parseNextLink, type Page} from '../../source/webex/pagination.js';

test('finds the next link among several relations, in any order', t => {
	const header = '<https://webexapis.com/v1/rooms?cursor=p>; rel="prev", <https://webexapis.com/v1/rooms?max=5&cursor=abc>; rel="next"';
	t.is(parseNextLink(header), 'https://webexapis.com/v1/rooms?max=5&cursor=abc');
});

test('keeps commas and semicolons inside the target, and accepts an unquoted or multi-valued rel', t => {
	t.is(parseNextLink('<https://x.test/v1/people?id=a,b;c>; rel=next'), 'https://x.test/v1/people?id=a,b;c');
	t.is(parseNextLink('<https://x.test/v1/webhooks?cursor=2>; title="x"; REL="last next"'), 'https://x.test/v1/webhooks?cursor=2');
});

test('has no next page without a rel="next" link', t => {
	t.is(parseNextLink(null), undefined);
	t.is(parseNextLink(''), undefined);
	t.is(parseNextLink('<https://x.test/v1/rooms?cursor=1>; rel="first"'), undefined);
});

test('resolves a relative next link against the page it came from', t => {
	t.is(parseNextLink('</v1/webhooks?cursor=9>; rel="next"', 'http://127.0.0.1:9/v1/webhooks?max=2'), 'http://127.0.0.1:9/v1/webhooks?cursor=9');
});

test('paginate reads through empty pages until there is no next link', async t => {
	const pages: Record<string, Page<number>> = {
		a: {items: [1, 2], next: 'b'},
		b: {items: [], next: 'c'},
		c: {items: [3]},
	};
	const fetched: string[] = [];
	const items = await collect(paginate('a', async url => {
		fetched.push(url);
		return pages[url]!;
	}));
	t.deepEqual(items, [1, 2, 3]);
	t.deepEqual(fetched, ['a', 'b', 'c']);
});

test('paginate fetches a page only when the caller reaches it', async t => {
	const fetched: string[] = [];
	for await (const item of paginate('a', async url => {
		fetched.push(url);
		return {items: [url], next: url + 'x'};
	})) {
		if (item === 'axx') {
			break;
		}
	}

	t.deepEqual(fetched, ['a', 'ax', 'axx']);
});

test('paginate stops with an error when a next link points back at a page already read', async t => {
	const error = await t.throwsAsync(collect(paginate('a', async url => ({items: [url], next: url === 'a' ? 'b' : 'a'}))));
	t.regex(error.message, /loops/);
});
