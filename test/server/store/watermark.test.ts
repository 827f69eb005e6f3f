// The catch-up watermark: durable, forward only, and written behind the hot
// path (at most once per interval, never while a gap is held).
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {createWatermark, openWatermarkStore, type WatermarkStore} from '../../../server/store/watermark.js';
import {backends} from '../../helpers/databases.js';
import {openTestStore} from '../../helpers/stores.js';

for (const backend of backends) {
	test(`${backend.name}: absent on the very first start, then durable and never moved back`, async t => {
		const sql = await openTestStore(t, backend);
		const store = await openWatermarkStore(sql);
		t.is(await store.read(), undefined);
		await store.write(1_764_000_000_123);
		t.is(await store.read(), 1_764_000_000_123);
		await store.write(1_764_000_000_000);
		t.is(await store.read(), 1_764_000_000_123, 'an older value (a slower replica) does not move it back');
		// Opening again (a restart) keeps it: the migration is named and applied once.
		t.is(await (await openWatermarkStore(sql)).read(), 1_764_000_000_123);
		t.truthy(await sql.get("SELECT name FROM store_migrations WHERE name = 'watermark/1-table'"));
	});
}

/** Counts writes, to see what the hot path costs. */
function countingStore(inner: WatermarkStore): WatermarkStore & {writes: number[]} {
	const writes: number[] = [];
	return {
		writes,
		read: () => inner.read(),
		async write(value) {
			writes.push(value);
			await inner.write(value);
		},
	};
}

test('a thousand deliveries a second cost one write a second at most; flush writes what is pending', async t => {
	const store = countingStore(await openWatermarkStore(await openTestStore(t, backends[0]!)));
	const watermark = await createWatermark(store, {minIntervalMs: 200});
	const start = 1_764_000_000_000;
	for (let index = 1; index <= 1000; index++) watermark.advance(start + index);
	await sleep(50);
	for (let index = 1001; index <= 2000; index++) watermark.advance(start + index);
	await sleep(300);
	t.true(store.writes.length <= 2, `${store.writes.length} writes`);
	await watermark.flush();
	t.is(await store.read(), start + 2000);
	t.is(watermark.durable, start + 2000);
});

test('while a gap is held nothing is written, whatever arrives; released, the highest value is', async t => {
	const store = countingStore(await openWatermarkStore(await openTestStore(t, backends[0]!)));
	await store.write(1000);
	store.writes.length = 0;
	const watermark = await createWatermark(store, {minIntervalMs: 10});
	t.is(watermark.durable, 1000);
	watermark.hold(true);
	watermark.advance(5000);
	await sleep(50);
	await watermark.flush();
	t.deepEqual(store.writes, [], 'held: not even at a clean shutdown');
	t.is(await store.read(), 1000);
	watermark.hold(false);
	await watermark.flush();
	t.is(await store.read(), 5000);
});
