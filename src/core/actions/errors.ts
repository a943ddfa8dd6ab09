/**
 * The engine's refusals, as types a caller can tell apart: the cockpit shows a read-only refusal
 * differently from a typo in a typed confirmation or a target that does not exist.
 */

/** Read-only mode: nothing that changes the world runs (dry runs still plan and journal). */
export class ReadOnlyError extends Error {
  override readonly name = 'ReadOnlyError';
  constructor(readonly action: string) {
    super(`read-only mode: ${action} changes the world and is not available (plans and dry runs still are)`);
  }
}

/** The confirmation given does not match the one the plan needs (a dangerous action needs the target typed). */
export class ConfirmationError extends Error {
  override readonly name = 'ConfirmationError';
  constructor(
    readonly expected: string,
    message: string,
  ) {
    super(message);
  }
}

/** The action could not be planned: bad parameters, an unknown target, a missing capability, a refused change. */
export class ActionPlanError extends Error {
  override readonly name = 'ActionPlanError';
  constructor(
    readonly action: string,
    message: string,
    readonly reason: 'params' | 'target' | 'unsupported' | 'refused' | 'read' = 'refused',
  ) {
    super(message);
  }
}

/** A failure that carries output (a command's stdout and stderr), so the journal keeps what it printed. */
export class OutputError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
