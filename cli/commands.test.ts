import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandSummary } from './command-summary.js';
import { commandEntries, commandsRegister } from './commands.js';

const argvOf = (...args: string[]): string[] => ['node', 'quorumlab', ...args];

describe('commandsRegister', () => {
  it('with no command named, registers every command as a summary only', async () => {
    const program = new Command();
    await commandsRegister(program, argvOf('--version'));
    expect(program.commands.map((c) => c.name())).toEqual(Object.keys(commandSummary));
    for (const command of program.commands) {
      expect(command.description()).toBe(commandSummary[command.name() as keyof typeof commandSummary]);
      expect(command.options).toHaveLength(0);
      expect(command.commands).toHaveLength(0);
    }
  });

  it('loads the named command in full and leaves the others as summaries', async () => {
    const program = new Command();
    await commandsRegister(program, argvOf('check', 'history.jsonl', '--model', 'cas-register'));
    const check = program.commands.find((c) => c.name() === 'check')!;
    expect(check.options.map((o) => o.long)).toContain('--model');
    expect(check.registeredArguments.map((a) => a.name())).toEqual(['file']);
    const others = program.commands.filter((c) => c.name() !== 'check');
    expect(others.every((c) => c.options.length === 0)).toBe(true);
  });

  it('loads the command that `help` names', async () => {
    const program = new Command();
    await commandsRegister(program, argvOf('help', 'cluster'));
    const cluster = program.commands.find((c) => c.name() === 'cluster')!;
    expect(cluster.commands.map((c) => c.name())).toEqual(['up', 'down', 'status']);
  });

  it("gives each command module's description the summary --help lists", async () => {
    for (const entry of commandEntries) {
      const program = new Command();
      (await entry.load()).register(program);
      expect(program.commands.map((c) => [c.name(), c.description()])).toEqual([[entry.name, entry.summary]]);
    }
  });
});
