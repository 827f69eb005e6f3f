// Summarises a V8 .cpuprofile (node --cpu-prof) by self time: the frames the
// CPU was actually in, merged by function and location, top first.
//   npx tsx bench/profileSummary.ts FILE.cpuprofile [TOP]
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

interface ProfileNode {
	id: number;
	callFrame: {functionName: string; url: string; lineNumber: number};
	hitCount?: number;
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples?: number[];
	timeDeltas?: number[];
}

export interface Frame {
	frame: string;
	selfMs: number;
	share: number;
}

/** A frame's name: function and where, with node_modules and the repository shortened. */
function frameName(node: ProfileNode, root: string): string {
	const {functionName, url, lineNumber} = node.callFrame;
	if (!url) return functionName || '(anonymous)';
	let where = url.replace(/^file:\/\//, '');
	const modules = where.lastIndexOf('node_modules/');
	if (modules >= 0) where = where.slice(modules + 'node_modules/'.length);
	else if (where.startsWith(root)) where = path.relative(root, where);
	return `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
}

export async function summariseProfile(file: string, top = 15, root = process.cwd()): Promise<{totalMs: number; frames: Frame[]}> {
	const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map(node => [node.id, node]));
	const selfUs = new Map<number, number>();
	// Sample i lasted until sample i+1: timeDeltas[i+1].
	const samples = profile.samples ?? [];
	const deltas = profile.timeDeltas ?? [];
	for (let index = 0; index < samples.length; index++) {
		const id = samples[index]!;
		selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[index + 1] ?? 0));
	}
	const merged = new Map<string, number>();
	let totalUs = 0;
	for (const [id, us] of selfUs) {
		const node = byId.get(id);
		if (!node) continue;
		totalUs += us;
		const name = frameName(node, root);
		merged.set(name, (merged.get(name) ?? 0) + us);
	}
	const frames = [...merged]
		.sort((a, b) => b[1] - a[1])
		.slice(0, top)
		.map(([frame, us]) => ({frame, selfMs: Math.round(us / 1000), share: totalUs > 0 ? us / totalUs : 0}));
	return {totalMs: Math.round(totalUs / 1000), frames};
}

export function formatFrames(frames: readonly Frame[]): string[] {
	return frames.map(({frame, selfMs, share}) => `${(share * 100).toFixed(1).padStart(5)}% ${String(selfMs).padStart(6)} ms  ${frame}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const [file, top] = process.argv.slice(2);
	if (!file) {
		console.error('usage: npx tsx bench/profileSummary.ts FILE.cpuprofile [TOP]');
		process.exitCode = 2;
	} else {
		const summary = await summariseProfile(file, Number(top ?? 20));
		console.log(`${summary.totalMs} ms sampled; top frames by self time:`);
		for (const line of formatFrames(summary.frames)) console.log(line);
	}
}
