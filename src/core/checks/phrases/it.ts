import type { Phrases } from './types.js';

/** Italian. */
export const it: Phrases = {
  language: 'it',
  families: {
    'ignore-instructions':
      /\bignora(?:re)?\s+(?:tutte\s+)?(?:le\s+)?(?:istruzioni|regole)\s+(?:precedenti|anteriori|del\s+sistema)\b/i,
    concealment: /\bnon\s+(?:dirlo|dire|informare|menzionare|avvisare)\b[^.\n]{0,30}\butente\b/i,
  },
};
