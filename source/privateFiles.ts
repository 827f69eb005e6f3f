// globobot's own files hold balances, requester emails and the webhook secret,
// so they are owner-only: folders 0700, files 0600. One module says how, for
// the secret store and the SQLite database alike:
// - a folder is created one level at a time (never mkdir's recursive mode,
//   which loops forever under /proc on Node 20), each new level 0700;
// - a file is written only if it is not a symlink and is the caller's own;
//   an existing file with a looser mode is tightened, not kept.
import {chmodSync, closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeSync, type Stats} from 'node:fs';
import path from 'node:path';

/** A file or folder globobot refuses to use; the message names it and why. */
export class PrivateFileError extends Error {
	override name = 'PrivateFileError';
	constructor(
		message: string,
		/** True when the file is simply not there yet (not a configuration mistake). */
		readonly missing = false,
	) {
		super(message);
	}
}

const uid = () => process.getuid?.();

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

function statOrUndefined(file: string): Stats | undefined {
	try {
		return lstatSync(file);
	} catch (error) {
		// ENOTDIR: a level above is a file; the walk up the path reports which.
		if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
		throw new PrivateFileError(`cannot read ${file} (${errorCode(error) ?? String(error)})`);
	}
}

/** Refuses what another user could have planted: a symlink, or a file that is not ours. */
function requireOwnFile(file: string, stats: Stats): void {
	if (stats.isSymbolicLink()) throw new PrivateFileError(`${file} is a symbolic link: refusing to follow it (replace it with a plain file)`);
	if (!stats.isFile()) throw new PrivateFileError(`${file} is not a regular file`);
	const me = uid();
	if (me !== undefined && stats.uid !== me) throw new PrivateFileError(`${file} belongs to another user (uid ${stats.uid}): refusing to use it`);
}

/**
 * Creates `directory` and any missing parents, each new one 0700. Existing ones
 * are left as they are, unless `tighten`: then `directory` itself, if it is
 * ours, is made 0700 (GLOBOBOT_HOME made 0755 by an older version).
 */
export function ensurePrivateDirectory(directory: string, {tighten = false}: {tighten?: boolean} = {}): void {
	const absolute = path.resolve(directory);
	if (tighten) tightenDirectoryIfOwn(absolute);
	const missing: string[] = [];
	for (let current = absolute; ; current = path.dirname(current)) {
		const stats = statOrUndefined(current);
		if (stats) {
			// A symlink to a folder is fine here (stat follows it): only the files themselves are checked strictly.
			if (!(stats.isDirectory() || (stats.isSymbolicLink() && isDirectory(current)))) throw new PrivateFileError(`${current} is not a folder`);
			break;
		}
		missing.unshift(current);
		if (path.dirname(current) === current) break;
	}
	for (const folder of missing) {
		try {
			mkdirSync(folder, {mode: 0o700});
		} catch (error) {
			if (errorCode(error) !== 'EEXIST') throw new PrivateFileError(`cannot create the folder ${folder} (${errorCode(error) ?? String(error)})`);
		}
	}
}

function tightenDirectoryIfOwn(directory: string): void {
	const stats = statOrUndefined(directory);
	if (!stats?.isDirectory() || (stats.mode & 0o077) === 0) return;
	const me = uid();
	if (me === undefined || stats.uid === me) chmodSync(directory, 0o700);
}

function isDirectory(file: string): boolean {
	try {
		return statSync(file).isDirectory();
	} catch {
		return false;
	}
}

/** Writes `content` to `file` mode 0600, creating its folder 0700; refuses a symlink or another user's file. */
export function writePrivateFile(file: string, content: string): void {
	// The secret's folder is GLOBOBOT_HOME: globobot's own, so it is made 0700 even if it already existed.
	ensurePrivateDirectory(path.dirname(file), {tighten: true});
	const existing = statOrUndefined(file);
	if (existing) requireOwnFile(file, existing);
	// O_NOFOLLOW: a symlink planted between the check and the open still fails.
	const descriptor = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
	try {
		fchmodSync(descriptor, 0o600);
		writeSync(descriptor, content);
	} finally {
		closeSync(descriptor);
	}
}

/** The file's text, or undefined when it does not exist; refuses a symlink or another user's file, and tightens a loose mode to 0600. */
export function readPrivateFile(file: string): string | undefined {
	const stats = statOrUndefined(file);
	if (!stats) return undefined;
	requireOwnFile(file, stats);
	const descriptor = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
	try {
		if ((fstatSync(descriptor).mode & 0o077) !== 0) fchmodSync(descriptor, 0o600);
		return readFileSync(descriptor, 'utf8');
	} finally {
		closeSync(descriptor);
	}
}

const sqliteHeader = 'SQLite format 3\u0000';

/** Whether a non-empty file starts like a SQLite database (read before anything is changed about it). */
function looksLikeSqlite(file: string): boolean {
	const descriptor = openSync(file, constants.O_RDONLY);
	try {
		const header = Buffer.alloc(sqliteHeader.length);
		const read = readSync(descriptor, header, 0, header.length, 0);
		return read === 0 || header.toString('latin1') === sqliteHeader;
	} finally {
		closeSync(descriptor);
	}
}

/**
 * Gets a SQLite file ready to open owner-only: its folder exists (created
 * 0700), the file exists (created empty 0600, so SQLite's -wal and -shm,
 * which copy its mode, are 0600 too) and is a SQLite database. With
 * `create: false` nothing is created: a missing file is an error.
 */
export function preparePrivateDatabase(file: string, {create = true}: {create?: boolean} = {}): void {
	const stats = statOrUndefined(file);
	if (!stats) {
		if (!create) throw new PrivateFileError(`there is no database at ${file} yet (import accounts first: globobot-admin accounts import FILE)`, true);
		ensurePrivateDirectory(path.dirname(file));
		try {
			closeSync(openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
		} catch (error) {
			if (errorCode(error) !== 'EEXIST') throw new PrivateFileError(`cannot create ${file} (${errorCode(error) ?? String(error)})`);
		}
		return;
	}
	const target = stats.isSymbolicLink() ? statFollowing(file) : stats;
	if (target.isDirectory()) throw new PrivateFileError(`${file} is a folder, not a database file`);
	if (!target.isFile()) throw new PrivateFileError(`${file} is not a regular file`);
	if (!looksLikeSqlite(file)) throw new PrivateFileError(`${file} is not a SQLite database`);
	tightenIfOwn(file);
	for (const companion of [`${file}-wal`, `${file}-shm`]) tightenIfOwn(companion);
}

function statFollowing(file: string): Stats {
	try {
		const descriptor = openSync(file, constants.O_RDONLY);
		try {
			return fstatSync(descriptor);
		} finally {
			closeSync(descriptor);
		}
	} catch (error) {
		throw new PrivateFileError(`cannot open ${file} (${errorCode(error) ?? String(error)})`);
	}
}

/** Makes an existing file of ours 0600; another user's file, or a missing one, is left alone. */
function tightenIfOwn(file: string): void {
	let descriptor: number;
	try {
		descriptor = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
	} catch {
		return;
	}
	try {
		const stats = fstatSync(descriptor);
		const me = uid();
		if ((me === undefined || stats.uid === me) && (stats.mode & 0o077) !== 0) fchmodSync(descriptor, 0o600);
	} finally {
		closeSync(descriptor);
	}
}
