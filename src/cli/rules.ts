import { Command } from 'commander';
import { describeRules, describePatterns, stripControl, type RuleFileDescription } from '../index.js';
import { EXIT_ERROR, EXIT_NONE, err } from './common.js';

function render(f: RuleFileDescription): string {
  const out = [
    `# ${f.file} (namespace ${f.namespace}): ${f.rules.length} rule${f.rules.length === 1 ? '' : 's'}`,
  ];
  if (f.imports.length) out.push(`imports: ${f.imports.join(', ')}`);
  for (const e of f.errors) out.push(`error: ${e}`);
  for (const w of f.warnings) out.push(`warning: ${w}`);
  for (const r of f.rules) {
    out.push('', `rule ${[...r.modifiers, r.name].join(' ')} (line ${r.line})`);
    if (r.tags.length) out.push(`  tags: ${r.tags.join(', ')}`);
    for (const m of r.meta) out.push(`  meta ${m.key}: ${m.value}`);
    out.push(`  ${describePatterns(r.patterns)}`);
    for (const p of r.patterns)
      out.push(
        `    ${p.identifier} [${p.kind}] ${p.value}${p.modifiers.length ? ` (${p.modifiers.join(' ')})` : ''}`,
      );
    out.push(`  condition: ${r.condition}`);
  }
  // Rule text is untrusted: no terminal control characters, line by line (messages span lines).
  return (
    out
      .flatMap((l) => l.split('\n'))
      .map(stripControl)
      .join('\n') + '\n'
  );
}

export function rulesCommand(): Command {
  const rules = new Command('rules').description('inspect YARA rule sets');
  rules
    .command('show')
    .description(
      "describe rule files: rules, tags, meta, patterns and their kinds, conditions, YARA-X's errors and performance warnings",
    )
    .argument('<paths...>', 'rule files or folders (.yar/.yara)')
    .option('--json', 'print the description as JSON')
    .addHelpText('after', '\nExample:\n  $ telltale rules show ../shared/data/yara/rules/')
    .action(async (paths: string[], opts: { json?: boolean }) => {
      const { files, loadErrors } = await describeRules(paths);
      for (const e of loadErrors) err(`rules: ${e.file}: ${e.message}`);
      process.stdout.write(opts.json ? JSON.stringify(files, null, 2) + '\n' : files.map(render).join('\n'));
      process.exitCode =
        loadErrors.length > 0 || files.some((f) => f.errors.length > 0) ? EXIT_ERROR : EXIT_NONE;
    });
  return rules;
}
