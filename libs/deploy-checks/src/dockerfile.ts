import { readRepoFile } from './repo';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Dockerfile instructions with continuations joined and comments dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let current: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && !current)) return;
    const continued = line.endsWith('\\');
    const part = continued ? line.slice(0, -1) : line;
    current = current
      ? { ...current, text: `${current.text} ${part}` }
      : { text: part, line: index + 1 };
    if (!continued) {
      const match = /^(\w+)\s+([\s\S]*)$/.exec(current.text.trim());
      if (!match) throw new Error(`Dockerfile line ${current.line}: cannot parse ${current.text}`);
      instructions.push({
        keyword: match[1].toUpperCase(),
        args: match[2].trim(),
        line: current.line,
      });
      current = undefined;
    }
  });
  return instructions;
}

/** Build stages, with `${ARG}` in FROM resolved from the global ARG defaults. */
export function dockerStages(text: string): Stage[] {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of parseDockerfile(text)) {
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name, value] = instruction.args.split('=');
      if (value !== undefined) args.set(name, value);
    } else if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args
        .replace(/\$\{?(\w+)\}?/g, (_, arg: string) => args.get(arg) ?? `\${${arg}}`)
        .split(/\s+/);
      stages.push({
        from: image,
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        instructions: [],
      });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

export function loadDockerStages(): Stage[] {
  return dockerStages(readRepoFile('Dockerfile'));
}

/** `ENV A=1 B=2` (or the old `ENV A 1`) → its keys. */
export function envKeys(instruction: Instruction): string[] {
  if (!instruction.args.includes('=')) return [instruction.args.split(/\s+/)[0]];
  return [...instruction.args.matchAll(/(\w+)=/g)].map((match) => match[1]);
}
