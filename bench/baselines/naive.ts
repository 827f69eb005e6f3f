// Baseline (a): the original demo's listener, rewritten for Node as it was
// written in Flask. On each delivery it fetches the message, takes the last
// word as the account id, posts the balance, and only then answers Webex:
// no signature check, no storage, no retry. Every answer waits for two Webex
// round trips. One deviation: the reply is threaded under the question
// (parentId), so the bench can tell which question it answers.
//
// Environment: PORT, WEBEX_API_URL, WEBEX_TOKEN, ACCOUNTS_FILE (the demo's JSON).
import {readFileSync} from 'node:fs';
import http, {type IncomingMessage, type ServerResponse} from 'node:http';

interface DemoAccount {
	paid: number;
	due: number;
}

const apiUrl = process.env['WEBEX_API_URL']!;
const token = process.env['WEBEX_TOKEN']!;
const accounts = JSON.parse(readFileSync(process.env['ACCOUNTS_FILE']!, 'utf8')) as Record<string, DemoAccount>;
const headers = {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json'};

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function balanceOf(accountId: string): string {
	const account = accounts[accountId.toUpperCase()];
	// The demo's figures are whole units.
	return account ? `${(account.due - account.paid).toFixed(2)} USD` : 'None';
}

async function processWebhook(request: IncomingMessage, response: ServerResponse): Promise<void> {
	const delivery = JSON.parse(await readBody(request)) as {data: {id: string; roomId: string}};
	const message = (await (await fetch(`${apiUrl}/messages/${delivery.data.id}`, {headers})).json()) as {text?: string};
	const accountId = (message.text ?? '').split(' ').at(-1) ?? '';
	await (
		await fetch(`${apiUrl}/messages`, {
			method: 'POST',
			headers,
			body: JSON.stringify({roomId: delivery.data.roomId, parentId: delivery.data.id, text: `balance for ${accountId}: ${balanceOf(accountId)}`}),
		})
	).arrayBuffer();
	response.writeHead(200, {'content-type': 'text/plain'}).end('OK');
}

const server = http.createServer((request, response) => {
	if (request.method === 'GET' && request.url === '/healthz') return void response.end('ok');
	if (request.method !== 'POST' || request.url !== '/wtwebhook') return void response.writeHead(404).end();
	processWebhook(request, response).catch(() => {
		// Like Flask's default: a 500 and nothing else.
		if (!response.headersSent) response.writeHead(500).end();
	});
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env['PORT']), '127.0.0.1');
