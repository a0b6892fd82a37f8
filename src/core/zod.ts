import { config } from 'zod/mini';
import { en } from 'zod/locales';

/**
 * zod for the lockfile and config schemas: the mini build, the same validator core without the method chains and
 * about a third of the code to load — every command reads a config and a lock, so this is on every command's
 * start-up. Mini carries no messages of its own; English is configured here, so an error reads as the full build's
 * would. Import it as a namespace (`import * as z`), member by member, so the bundle keeps only what is used.
 */
config(en());

export * from 'zod/mini';
