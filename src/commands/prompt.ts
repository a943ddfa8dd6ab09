import type { Io } from './context.js';

/** One line from the terminal (the caller has checked that stdin is one). */
export async function askLine(question: string, io: Io): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: io.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
