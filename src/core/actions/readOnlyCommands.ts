/**
 * Which runbook commands may be marked `readonly: true` (and then never need a typed confirmation): the
 * AWS CLI and kubectl doing an operation that only reads. The check is by the command's own words, so
 * the runbook linter and the action engine agree on it; anything it cannot vouch for stays unmarked and
 * keeps the guard rails of any other command.
 */

/** AWS CLI operations that only read (describe-*, get-*, list-*, logs tail, …). */
const AWS_READS = /^(describe|get|list|search|lookup|filter|batch-get|scan|query|tail|head|wait)(-|$)/;
const KUBECTL_READS = new Set(['get', 'describe', 'logs', 'top', 'explain', 'version', 'api-resources', 'events']);

/** Why argv cannot be marked read-only, or undefined when it can. */
export function readOnlyProblem(argv: readonly string[]): string | undefined {
  const program = (argv[0] ?? '').split(/[\\/]/).pop()!.toLowerCase();
  if (program === 'aws') {
    const [service, operation] = [argv[1], argv[2]];
    if (!service || !operation || service.startsWith('-') || operation.startsWith('-'))
      return 'write a read-only aws command as aws SERVICE OPERATION … (options after the operation) so that it can be checked';
    if (
      service === 's3' || service === 's3api'
        ? !/^(ls|head-object|get-object-tagging|list-|get-bucket-)/.test(operation)
        : !AWS_READS.test(operation)
    ) {
      return `aws ${service} ${operation} is not an operation that only reads (describe-, get-, list-, logs tail…)`;
    }
    return undefined;
  }
  if (program === 'kubectl') {
    const verb = argv.slice(1).find((a) => !a.startsWith('-'));
    return verb && KUBECTL_READS.has(verb)
      ? undefined
      : `kubectl ${verb ?? ''} is not a command that only reads (get, describe, logs, top)`.replace('  ', ' ');
  }
  return `only aws and kubectl commands that only read can be marked read-only (${program || 'this program'} cannot be checked)`;
}
