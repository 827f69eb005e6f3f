// Preloaded into every bench target (node --import): on SIGUSR2 the target
// appends its own process.cpuUsage() (user and system µs since it started) as
// one JSON line to BENCH_CPU_REPORT_FILE. The bench signals it before and
// after the measured window, so start-up and warm-up are not counted, and the
// figure is the target's own CPU, not the sandbox's or the load generator's.
import {appendFileSync} from 'node:fs';

const file = process.env['BENCH_CPU_REPORT_FILE'];
if (file) {
	process.on('SIGUSR2', () => {
		const {user, system} = process.cpuUsage();
		appendFileSync(file, `${JSON.stringify({user, system})}\n`);
	});
}
