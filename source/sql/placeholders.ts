// SQLite binds `?` in order of appearance; queries are written with $n, which
// may repeat or come out of order. The rewrite returns the order to bind in.
export function toPositional(text: string): {text: string; order: number[]} {
	const order: number[] = [];
	const rewritten = text.replace(/\$(\d+)/g, (_match, index: string) => {
		order.push(Number(index) - 1);
		return '?';
	});
	return {text: rewritten, order};
}
