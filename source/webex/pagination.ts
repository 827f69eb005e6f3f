// Webex pages lists with RFC 8288 web links: `Link: <url>; rel="next"`. Only
// `next` is guaranteed, its URL is opaque (a cursor), and it may lead to an
// empty page, so the only stop signal is a page without a next link.

export interface Page<T> {
	items: T[];
	/** Absolute URL of the next page, if any. */
	next?: string;
}

/**
 * The target of the `rel="next"` link in a Link header value (several
 * headers arrive joined with ", "). Relative targets resolve against `base`.
 */
export function parseNextLink(header: string | null | undefined, base?: string | URL): string | undefined {
	if (!header) {
		return undefined;
	}

	for (const link of splitLinks(header)) {
		if (relationsOf(link.parameters).includes('next')) {
			return new URL(link.target, base).href;
		}
	}

	return undefined;
}

interface LinkValue {
	target: string;
	parameters: string;
}

/**
 * Splits `<a>; rel="next", <b>; rel="prev"` into its links. Targets are
 * delimited by angle brackets, which may themselves contain commas and
 * semicolons, so the split is driven by the brackets, not by commas.
 */
function splitLinks(header: string): LinkValue[] {
	const links: LinkValue[] = [];
	const pattern = /<([^>]*)>([^<]*)/g;
	for (const match of header.matchAll(pattern)) {
		links.push({target: match[1]!.trim(), parameters: match[2] ?? ''});
	}

	return links;
}

/** The relation types of one link: `rel="next prev"`, `rel=next`, case-insensitive. */
function relationsOf(parameters: string): string[] {
	const match = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(parameters);
	const value = match?.[1] ?? match?.[2] ?? '';
	return value.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * Iterates every item of a paged list, fetching each page only when the
 * previous one has been consumed (so a caller that stops early costs nothing more).
 */
export async function * paginate<T>(firstUrl: string, fetchPage: (url: string) => Promise<Page<T>>): AsyncGenerator<T, void, undefined> {
	const visited = new Set<string>();
	let url: string | undefined = firstUrl;
	while (url !== undefined) {
		// A server whose cursor points back at a page already read would otherwise loop forever.
		if (visited.has(url)) {
			throw new Error('Webex pagination loops: a next link points at a page already read');
		}

		visited.add(url);
		const page: Page<T> = await fetchPage(url);
		yield * page.items;
		url = page.next;
	}
}

/** Collects an async iterable into an array (for the lists the product reads whole). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
	const items: T[] = [];
	for await (const item of iterable) {
		items.push(item);
	}

	return items;
}
