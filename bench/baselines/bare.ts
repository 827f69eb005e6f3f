// Baseline (b): the floor for this runtime. A bare node:http handler that
// answers at once, then makes the same two Webex calls as globobot (fetch the
// message, post a threaded reply): no verification, no storage, no retry, no
// logging, no framework. Whatever globobot spends beyond this is its overhead.
//
// Environment: PORT, WEBEX_API_URL, WEBEX_TOKEN.
import http, {type IncomingMessage} from 'node:http';

const apiUrl = process.env['WEBEX_API_URL']!;
const token = process.env['WEBEX_TOKEN']!;
const headers = {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json'};

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

async function reply(delivery: {data: {id: string; roomId: string}}): Promise<void> {
	const message = (await (await fetch(`${apiUrl}/messages/${delivery.data.id}`, {headers})).json()) as {id: string};
	const body = JSON.stringify({roomId: delivery.data.roomId, parentId: message.id, text: 'balance for ACCT100: 40.00 USD'});
	await (await fetch(`${apiUrl}/messages`, {method: 'POST', headers, body})).arrayBuffer();
}

const server = http.createServer((request, response) => {
	if (request.method === 'GET' && request.url === '/healthz') return void response.end('ok');
	if (request.method !== 'POST' || request.url !== '/wtwebhook') return void response.writeHead(404).end();
	readBody(request)
		.then(text => {
			const delivery = JSON.parse(text) as {data: {id: string; roomId: string}};
			response.writeHead(200, {'content-type': 'text/plain'}).end('OK');
			return reply(delivery);
		})
		.catch(() => {
			if (!response.headersSent) response.writeHead(400).end();
		});
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env['PORT']), '127.0.0.1');
