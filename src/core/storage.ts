/**
 * Problems with the program's own files (the journal, the data and configuration folders), told apart
 * by the codes SQLite and the file system give (never by message text), each with what to do. They are
 * one exit code (EXIT.storage, 6), never "internal error": nothing recorded before is lost by them.
 */

export type StorageProblem = 'full' | 'readonly' | 'corrupt' | 'busy' | 'io';

const ERRNO: Readonly<Record<string, StorageProblem>> = {
  ENOSPC: 'full',
  EFBIG: 'full',
  EDQUOT: 'full',
  EACCES: 'readonly',
  EPERM: 'readonly',
  EROFS: 'readonly',
  EIO: 'io',
};

/** What kind of storage problem an error is (SQLite's code or the file system's errno), if it is one. */
export function storageProblem(error: unknown): StorageProblem | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (code.startsWith('SQLITE_')) {
    if (code.startsWith('SQLITE_FULL')) return 'full';
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH'))
      return 'readonly';
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return 'corrupt';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
    // A write the kernel refused for the file-size limit (RLIMIT_FSIZE: Node ignores SIGXFSZ, so the write
    // fails with EFBIG) reaches SQLite as an I/O error on write.
    if (code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_SHMSIZE' || code === 'SQLITE_IOERR_TRUNCATE')
      return 'full';
    if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return 'io';
    return undefined;
  }
  return ERRNO[code];
}

/** One sentence: what went wrong with `file` and what to do about it. */
export function storageAdvice(problem: StorageProblem, file: string, what = 'the journal'): string {
  switch (problem) {
    case 'full':
      return `${file}: ${what} cannot grow: a write failed (the disk is full or a file-size limit was reached). Free some space (or raise the limit, ulimit -f) and run again; everything recorded before is kept.`;
    case 'readonly':
      return `${file}: ${what} cannot be written (read-only file or folder, or no permission). Give this user write access to it and its folder, or point VITASCOPE_ONCALL_DATA_DIR (the journal) or VITASCOPE_ONCALL_CONFIG_DIR (the configuration) to a writable folder.`;
    case 'corrupt':
      return `${file}: ${what} is damaged (SQLite's integrity check failed). Move the file aside (mv "${file}" "${file}.damaged") and run again to start a new one; \`sqlite3 "${file}.damaged" .recover\` may save what it holds.`;
    case 'busy':
      return `${file}: ${what} is locked by another process that does not let go. Close the other vitascope-oncall (or whatever holds the file) and run again.`;
    case 'io':
      return `${file}: ${what} cannot be read or written (an I/O error). Check the disk and the file, then run again.`;
  }
}
