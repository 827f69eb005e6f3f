// The catch-up watermark: the Webex time (epoch ms, Webex's clock, never ours)
// up to which the listener knows it was receiving. Catch-up after downtime
// starts from it. A second row, `swept`, is where the last catch-up pass that
// read everything ended (deliveries never move it). One row each per listener
// store; writes only move them forward, so replicas sharing a PostgreSQL
// database never move them back.
import {migrateStore, type StoreMigration} from '../../source/sql/migrate.js';
import type {SqlStore} from './sql.js';

export const watermarkMigrations: readonly StoreMigration[] = [
	{
		name: 'watermark/1-table',
		sql: 'CREATE TABLE IF NOT EXISTS listener_watermark (name TEXT PRIMARY KEY NOT NULL, webex_at BIGINT NOT NULL, written_at BIGINT NOT NULL)',
	},
];

export interface WatermarkStore {
	/** The durable value, undefined on the very first start. */
	read(): Promise<number | undefined>;
	/** Moves it to `webexAt` unless it is already later. */
	write(webexAt: number): Promise<void>;
}

/** `receiving`: raised by deliveries and passes; `swept`: by passes only. */
export type WatermarkName = 'receiving' | 'swept';

const sql = {
	read: 'SELECT webex_at FROM listener_watermark WHERE name = $1',
	// Portable upsert (SQLite ≥ 3.24, PostgreSQL ≥ 9.5); CASE rather than GREATEST/max, which differ.
	write: `INSERT INTO listener_watermark (name, webex_at, written_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET
			webex_at = CASE WHEN excluded.webex_at > listener_watermark.webex_at THEN excluded.webex_at ELSE listener_watermark.webex_at END,
			written_at = excluded.written_at`,
};

/** Applies the watermark's migration, then reads and writes the row named `key`. */
export async function openWatermarkStore(store: SqlStore, clock: () => number = Date.now, key: WatermarkName = 'receiving'): Promise<WatermarkStore> {
	await migrateStore(store, watermarkMigrations);
	return {
		async read() {
			const row = await store.get<{webex_at: number | string}>(sql.read, [key]);
			return row === undefined ? undefined : Number(row.webex_at);
		},
		async write(webexAt) {
			await store.run(sql.write, [key, Math.floor(webexAt), clock()]);
		},
	};
}

export interface Watermark {
	/** The durable value as read at open (or last written). */
	readonly durable: number | undefined;
	/** Raises the value to write; at most one write per `minIntervalMs` follows (none while `hold` is on). */
	advance(webexAt: number): void;
	/** While held (a gap is not yet caught up) nothing is written, whatever arrives. */
	hold(held: boolean): void;
	/** Writes what is pending now (clean shutdown, a finished catch-up pass). */
	flush(): Promise<void>;
}

/**
 * The write-behind in front of the store: deliveries raise the value in
 * memory, and one write a second at most makes it durable, so the hot path
 * never waits on it. A failed write is kept and tried at the next one.
 */
export async function createWatermark(store: WatermarkStore, options: {minIntervalMs?: number; onError?: (error: unknown) => void} = {}): Promise<Watermark> {
	const minIntervalMs = options.minIntervalMs ?? 1000;
	let durable = await store.read();
	let pending: number | undefined;
	let held = false;
	let lastWrite = 0;
	let timer: NodeJS.Timeout | undefined;
	let writing: Promise<void> = Promise.resolve();

	const flush = async () => {
		if (timer) clearTimeout(timer);
		timer = undefined;
		await writing;
		if (held || pending === undefined || (durable !== undefined && pending <= durable)) return;
		const value = pending;
		lastWrite = Date.now();
		writing = store.write(value).then(
			() => {
				durable = Math.max(durable ?? value, value);
			},
			(error: unknown) => options.onError?.(error),
		);
		await writing;
	};

	const schedule = () => {
		if (timer || held) return;
		const wait = Math.max(0, lastWrite + minIntervalMs - Date.now());
		timer = setTimeout(() => void flush(), wait);
		timer.unref();
	};

	return {
		get durable() {
			return durable;
		},
		advance(webexAt) {
			if (pending !== undefined && webexAt <= pending) return;
			pending = webexAt;
			schedule();
		},
		hold(value) {
			held = value;
			if (held && timer) {
				clearTimeout(timer);
				timer = undefined;
			}
			if (!held) schedule();
		},
		flush,
	};
}
