/**
 * The built entry (dist/main.js). The AWS SDK warns on Node 20 that a later version will need Node 22;
 * that is for the maintainers (noted in the README), not for the responder's screen.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  // The SDK emits it as a plain string "NodeVersionSupportWarning: …" of type Warning.
  const text = warning instanceof Error ? `${warning.name}: ${warning.message}` : String(warning);
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (text.startsWith('NodeVersionSupportWarning') || type === 'NodeVersionSupportWarning') return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// `vitascope-oncall status | head -1`: the reader has gone, so the rest of the output has nowhere to go.
// That is not an error of ours: later writes are dropped quietly and the exit code stays the command's.
// EIO is the same for a terminal (an SSH connection dropped): the cockpit closes itself on it (cockpit.tsx).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED' && error.code !== 'EIO') throw error;
  });
}

const { start } = await import('./cli.js');
await start();
