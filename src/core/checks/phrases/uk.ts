import type { Phrases } from './types.js';

/** Ukrainian. */
export const uk: Phrases = {
  language: 'uk',
  script: /[\u0400-\u04ff]/u,
  families: {
    'ignore-instructions':
      /(?:ігноруй|ігноруйте|забудь|забудьте)\s+(?:всі\s+|усі\s+)?(?:попередні|попередніх)\s+(?:інструкції|вказівки|правила)/iu,
    concealment:
      /не\s+(?:кажи|кажіть|повідомляй|повідомляйте|розповідай|розповідайте)\s+(?:про\s+це\s+)?користувач/iu,
  },
};
