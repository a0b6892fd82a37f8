import { Fault } from '../errors.js';

/** Why an entry could not be rewritten; the caller names the file. */
export class WrapError extends Fault {
  constructor(message: string) {
    super('entry-unwrappable', message);
  }
}
