import test from 'ava';
import {signatureOf, verifySignature} from '../../../../server/sources/webhook/verify.js';

// The well-known HMAC-SHA1 answer vector (RFC 2104 style, as on Wikipedia).
const vectorBody = Buffer.from('The quick brown fox jumps over the lazy dog');
const vectorSignature = 'de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9';

test('signatureOf matches the known HMAC-SHA1 hex vector', t => {
	t.is(signatureOf(vectorBody, 'key'), vectorSignature);
});

test('a correct signature verifies, in either hex case', t => {
	t.true(verifySignature(vectorBody, vectorSignature, ['key']));
	t.true(verifySignature(vectorBody, vectorSignature.toUpperCase(), ['key']));
});

test('any configured secret may match (rotation)', t => {
	t.true(verifySignature(vectorBody, vectorSignature, ['old-secret-1', 'key']));
});

test('a wrong secret, a changed body, a missing or malformed header fail', t => {
	t.false(verifySignature(vectorBody, vectorSignature, ['other-key']));
	t.false(verifySignature(Buffer.from('The quick brown fox jumps over the lazy dog.'), vectorSignature, ['key']));
	t.false(verifySignature(vectorBody, undefined, ['key']));
	t.false(verifySignature(vectorBody, '', ['key']));
	t.false(verifySignature(vectorBody, 'sha1=' + vectorSignature, ['key']));
	t.false(verifySignature(vectorBody, vectorSignature.slice(0, 38), ['key']));
});

test('no secret configured: nothing verifies', t => {
	t.false(verifySignature(vectorBody, vectorSignature, []));
});

test('re-serialised JSON is not the same bytes', t => {
	const raw = Buffer.from('{"a": 1,  "b":2}');
	const signature = signatureOf(raw, 'secret-123');
	t.true(verifySignature(raw, signature, ['secret-123']));
	t.false(verifySignature(Buffer.from(JSON.stringify(JSON.parse(raw.toString()))), signature, ['secret-123']));
});
