// source/privateFiles.ts on real files: modes, symlinks, another user's files.
import {chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {openDatabase} from '../source/crm/database.js';
import {ensurePrivateDirectory, preparePrivateDatabase, PrivateFileError, readPrivateFile, writePrivateFile} from '../source/privateFiles.js';

function folder(t: ExecutionContext): string {
	const made = mkdtempSync(path.join(tmpdir(), 'globobot-private-'));
	t.teardown(() => rmSync(made, {recursive: true, force: true}));
	return made;
}

const mode = (file: string) => statSync(file).mode & 0o777;

test('new folders are 0700, every missing level', t => {
	const root = folder(t);
	ensurePrivateDirectory(path.join(root, 'a', 'b'));
	t.is(mode(path.join(root, 'a')), 0o700);
	t.is(mode(path.join(root, 'a', 'b')), 0o700);
});

test('a folder that cannot exist is an error, promptly: under a file, or under /proc', t => {
	const root = folder(t);
	writeFileSync(path.join(root, 'file'), '');
	t.throws(() => ensurePrivateDirectory(path.join(root, 'file', 'x')), {instanceOf: PrivateFileError, message: /is not a folder/});
	// Node's recursive mkdir loops forever here (the 100% CPU finding); one level at a time fails at once.
	t.throws(() => ensurePrivateDirectory('/proc/x/y'), {instanceOf: PrivateFileError, message: /cannot create the folder \/proc\/x/});
});

test('a written secret is 0600, even over a file that was 0666', t => {
	const file = path.join(folder(t), 'home', 'webhook-secret');
	writePrivateFile(file, 'first\n');
	t.is(mode(file), 0o600);
	chmodSync(file, 0o666);
	writePrivateFile(file, 'second\n');
	t.is(mode(file), 0o600);
	t.is(readFileSync(file, 'utf8'), 'second\n');
});

test('a symlink is neither written through nor read', t => {
	const root = folder(t);
	const target = path.join(root, 'target');
	writeFileSync(target, 'attacker-chosen-secret\n');
	const link = path.join(root, 'webhook-secret');
	symlinkSync(target, link);
	t.throws(() => writePrivateFile(link, 'secret\n'), {instanceOf: PrivateFileError, message: /symbolic link/});
	t.throws(() => readPrivateFile(link), {instanceOf: PrivateFileError, message: /symbolic link/});
	t.is(readFileSync(target, 'utf8'), 'attacker-chosen-secret\n', 'the target is untouched');
	t.true(lstatSync(link).isSymbolicLink());
});

test("another user's file is refused", t => {
	if (process.getuid?.() !== 0) return t.pass('needs root to give a file to another user');
	const file = path.join(folder(t), 'webhook-secret');
	writeFileSync(file, 'planted\n', {mode: 0o600});
	chownSync(file, 4242, 4242);
	t.throws(() => readPrivateFile(file), {instanceOf: PrivateFileError, message: /belongs to another user \(uid 4242\)/});
	t.throws(() => writePrivateFile(file, 'x\n'), {instanceOf: PrivateFileError, message: /another user/});
});

test('reading tightens a loose mode; a missing file reads as undefined', t => {
	const file = path.join(folder(t), 'webhook-secret');
	t.is(readPrivateFile(file), undefined);
	writeFileSync(file, 's\n', {mode: 0o644});
	chmodSync(file, 0o644);
	t.is(readPrivateFile(file), 's\n');
	t.is(mode(file), 0o600);
});

test('a database file is created 0600 in a 0700 folder; a file that is not SQLite is refused and left unchanged', t => {
	const root = folder(t);
	const database = path.join(root, 'home', 'crm.db');
	preparePrivateDatabase(database);
	t.is(mode(path.dirname(database)), 0o700);
	t.is(mode(database), 0o600);
	const text = path.join(root, 'passwd');
	writeFileSync(text, 'root:x:0:0:root:/root:/bin/bash\n', {mode: 0o644});
	chmodSync(text, 0o644);
	t.throws(() => preparePrivateDatabase(text), {instanceOf: PrivateFileError, message: /is not a SQLite database/});
	t.is(mode(text), 0o644, 'not chmod-ed: it is not ours to change');
});

test('with create: false a missing database is an error and nothing is created', t => {
	const database = path.join(folder(t), 'home', 'crm.db');
	const error = t.throws(() => preparePrivateDatabase(database, {create: false}), {instanceOf: PrivateFileError});
	t.true(error.missing);
	t.false(existsSync(path.dirname(database)));
});

test('an open SQLite database has its -wal and -shm 0600 too (SQLite copies the database file mode)', async t => {
	const database = path.join(folder(t), 'home', 'crm.db');
	const handle = await openDatabase(database);
	t.teardown(() => handle.close());
	await handle.accounts.upsertMany([{id: 'ACCT1', due: 100, paid: 0, currency: 'USD'}]);
	for (const file of [database, `${database}-wal`, `${database}-shm`]) t.is(mode(file), 0o600, file);
});

test("writing a secret makes its folder 0700 when it is ours and was left open", t => {
	const home = path.join(folder(t), 'home');
	mkdirSync(home, {mode: 0o755});
	chmodSync(home, 0o755);
	writePrivateFile(path.join(home, 'webhook-secret'), 's\n');
	t.is(mode(home), 0o700);
});
