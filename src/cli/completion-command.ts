// `stampede completion bash`: k6's `completion` command (cobra's), which prints a script that makes the
// shell complete stampede's commands and flags. Only bash: k6 (cobra) also writes zsh, fish and
// powershell scripts, which are not offered here. The script is Stampede's own: on TAB it
// runs the hidden `stampede __complete <words…> <current word>`, which prints the candidates one a line
// and then `:0` (the shell may offer file names too) or `:4` (it may not), the directive numbers of
// cobra's protocol. The candidates are read from the commander tree, so they follow the commands.
import type { Command, Option } from 'commander';
import { withExamples } from './help-examples.ts';

export interface Completions {
  readonly items: readonly string[];
  /** Whether file names fit where the cursor is (a script argument, a flag's value). */
  readonly files: boolean;
}

function optionsOf(cmd: Command): Option[] {
  const help = cmd.createHelp();
  return [...help.visibleOptions(cmd), ...help.visibleGlobalOptions(cmd)];
}

function findOption(cmd: Command, word: string): Option | undefined {
  const name = word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
  return optionsOf(cmd).find((o) => o.long === name || o.short === name);
}

/** The candidates for `words` (what follows `stampede`, the last one the word being completed). */
export function completions(program: Command, words: readonly string[]): Completions {
  let cmd = program;
  let positional = false;
  let valueNext = false;
  const done = words.slice(0, -1);
  for (const word of done) {
    if (valueNext) {
      valueNext = false;
    } else if (positional || !word.startsWith('-') || word === '-') {
      const sub = positional ? undefined : cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
      if (sub !== undefined) cmd = sub;
    } else if (word === '--') {
      positional = true;
    } else {
      const opt = findOption(cmd, word);
      valueNext = opt !== undefined && (opt.required || opt.optional) && !word.includes('=');
    }
  }
  if (valueNext) return { items: [], files: true };
  const current = words.at(-1) ?? '';
  if (current.startsWith('-') && !positional) {
    const flags = new Set<string>();
    for (const o of optionsOf(cmd)) if (o.long !== undefined) flags.add(o.long);
    flags.add('--help');
    return { items: [...flags].filter((f) => f.startsWith(current)).sort(), files: false };
  }
  const subs = cmd.createHelp().visibleCommands(cmd).map((c) => c.name());
  return { items: subs.filter((s) => s.startsWith(current)), files: cmd.registeredArguments.length > 0 };
}

/** `stampede __complete …`'s output. */
export function completionOutput(c: Completions): string {
  return `${c.items.map((i) => `${i}\n`).join('')}:${c.files ? 0 : 4}\n`;
}

const BASH = `# bash completion for stampede. Load it with: source <(stampede completion bash)
_stampede() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line directive=0
  COMPREPLY=()
  while IFS='' read -r line; do
    case "$line" in
      :*) directive="\${line#:}" ;;
      *) COMPREPLY+=("$line") ;;
    esac
  done < <("\${COMP_WORDS[0]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null)
  if [[ \${#COMPREPLY[@]} -eq 0 && "$directive" == 4 ]]; then
    compopt +o default 2>/dev/null
  fi
}
complete -o default -F _stampede stampede
`;

export function registerCompletionCommand(program: Command): void {
  const completion = program
    .command('completion')
    .description('Generate the autocompletion script for the specified shell (bash)')
    .argument('<shell>', 'bash')
    // A missing or unknown shell: cobra's argument error, which k6 exits with -1 (255); see main.ts.
    .exitOverride()
    .action((shell: string, _opts: unknown, cmd: Command) => {
      if (shell !== 'bash') cmd.error(`error: unsupported shell "${shell}": stampede completion writes a bash script only`);
      else process.stdout.write(BASH);
    });
  withExamples(completion, [
    ['Complete stampede in this bash session', 'source <(stampede completion bash)'],
    ['In every bash session (bash-completion)', 'stampede completion bash > ~/.local/share/bash-completion/completions/stampede'],
  ]);
}
