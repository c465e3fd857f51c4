/** The `telltale` command line: a thin shell over src/index.ts. */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { packageRoot } from '../index.js';
import { huntCommand } from './hunt.js';
import { scanCommand } from './scan.js';
import { rulesCommand } from './rules.js';
import { kqlCommand } from './kql.js';
import { ingestCommand } from './ingest.js';
import { intelCommand } from './intel/index.js';
import { exclusionsCommand } from './exclusions.js';
import { exportCommand } from './export.js';
import { reportCommand } from './report.js';
import { EXIT_ERROR } from './common.js';

export function buildProgram(): Command {
  const { version } = JSON.parse(readFileSync(resolve(packageRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const program = new Command('telltale')
    .description(
      'Hunt Mirai-family IoT botnets in files and network telemetry, with Sentinel KQL run locally',
    )
    .version(version)
    .addHelpText(
      'after',
      '\nExample:\n  $ telltale hunt examples/incident\n\nExit status: 0 no findings, 1 findings, 2 error.',
    );
  for (const command of [
    huntCommand(),
    scanCommand(),
    kqlCommand(),
    ingestCommand(),
    intelCommand(),
    exclusionsCommand(),
    exportCommand(),
    reportCommand(),
    rulesCommand(),
  ])
    program.addCommand(command);
  return program;
}

/** A reader that went away (`telltale intel list | head`) ends the output quietly, as for other tools. */
function quietOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const program = buildProgram();
  const override = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_ERROR;
    throw e;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
