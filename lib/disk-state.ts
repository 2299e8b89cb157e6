// A disk state's file (lib/persistence.ts): checked to be the very file the state was taken of,
// by size and CRC-32, read with care because the path comes from an untrusted state.
import * as fs from 'fs';
import { constants as osConstants } from 'os';

import { AnnoyError, ErrorCodes } from './errors';
import { addon } from './native';
import type { AnnoyState } from './persistence';

function ioError(err: NodeJS.ErrnoException, file: string): AnnoyError {
  const errno = err.code ? (osConstants.errno as Record<string, number>)[err.code] : undefined;
  return new AnnoyError(ErrorCodes.IO, `cannot read '${file}': ${err.message}`, { errno, path: file });
}

const READ_CHUNK = 8 * 1024 * 1024;

/**
 * The CRC-32 of a disk state's file, which must be a regular file of exactly `size` bytes. The
 * path comes from the state, so it may name /dev/zero (endless), a FIFO (whose open blocks until
 * a writer comes), a directory or a socket: the file is opened non-blocking, checked with fstat
 * before any read, and read for at most `size` bytes plus one (to see it ends there).
 */
function checkedFileCrc32(file: string, size: number, changed: (what: string) => AnnoyError): number {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    throw ioError(err as NodeJS.ErrnoException, file);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      throw new AnnoyError(ErrorCodes.INVALID_FILE, `'${file}' is not a regular file, so it cannot be an index file`, {
        path: file,
      });
    }
    if (stat.size !== size) throw changed(`size ${stat.size} bytes, was ${size}`);
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, size + 1));
    let crc = 0;
    let done = 0;
    while (done <= size) {
      const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, size + 1 - done), done);
      if (n === 0) break;
      if (done + n > size) throw changed(`longer than its ${size} bytes`);
      crc = addon.crc32(buffer.subarray(0, n), crc);
      done += n;
    }
    if (done !== size) throw changed(`${done} bytes could be read, ${size} were expected`);
    return crc;
  } catch (err) {
    if (err instanceof AnnoyError) throw err;
    throw ioError(err as NodeJS.ErrnoException, file);
  } finally {
    fs.closeSync(fd);
  }
}

export function checkFileUnchanged(state: AnnoyState): void {
  const file = state.path as string;
  const changed = (what: string) =>
    new AnnoyError(
      ErrorCodes.FILE_CHANGED,
      `'${file}' has changed since the state was taken (${what}); restore from a byte-mode state or save the index again`,
      { path: file },
    );
  const crc = checkedFileCrc32(file, state.fileSize as number, changed);
  if (crc !== state.fileCrc32) throw changed('its checksum differs');
}
