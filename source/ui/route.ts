// Where the operator is: the screen shown, and what it is about.
import type {Scope} from './keymap.js';

export type Route =
	| {kind: 'list'}
	| {kind: 'detail'; id: string}
	| {kind: 'create'}
	| {kind: 'edit'; id: string}
	| {kind: 'confirm-delete'; id: string; back: 'list' | 'detail'}
	| {kind: 'help'; back: Route; scope?: Scope}
	| {kind: 'events'}
	| {kind: 'confirm-retry'; id: string}
	| {kind: 'access'; view: 'grants' | 'add' | 'check' | 'revoke'; grant?: {subject: string; scope: string}}
	| {kind: 'audit'; query: string; filtering: boolean}
	| {kind: 'quitting'};

/** Which pane of the list screen has the keyboard. */
export type Focus = 'list' | 'activity' | 'chat';
