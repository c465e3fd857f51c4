/** `telltale intel …`: one file per subcommand; each is flags → a src/index.ts call → a renderer. */
import { Command } from 'commander';
import { importCommand } from './import.js';
import { extractCommand } from './extract.js';
import { listCommand } from './list.js';
import { showCommand } from './show.js';
import { statsCommand } from './stats.js';
import { removeCommand } from './remove.js';
import { exportCommand } from './export.js';
import { updateCommand } from './update.js';

export function intelCommand(): Command {
  const intel = new Command('intel').description(
    'threat-intel store: import feeds and reports, list, stats, export blocklists, update feeds',
  );
  for (const command of [
    importCommand(),
    extractCommand(),
    listCommand(),
    showCommand(),
    statsCommand(),
    removeCommand(),
    exportCommand(),
    updateCommand(),
  ])
    intel.addCommand(command);
  return intel;
}
