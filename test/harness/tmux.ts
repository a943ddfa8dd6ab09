import { execFileSync, spawnSync } from 'node:child_process';
import { waitFor } from './servers.js';

/** A private tmux server (-L) per test; only it is ever killed. */
export class Tmux {
  readonly server = `vo-test-${process.pid}-${Math.floor(Math.random() * 1e6)}`;

  static available(): boolean {
    return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
  }

  start(command: string, env: NodeJS.ProcessEnv, size = { width: 120, height: 40 }): void {
    execFileSync(
      'tmux',
      [
        '-L',
        this.server,
        '-f',
        '/dev/null',
        'new-session',
        '-d',
        '-x',
        String(size.width),
        '-y',
        String(size.height),
        command,
      ],
      { env },
    );
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['-L', this.server, 'send-keys', '-t', '0', ...keys]);
  }

  /** Literal text (no key names). */
  type(text: string): void {
    execFileSync('tmux', ['-L', this.server, 'send-keys', '-t', '0', '-l', text]);
  }

  screen(options: { colours?: boolean } = {}): string {
    return execFileSync(
      'tmux',
      ['-L', this.server, 'capture-pane', '-p', ...(options.colours ? ['-e'] : []), '-t', '0'],
      { encoding: 'utf8' },
    );
  }

  /** A tmux format value for the pane, e.g. #{alternate_on} or #{cursor_flag}. */
  pane(format: string): string {
    return execFileSync('tmux', ['-L', this.server, 'display-message', '-p', '-t', '0', format], {
      encoding: 'utf8',
    }).trim();
  }

  async waitFor(predicate: (screen: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
    let last = '';
    try {
      await waitFor(() => predicate((last = this.screen())), what, timeoutMs, 50);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- screen ---\n${last}`, { cause: error });
    }
    return last;
  }

  /**
   * The screen once it has stopped changing (two captures `quietMs` apart alike): a capture taken while
   * the program redraws shows half a frame, which is not what the responder sees.
   */
  async settled(quietMs = 150, timeoutMs = 5_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let last = this.screen();
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, quietMs));
      const now = this.screen();
      if (now === last) return now;
      last = now;
    }
    return last;
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.server, 'kill-server'], { stdio: 'ignore' });
  }
}

/**
 * Runs a command line that ends with `echo TAG=$?` in a fresh tmux, waits for `question`, types
 * `answer` and Enter, and returns the screen once the exit code is shown.
 */
export async function answerInTmux(o: {
  readonly command: string;
  readonly env: NodeJS.ProcessEnv;
  readonly tag: string;
  readonly question: RegExp;
  readonly answer: string;
}): Promise<string> {
  const tmux = new Tmux();
  try {
    tmux.start(o.command, o.env);
    await tmux.waitFor((s) => o.question.test(s), 'the question');
    tmux.type(o.answer);
    tmux.keys('Enter');
    await tmux.waitFor((s) => new RegExp(`${o.tag}=\\d`).test(s), 'the exit code', 30_000);
    return tmux.screen();
  } finally {
    tmux.kill();
  }
}
