import type { ClientKind } from '../core/server-spec.js';
import type { RemoteTarget } from './formats.js';
import { syntaxOf } from './syntax.js';
import { unwrapTomlEntry, wrapTomlEntry, wrapTomlRemoteEntry } from './toml-edit.js';
import { unwrapEntryText, wrapEntryText, wrapRemoteEntryText } from './wrap.js';
import type { WrapTarget } from './wrap-target.js';
import { unwrapYamlEntry, wrapYamlEntry, wrapYamlRemoteEntry } from './yaml-edit.js';

type Path = readonly (string | number)[];

/** What wrap and unwrap do to one entry, in the syntax of the file it is in. */
export interface EntryEditor {
  wrap(text: string, path: Path, target: WrapTarget, client: ClientKind): string;
  wrapRemote(text: string, path: Path, target: WrapTarget, remote: RemoteTarget, client: ClientKind): string;
  unwrap(text: string, path: Path, client: ClientKind): string | null;
}

const EDITORS = {
  json: { wrap: wrapEntryText, wrapRemote: wrapRemoteEntryText, unwrap: unwrapEntryText },
  yaml: { wrap: wrapYamlEntry, wrapRemote: wrapYamlRemoteEntry, unwrap: unwrapYamlEntry },
  toml: {
    wrap: (text, path, target) => wrapTomlEntry(text, path, target),
    wrapRemote: wrapTomlRemoteEntry,
    unwrap: (text, path) => unwrapTomlEntry(text, path),
  },
} satisfies Record<string, EntryEditor>;

/** The editor for a config file, by its name. */
export function editorFor(file: string): EntryEditor {
  return EDITORS[syntaxOf(file)];
}
