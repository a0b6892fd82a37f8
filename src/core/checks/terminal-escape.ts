/* eslint-disable no-control-regex -- matching control characters is what this classifier is for */
import { finding, type Finding } from '../findings.js';
import { serverTexts, subjectOf, where } from './texts.js';
import type { ServerView } from './types.js';

// Tab, line feed and carriage return are ordinary in descriptions; every other C0 control, DEL and C1 is not.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const ESCAPE_SEQUENCE =
  /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])|\u009B[0-?]*[ -/]*[@-~]|\u009D/u;

function describe(text: string): string {
  const sequence = ESCAPE_SEQUENCE.exec(text);
  if (sequence) {
    const kind =
      sequence[0].startsWith('\u001b]') || sequence[0] === '\u009d'
        ? 'OSC'
        : sequence[0].startsWith('\u001b[') || sequence[0].startsWith('\u009b')
          ? 'CSI'
          : 'ESC';
    const shown = sequence[0].replace(
      /[\u0000-\u001f\u007f-\u009f]/g,
      (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    );
    return `contains a terminal ${kind} escape sequence (${shown.slice(0, 40)}) that can rewrite what a reviewer sees`;
  }
  const ch = CONTROL.exec(text)![0];
  return `contains the control character \\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** tool-terminal-escape: control characters and escape sequences, which act on a terminal instead of showing. */
export function terminalEscape(servers: readonly ServerView[]): Finding[] {
  return servers.flatMap(({ name, entry }) =>
    serverTexts(entry)
      .filter((t) => CONTROL.test(t.text))
      .map((t) =>
        finding('tool-terminal-escape', {
          server: name,
          ...subjectOf(t),
          message: `${where(t)}: ${describe(t.text)}`,
        }),
      ),
  );
}
