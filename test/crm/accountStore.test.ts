import test from 'ava';
import {toSafeInteger} from '../../source/crm/accountStore.js';

test('BIGINT text becomes a number only while it is exact', t => {
	t.is(toSafeInteger('0'), 0);
	t.is(toSafeInteger('-1000'), -1000);
	t.is(toSafeInteger('9007199254740991'), Number.MAX_SAFE_INTEGER);
	t.throws(() => toSafeInteger('9007199254740992'), {instanceOf: RangeError});
	t.throws(() => toSafeInteger('12345678901234567890'), {instanceOf: RangeError});
});
