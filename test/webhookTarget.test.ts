import test from 'ava';
import {checkTargetUrl} from '../source/webhookTarget.js';

test('whitespace and control characters are refused, wherever they are', t => {
	for (const url of ['https://bot.example.com/x ', ' https://bot.example.com/x', 'https://bot.example.com/a b', 'https://bot.example.com/x\u007F\u007F', 'https://bot.example.com/\u001B]52;c;eA==\u0007', 'https://bot.example.com/x\r', 'https://bot.example.com/\u200Bx', 'https://bot.example.com/\u202Ex']) {
		t.is(checkTargetUrl(url).error, 'must not contain spaces or control characters', JSON.stringify(url));
	}
});

test('an absolute https URL passes; http only warns; anything else is refused', t => {
	t.deepEqual(checkTargetUrl('https://bot.example.com/wtwebhook'), {});
	t.regex(checkTargetUrl('http://127.0.0.1:5000/wtwebhook').warning ?? '', /HTTPS/);
	t.regex(checkTargetUrl('bot.example.com').error ?? '', /absolute http\(s\) URL/);
	t.regex(checkTargetUrl('ftp://bot.example.com/').error ?? '', /absolute http\(s\) URL/);
});
