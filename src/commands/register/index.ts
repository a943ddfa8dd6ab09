/**
 * Every subcommand's registration: options, help text and an action that imports the command's
 * implementation when it runs. Nothing here loads an implementation, so `status` loads only what
 * status needs, the cockpit only what it needs, and `--help` almost nothing.
 */
import type { Command } from 'commander';
import type { Io } from '../context.js';
import { registerAct } from './act.js';
import { registerAlarms } from './alarms.js';
import { registerConfig } from './config.js';
import { registerDeployCheck } from './deployCheck.js';
import { registerDoctor } from './doctor.js';
import { registerDrill } from './drill.js';
import { registerLogs } from './logs.js';
import { registerHandoff, registerNote, registerPostmortem, registerReport, registerSummary } from './reports.js';
import { registerRunbooks } from './runbooks.js';
import { registerSandbox } from './sandbox.js';
import { registerStatus } from './status.js';
import { registerTeam } from './team.js';

/** Runs a command's task and records its exit code (cli.ts). */
export type Run = (task: () => Promise<number>) => Promise<void>;

/** In the order `--help` lists them. */
export function registerCommands(program: Command, io: Io, run: Run): void {
  registerStatus(program, io, run);
  registerConfig(program, io, run);
  registerSandbox(program, io, run);
  registerDoctor(program, io, run);
  registerRunbooks(program, io, run);
  registerDrill(program, io, run);
  registerAct(program, io, run);
  registerHandoff(program, io, run);
  registerReport(program, io, run);
  registerPostmortem(program, io, run);
  registerSummary(program, io, run);
  registerNote(program, io, run);
  registerDeployCheck(program, io, run);
  registerAlarms(program, io, run);
  registerLogs(program, io, run);
  registerTeam(program, io, run);
}
