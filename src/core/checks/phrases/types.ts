/**
 * The families of directive a poisoned definition gives the model, each the shape of published attacks. A language
 * file fills in the families it has phrases for; `index.ts` puts them together.
 */
export type Family =
  | 'ignore-instructions'
  | 'authority'
  | 'concealment'
  | 'standing-order'
  | 'steering'
  | 'behaviour-change'
  | 'exfiltration'
  | 'consent-bypass'
  | 'redirect';

/** One language's phrases: one pattern per family, written for sentences as attackers write them in it. */
export interface Phrases {
  /** BCP 47 tag of the language, for the finding's message. */
  language: string;
  /** A letter of the language's script: a text without one cannot hold its phrases, and is not searched for them. */
  script?: RegExp;
  /** One pattern a family, or several: a family's shapes are easier to review apart. */
  families: Partial<Record<Family, RegExp | readonly RegExp[]>>;
  /**
   * Verbs that ask the model to read, send or include something: beside a secret file's path (which reads the same in
   * every language) they make a request for that file.
   */
  fetchVerbs?: RegExp;
  /**
   * What a secret is called in the language (API keys, passwords, credentials, private keys, environment variables):
   * beside a fetch verb, a request for the user's secrets.
   */
  secrets?: RegExp;
  /** Words that turn a sentence into a prohibition ("never include API keys"): such a sentence asks for nothing. */
  negation?: RegExp;
  /** The language negates after the verb (Japanese, Korean): the prohibition is looked for after a match. */
  negationAfter?: boolean;
}
