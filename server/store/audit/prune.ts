// Removes entries older than the retention, oldest first, and leaves a
// checkpoint so what remains still verifies. Only a prefix of the chain is
// ever removed (everything before the first entry made at or after `before`),
// and a chained `prune` entry records the last entry removed and its hash:
// the first remaining entry must link to exactly that. The checkpoint is the
// newest entry when written, so a later prune never removes the checkpoint
// that the chain starts from. The checkpoint links to the head read before
// the DELETE: when everything was removed (the head too) it still continues
// the sequence, as entry head+1 linking to the head's hash, so seq never goes
// back and the checkpoint is exactly what its throughSeq/throughHash promise.
import type {SqlStore} from '../../../source/sql/types.js';
import {appendChained, chainHead, lockChain} from './chain.js';
import type {PruneEntry} from './types.js';
import {AuditError} from './types.js';

export interface PruneResult {
	removed: number;
	/** The new checkpoint, when something was removed. */
	checkpoint?: PruneEntry;
}

/** Removes the entries from before `before` (not in the future), in its own transaction. The listener calls it daily with now − GLOBOBOT_AUDIT_RETENTION. */
export async function pruneAudit(store: SqlStore, before: Date, options: {now?: Date} = {}): Promise<PruneResult> {
	const now = options.now ?? new Date();
	if (!(before.getTime() <= now.getTime())) throw new AuditError('audit prune --before must not be in the future');
	return store.transaction(async tx => {
		await lockChain(tx);
		const head = await chainHead(tx);
		if (!head) return {removed: 0};
		const cut = before.toISOString();
		const keep = await tx.get<{seq: number | string | null}>('SELECT MIN(seq) AS seq FROM audit_entries WHERE at >= $1', [cut]);
		const through = keep?.seq === null || keep?.seq === undefined ? head.seq : Number(keep.seq) - 1;
		const last = await tx.get<{hash: string}>('SELECT hash FROM audit_entries WHERE seq = $1', [through]);
		if (!last) return {removed: 0}; // nothing older than `before` is left
		// The tables refuse deletes except while this transaction says it is pruning.
		if (tx.dialect === 'postgres') await tx.get("SELECT set_config('globobot.audit_prune', 'on', true)");
		else await tx.run('INSERT INTO audit_prune_guard (pruning) VALUES (1)');
		const removed = await tx.run('DELETE FROM audit_entries WHERE seq <= $1', [through]);
		if (tx.dialect === 'postgres') await tx.get("SELECT set_config('globobot.audit_prune', 'off', true)");
		else await tx.run('DELETE FROM audit_prune_guard');
		const checkpoint = await appendChained<PruneEntry>(tx, {kind: 'prune', at: now.toISOString(), before: cut, throughSeq: through, throughHash: last.hash, removed}, head);
		return {removed, checkpoint};
	});
}
