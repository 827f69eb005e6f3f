// Every key of the TUI, once. The screens' input handlers ask `actionFor`,
// the Footer shows `footerHints` and the HelpOverlay lists `helpRows`, all
// from this table, so a key cannot do one thing and be documented as another.
// A new screen adds its scope here (and one binding where it is opened from).
import type {Key} from 'ink';

/** A key by name, or one character typed as is ('k', 'G', '?'). */
export type KeySpec = 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'enter' | 'escape' | 'tab' | 'shift-tab' | 'backspace' | 'space' | 'ctrl-c' | 'any' | (string & {});

export type Action =
	| 'quit'
	| 'help'
	| 'close'
	| 'move-up'
	| 'move-down'
	| 'page-up'
	| 'page-down'
	| 'first'
	| 'last'
	| 'open'
	| 'new'
	| 'edit'
	| 'reactivate'
	| 'delete'
	| 'refresh'
	| 'open-access'
	| 'check'
	| 'open-audit'
	| 'filter'
	| 'dismiss'
	| 'focus-activity'
	| 'focus-chat'
	| 'focus-list'
	| 'scroll-up'
	| 'scroll-down'
	| 'back'
	| 'next-field'
	| 'previous-field'
	| 'choose-next'
	| 'choose-previous'
	| 'save'
	| 'cancel'
	| 'confirm'
	| 'send'
	| 'next-person'
	| 'next-room'
	| 'leave'
	| 'events'
	| 'retry';

export interface Binding {
	/** Which keys do what. */
	press: Partial<Record<Action, readonly KeySpec[]>>;
	/** The keys as the footer and help write them, e.g. "↑↓ jk". */
	label: string;
	/** A word or two for the footer; no footer entry without it. */
	footer?: string;
	/** A line for the help overlay; not listed there without it. */
	help?: string;
	/** Kept in the footer however narrow the terminal. */
	essential?: boolean;
	/** Only where the App has a chat pane. */
	chatOnly?: boolean;
}

export type Scope = 'global' | 'list' | 'activity' | 'detail' | 'form' | 'confirm' | 'help' | 'chat' | 'token' | 'quitting' | 'events' | AccessAuditScope;
type AccessAuditScope = 'access' | 'access-add' | 'access-check' | 'audit' | 'audit-filter';

const quit: Binding = {press: {quit: ['q']}, label: 'q', footer: 'quit', help: 'quit (stops the listener gracefully)', essential: true};
const help: Binding = {press: {help: ['?']}, label: '?', footer: 'help', essential: true};
const chat: Binding = {press: {'focus-chat': ['c']}, label: 'c', footer: 'chat', help: 'focus the chat pane (Esc back)', essential: true, chatOnly: true};

export const keymap: Record<Scope, readonly Binding[]> = {
	// Ctrl-C quits from every screen, the chat and the form included.
	global: [{press: {quit: ['ctrl-c']}, label: 'Ctrl-C', help: 'quit from anywhere, the form and the chat included'}],
	list: [
		{press: {'move-up': ['up', 'k'], 'move-down': ['down', 'j']}, label: '↑↓ jk', footer: 'move', help: 'move in the webhook list'},
		{press: {'page-up': ['pageUp'], 'page-down': ['pageDown'], first: ['home', 'g'], last: ['end', 'G']}, label: 'PgUp PgDn g G', help: 'a page up / down, first / last webhook (also Home End)'},
		{press: {open: ['enter']}, label: 'Enter', footer: 'detail', help: 'details of the selected webhook (secret hidden)'},
		{press: {new: ['n']}, label: 'n', footer: 'new', help: 'new webhook (defaults: this listener, messages:created)'},
		{press: {edit: ['e']}, label: 'e', footer: 'edit', help: 'edit name, target URL or secret'},
		{press: {reactivate: ['a']}, label: 'a', footer: 'reactivate', help: 'reactivate an inactive webhook'},
		{press: {delete: ['d']}, label: 'd', footer: 'delete', help: 'delete (y confirms, any other key cancels)'},
		{press: {refresh: ['r']}, label: 'r', footer: 'refresh', help: 'reload every page of webhooks'},
		{press: {dismiss: ['escape']}, label: 'Esc'},
		{press: {'focus-activity': ['tab']}, label: 'Tab', footer: 'activity', help: 'focus the activity pane (↑↓ scroll, Tab or Esc back)'},
		{press: {events: ['v']}, label: 'v', footer: 'events', help: 'unanswered events and the health panel, from the database (retry failed ones)'},
		{press: {'open-access': ['A']}, label: 'A', footer: 'access', help: 'the Access screen: grants, add, revoke, check'},
		{press: {'open-audit': ['L']}, label: 'L', footer: 'audit', help: 'the Audit screen: recent balance decisions, live'},
		chat,
		help,
		quit,
	],
	activity: [
		{press: {'scroll-up': ['up', 'k'], 'scroll-down': ['down', 'j']}, label: '↑↓', footer: 'scroll', help: 'scroll the activity'},
		{press: {'focus-list': ['tab', 'escape']}, label: 'Tab/Esc', footer: 'webhooks', help: 'back to the webhook list'},
		chat,
		help,
		quit,
	],
	detail: [
		{press: {back: ['escape', 'enter', 'backspace']}, label: 'Esc', footer: 'back', help: 'back to the list', essential: true},
		{press: {edit: ['e']}, label: 'e', footer: 'edit', help: 'edit name, target URL or secret'},
		{press: {reactivate: ['a']}, label: 'a', footer: 'reactivate', help: 'reactivate an inactive webhook'},
		{press: {delete: ['d']}, label: 'd', footer: 'delete', help: 'delete (y confirms)'},
		help,
		quit,
	],
	form: [
		{press: {'next-field': ['down', 'tab'], 'previous-field': ['up', 'shift-tab']}, label: '↑↓ Tab', footer: 'field'},
		{press: {'choose-previous': ['left'], 'choose-next': ['right', 'space']}, label: '←→', footer: 'choose'},
		{press: {save: ['enter']}, label: 'Enter', footer: 'save', essential: true},
		{press: {cancel: ['escape']}, label: 'Esc', footer: 'cancel', essential: true},
	],
	confirm: [
		{press: {confirm: ['y', 'Y']}, label: 'y', footer: 'confirm', essential: true},
		{press: {cancel: ['any']}, label: 'any other key', footer: 'cancel', essential: true},
	],
	help: [{press: {close: ['any']}, label: 'any key', footer: 'close', essential: true}],
	chat: [
		{press: {send: ['enter']}, label: 'Enter', footer: 'send'},
		{press: {'next-person': ['tab']}, label: 'Tab', footer: 'person'},
		{press: {'next-room': ['up', 'down']}, label: '↑↓', footer: 'room'},
		{press: {leave: ['escape']}, label: 'Esc', footer: 'leave', essential: true},
	],
	token: [quit],
	// The Access screen (A from the list): the grants, then its add form and check prompt.
	access: [
		{press: {'move-up': ['up', 'k'], 'move-down': ['down', 'j']}, label: '↑↓', footer: 'move', help: 'move in the grants'},
		{press: {'page-up': ['pageUp'], 'page-down': ['pageDown'], first: ['home', 'g'], last: ['end', 'G']}, label: 'PgUp PgDn g G', help: 'a page up / down, first / last grant (also Home End)'},
		{press: {new: ['n']}, label: 'n', footer: 'add', help: 'add a grant: a subject and a scope, checked as by access grant', essential: true},
		{press: {delete: ['d']}, label: 'd', footer: 'revoke', help: 'revoke the selected grant (y confirms; not GLOBOBOT_ALLOW entries)', essential: true},
		{press: {check: ['c']}, label: 'c', footer: 'check', help: 'check what an email may see of some accounts, and the rule', essential: true},
		{press: {refresh: ['r']}, label: 'r', footer: 'refresh', help: 'reload the grants'},
		{press: {back: ['escape']}, label: 'Esc', footer: 'back', help: 'back to the webhook list', essential: true},
		help,
		quit,
	],
	'access-add': [
		{press: {'next-field': ['down', 'tab'], 'previous-field': ['up', 'shift-tab']}, label: '↑↓ Tab', footer: 'field'},
		{press: {save: ['enter']}, label: 'Enter', footer: 'add', essential: true},
		{press: {cancel: ['escape']}, label: 'Esc', footer: 'cancel', essential: true},
	],
	'access-check': [
		{press: {'next-field': ['down', 'tab'], 'previous-field': ['up', 'shift-tab']}, label: '↑↓ Tab', footer: 'field'},
		{press: {save: ['enter']}, label: 'Enter', footer: 'check', essential: true},
		{press: {cancel: ['escape']}, label: 'Esc', footer: 'close', essential: true},
	],
	// The Audit screen (L from the list): the newest decisions of the audit trail, live; / filters.
	audit: [
		{press: {'move-up': ['up', 'k'], 'move-down': ['down', 'j']}, label: '↑↓', footer: 'move', help: 'move through the entries, newest first (at the top it follows new ones)'},
		{press: {'page-up': ['pageUp'], 'page-down': ['pageDown'], first: ['home', 'g'], last: ['end', 'G']}, label: 'PgUp PgDn g G', help: 'a page up / down, newest / oldest shown (also Home End)'},
		{press: {filter: ['/']}, label: '/', footer: 'filter', help: 'filter by person (an email, or person:ID) and/or account; empty shows all', essential: true},
		{press: {back: ['escape']}, label: 'Esc', footer: 'back', help: 'back to the webhook list', essential: true},
		help,
		quit,
	],
	'audit-filter': [
		{press: {save: ['enter']}, label: 'Enter', footer: 'apply', essential: true},
		{press: {cancel: ['escape']}, label: 'Esc', footer: 'cancel', essential: true},
	],
	quitting: [],
	events: [
		{press: {'move-up': ['up', 'k'], 'move-down': ['down', 'j']}, label: '↑↓', footer: 'move', help: 'move in the events'},
		{press: {retry: ['r']}, label: 'r', footer: 'retry', help: 'retry the selected failed event (y confirms)', essential: true},
		{press: {back: ['escape', 'v']}, label: 'Esc', footer: 'back', help: 'back to the webhooks', essential: true},
		help,
		quit,
	],
};

export function matches(spec: KeySpec, input: string, key: Key): boolean {
	switch (spec) {
		case 'any': return true;
		case 'up': return key.upArrow;
		case 'down': return key.downArrow;
		case 'left': return key.leftArrow;
		case 'right': return key.rightArrow;
		case 'pageUp': return key.pageUp;
		case 'pageDown': return key.pageDown;
		case 'home': return key.home;
		case 'end': return key.end;
		case 'enter': return key.return;
		case 'escape': return key.escape;
		case 'tab': return key.tab && !key.shift;
		case 'shift-tab': return key.tab && key.shift;
		case 'backspace': return key.backspace || key.delete;
		case 'space': return input === ' ';
		case 'ctrl-c': return key.ctrl && input === 'c';
		default: return !key.ctrl && !key.meta && input === spec;
	}
}

export interface ScopeOptions {
	/** Whether the App has a chat pane (`c`). */
	chat?: boolean;
}

const visible = (scope: Scope, {chat = false}: ScopeOptions) => keymap[scope].filter(binding => chat || !binding.chatOnly);

/** What a keypress means in a scope; the first binding that matches wins. */
export function actionFor(scope: Scope, input: string, key: Key, options: ScopeOptions = {}): Action | undefined {
	for (const binding of visible(scope, options)) {
		for (const [action, specs] of Object.entries(binding.press) as Array<[Action, readonly KeySpec[]]>) {
			if (specs.some(spec => matches(spec, input, key))) return action;
		}
	}
	return undefined;
}

export interface Hint {
	key: string;
	action: string;
}

const hintWidth = ({key, action}: Hint) => key.length + 1 + action.length;
const separator = 2;

/**
 * The footer's hints for a scope that fit in `width` columns: every essential
 * one, then as many others as fit, in the table's order. (Labels are ours and
 * one column per character, arrows included.)
 */
export function footerHints(scope: Scope, width: number, options: ScopeOptions = {}): Hint[] {
	const all = visible(scope, options).filter(binding => binding.footer);
	const used = (chosen: readonly Binding[]) => chosen.reduce((sum, binding, index) => sum + hintWidth({key: binding.label, action: binding.footer!}) + (index > 0 ? separator : 0), 0);
	const kept = new Set(all.filter(binding => binding.essential));
	for (const binding of all) {
		if (kept.has(binding)) continue;
		const trial = all.filter(candidate => kept.has(candidate) || candidate === binding);
		if (used(trial) <= width) kept.add(binding);
	}
	return all.filter(binding => kept.has(binding)).map(binding => ({key: binding.label, action: binding.footer!}));
}

/** The help overlay's rows for a scope, and the keys that work everywhere. */
export function helpRows(scope: Scope, options: ScopeOptions = {}): Hint[] {
	return [...visible(scope, options), ...keymap.global].filter(binding => binding.help).map(binding => ({key: binding.label, action: binding.help!}));
}
