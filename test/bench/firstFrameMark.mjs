// Preloaded by test/bench/cockpit.mjs (`node --import`): at the first write to stdout holding
// $MARK_PATTERN (the cockpit's first frame), appends the process's CPU time (user + system, ms) to
// $MARK_FILE. CPU time to the first frame moves far less than wall time on a shared machine, so old
// and new builds compare on it even when other work runs beside the bench.
import fs from 'node:fs';

const write = process.stdout.write.bind(process.stdout);
let marked = false;
process.stdout.write = (chunk, ...rest) => {
  if (!marked && String(chunk).includes(process.env.MARK_PATTERN)) {
    marked = true;
    const cpu = process.cpuUsage();
    fs.appendFileSync(process.env.MARK_FILE, `${(cpu.user + cpu.system) / 1000}\n`);
  }
  return write(chunk, ...rest);
};
