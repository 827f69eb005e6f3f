// Where the operator is: the screen shown, and what it is about.
export type Route =
	| {kind: 'list'}
	| {kind: 'detail'; id: string}
	| {kind: 'create'}
	| {kind: 'edit'; id: string}
	| {kind: 'confirm-delete'; id: string; back: 'list' | 'detail'}
	| {kind: 'help'; back: Route}
	| {kind: 'quitting'};

/** Which pane of the list screen has the keyboard. */
export type Focus = 'list' | 'activity' | 'chat';
