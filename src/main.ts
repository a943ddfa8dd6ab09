/**
 * The built entry (dist/main.js). The AWS SDK warns on Node 20 that a later version will need Node 22;
 * that is for the maintainers (noted in the README), not for the responder's screen.
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  const name = warning instanceof Error ? warning.name : type;
  if (name === 'NodeVersionSupportWarning') return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const { start } = await import('./cli.js');
await start();
