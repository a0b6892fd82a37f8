import type { Phrases } from './types.js';

/** Italian. */
export const it: Phrases = {
  language: 'it',
  families: {
    'ignore-instructions':
      /\bignora(?:re)?\s+(?:tutte\s+)?(?:le\s+)?(?:istruzioni|regole)\s+(?:precedenti|anteriori|del\s+sistema)\b/i,
    concealment: /\bnon\s+(?:dirlo|dire|informare|menzionare|avvisare|rivelare)\b[^.\n]{0,30}\butente\b/i,
    redirect:
      /\b(?:invia|inoltra|manda|copia)\b[^.\n]{0,60}\b(?:copi[ae]|messaggi|e-?mail|pagamenti|bonifici|file)\b[^.\n]{0,60}\b(?:a|ad)\s+(?:[\w.+-]+@[\w-]+\.|https?:\/\/)/i,
  },
};
