// Group commit for SQLite without blocking the event loop.
//
// The database runs in WAL mode with synchronous=NORMAL: a COMMIT appends its
// pages to the -wal file with write() and returns, without an fsync. That
// survives the process dying (the pages are in the kernel) but not a power
// loss or a kernel crash: the last commits can vanish. synchronous=FULL adds
// exactly one thing in WAL mode, an fsync of the -wal file after each commit
// (https://www.sqlite.org/pragma.html#pragma_synchronous), and
// better-sqlite3 would run it on the event loop: ~4 ms of a stalled listener
// per commit on this disk, several times per reply.
//
// So the same fsync is done here instead, once for everyone waiting: durable()
// fdatasyncs the -wal file on libuv's thread pool and resolves when it is on
// disk. Callers arriving while a sync runs share the next one (their commits
// may have missed the running one), so at most one sync is in flight and one
// waits, whatever the rate: a burst of deliveries costs two fsyncs, not one
// each. Checkpoints keep NORMAL's own syncs (the WAL before, the database
// after), so a frame made durable here stays durable once checkpointed.
import {open, type FileHandle} from 'node:fs/promises';
import path from 'node:path';

export interface WalSync {
	/** Resolves once every commit made before the call is on disk. */
	durable(): Promise<void>;
	close(): Promise<void>;
}

/**
 * Shares `sync` between callers: a call while none runs starts one; calls
 * while one runs share the next, started when it ends (it may have begun
 * before their commits). At most one runs and one waits.
 */
export function groupCommit(sync: () => Promise<void>): () => Promise<void> {
	let running: Promise<void> | undefined;
	let queued: Promise<void> | undefined;
	const start = (): Promise<void> => {
		const done = sync().finally(() => {
			if (running === done) running = undefined;
		});
		running = done;
		return done;
	};
	return () => {
		if (!running) return start();
		queued ??= running
			.catch(() => undefined)
			.then(() => {
				queued = undefined;
				return start();
			});
		return queued;
	};
}

/** For a database file (not ':memory:', which has nothing to sync). */
export function walSync(databaseFile: string): WalSync {
	const walFile = `${databaseFile}-wal`;
	let handle: Promise<FileHandle> | undefined;
	let last: Promise<void> = Promise.resolve();

	const openWal = async () => {
		const file = await open(walFile, 'r');
		// Once: the -wal file's directory entry, created with the first write, must survive too.
		const directory = await open(path.dirname(walFile), 'r');
		try {
			await directory.sync();
		} finally {
			await directory.close();
		}
		return file;
	};

	const durable = groupCommit(() => {
		last = (async () => {
			handle ??= openWal();
			try {
				await (await handle).datasync();
			} catch (error) {
				// Opening failed (no -wal yet means no commit yet): try again next time.
				handle = undefined;
				if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
			}
		})();
		return last;
	});

	return {
		durable,
		async close() {
			await last.catch(() => undefined);
			const file = handle;
			handle = undefined;
			await (await file?.catch(() => undefined))?.close();
		},
	};
}
