// The load generator's own process (issue 17): the bench's process runs the
// sandbox, so sending from there would share its event loop with the fake
// Webex and slow both. This one only sends and times.
//
// argv: the URL to POST to, a JSON job file (rate, seconds, bodies,
// signatures; written once, used for every target), where the result goes. Times are epoch ms with sub-ms precision
// (timeOrigin + now), so the bench can compare them with its own clock.
import {readFile, writeFile} from 'node:fs/promises';
import {sendAtRate} from './load.js';

export interface LoadJob {
	rate: number;
	seconds: number;
	/** Request i's body, as a string (the bytes are what is signed). */
	bodies: string[];
	signatures: string[];
}

export interface LoadProcessResult {
	sent: number;
	ok: number;
	statuses: Record<number, number>;
	/** 2xx latencies, ms, sorted. */
	latenciesMs: number[];
	elapsedMs: number;
	/** Per request: when it was started, and when its 2xx came (null: none), epoch ms. */
	sentAt: Array<number | null>;
	answeredAt: Array<number | null>;
}

const epochNow = () => performance.timeOrigin + performance.now();

const [url, jobFile, resultFile] = process.argv.slice(2);
const job = JSON.parse(await readFile(jobFile!, 'utf8')) as LoadJob;
const bodies = job.bodies.map(body => Buffer.from(body));
const total = Math.round(job.rate * job.seconds);
const sentAt: Array<number | null> = Array.from({length: total}, () => null);
const answeredAt: Array<number | null> = Array.from({length: total}, () => null);
const result = await sendAtRate({
	url: url!,
	rate: job.rate,
	seconds: job.seconds,
	request: index => ({body: bodies[index]!, headers: {'content-type': 'application/json', 'x-spark-signature': job.signatures[index]!}}),
	onSent(index) {
		sentAt[index] = epochNow();
	},
	onAnswered(index, status) {
		if (status >= 200 && status < 300) answeredAt[index] = epochNow();
	},
});
const output: LoadProcessResult = {...result, latenciesMs: Array.from(result.latenciesMs), sentAt, answeredAt};
await writeFile(resultFile!, JSON.stringify(output));
