// Catch-up as the listener composes it: the source over the watermark table,
// counting into globobot_catch_up_total, on by default (GLOBOBOT_CATCH_UP=0
// turns it off). Built once the bot is known (its own messages are never questions).
import type {Config} from '../../../source/config.js';
import {openWatermarkStore} from '../../store/watermark.js';
import {createCatchUp, type CatchUpSource} from '../catchUp.js';
import type {SourceContext} from '../context.js';

export async function catchUpFromConfig(config: Pick<Config, 'catchUpMs' | 'catchUpEveryMs'>, context: SourceContext, webexNow: () => number): Promise<CatchUpSource | undefined> {
	if (config.catchUpMs <= 0) return undefined;
	return createCatchUp({
		webex: context.webex,
		botId: context.bot.id,
		watermarkStore: await openWatermarkStore(context.store),
		sweptStore: await openWatermarkStore(context.store, Date.now, 'swept'),
		boundMs: config.catchUpMs,
		everyMs: config.catchUpEveryMs,
		now: webexNow,
		logger: context.logger,
		onCount: (outcome, count) => context.metrics.catchUp(outcome, count),
	});
}
