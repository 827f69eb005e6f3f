import test from 'ava';
import {signBody} from '../../source/sandbox/signing.js';

// Computed independently:
//   printf '%s' '{"id":"wh1","resource":"messages","event":"created","data":{"id":"m1"}}' | openssl dgst -sha1 -hmac 'globobot-test-secret'
const secret = 'globobot-test-secret';
const body = '{"id":"wh1","resource":"messages","event":"created","data":{"id":"m1"}}';
const expected = '0e80cad6338f053c8b9b839f84dbf109083d1381';

test('X-Spark-Signature is the hex HMAC-SHA1 of the body bytes (known answer)', t => {
	t.is(signBody(secret, body), expected);
	t.is(signBody(secret, Buffer.from(body)), expected);
});

test('one changed byte changes the signature', t => {
	t.not(signBody(secret, body.replace('m1', 'm2')), expected);
	t.not(signBody('another-secret', body), expected);
});
