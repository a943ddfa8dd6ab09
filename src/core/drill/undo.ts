/**
 * What a live drill has changed and must put back: alarm states it forced, alarm actions it disabled.
 * Each change registers its undo the moment it is made; the drill runs and removes them as it finishes,
 * and the command runs whatever is left when it is interrupted (Ctrl-C, SIGTERM) before it exits, so a
 * drill never leaves production's alarms muted or in ALARM behind it.
 */
export class UndoList {
  private readonly steps: { readonly what: string; readonly run: () => Promise<void> }[] = [];

  /** Registers an undo; the returned function runs it (once) and removes it. */
  add(what: string, run: () => Promise<void>): () => Promise<void> {
    const step = { what, run };
    this.steps.push(step);
    return async () => {
      const i = this.steps.indexOf(step);
      if (i < 0) return;
      this.steps.splice(i, 1);
      await run();
    };
  }

  get pending(): readonly string[] {
    return this.steps.map((s) => s.what);
  }

  /** Runs every undo left, newest first; each failure is reported, none stops the others. */
  async runAll(): Promise<{ readonly done: string[]; readonly failed: { what: string; error: string }[] }> {
    const done: string[] = [];
    const failed: { what: string; error: string }[] = [];
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step.run();
        done.push(step.what);
      } catch (error) {
        failed.push({ what: step.what, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return { done, failed };
  }
}
