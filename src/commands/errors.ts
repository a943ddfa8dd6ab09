/** Errors the command line turns into exit codes (cli.ts), apart from the commands that throw them. */
export class SourcesNotAvailableError extends Error {}
