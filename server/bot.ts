// Who the bot is, asked of Webex once at start: its id (to ignore itself)
// and name (to strip its mention).
import {ConfigError} from '../source/config.js';
import {WebexError} from '../source/webex/errors.js';
import type {WebexClient} from '../source/webex/types.js';
import type {BotIdentity} from './accountIds.js';

export interface Bot extends BotIdentity {
	email: string;
}

/** people/me; a rejected token is a ConfigError naming WEBEX_TOKEN. */
export async function whoAmI(webex: WebexClient): Promise<Bot> {
	try {
		const me = await webex.people.me();
		return {id: me.id, displayName: me.displayName, email: me.emails[0] ?? ''};
	} catch (error) {
		if (!(error instanceof WebexError)) throw error;
		if (error.code === 'unauthorised') throw new ConfigError(`WEBEX_TOKEN was rejected by Webex (${error.status}): check the bot's access token`);
		throw new Error(`cannot ask Webex who the bot is: ${error.code === 'unreachable' ? `no answer from ${webex.baseUrl}` : `${error.status} ${error.webexMessage}`}`);
	}
}
