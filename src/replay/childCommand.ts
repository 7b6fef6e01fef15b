// The command line of a process target: how the shell runs it, and how messages name it.

/**
 * A simple command (no list, pipe, subshell or substitution) run by `exec env`, so the shell
 * is replaced by the program and does not hold its pipes open: dash waits for a child of
 * `sh -c` instead, and a target that closes its output would look hung, not gone, until the
 * timeout. `env` keeps leading VAR=value words working. Anything else runs as written.
 */
export function execed(command: string): string {
  return /^[^;&|`()\n]*$/.test(command) && !/^\s*(-|exec\b)/.test(command)
    ? `exec env ${command}`
    : command;
}

/** A command in backquotes for a message; a long one by its ends, so the message stays short. */
export function quoted(command: string): string {
  const edge = 100;
  return command.length <= 2 * edge
    ? `\`${command}\``
    : `\`${command.slice(0, edge)}...${command.slice(-edge)}\` (${command.length} characters)`;
}
