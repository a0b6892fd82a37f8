import type { Phrases } from './types.js';

/** French. */
export const fr: Phrases = {
  language: 'fr',
  families: {
    'ignore-instructions':
      /\b(?:ignorez|ignore|ignorer|oubliez|oublie|oublier|ne\s+tenez\s+(?:pas|plus)\s+compte\s+d[eu]s?|ne\s+tiens\s+(?:pas|plus)\s+compte\s+d[eu]s?|faites\s+abstraction\s+d[eu]s?|fais\s+abstraction\s+d[eu]s?)\s+(?:toutes\s+)?(?:les\s+|vos\s+|tes\s+)?(?:instructions|consignes|r[eè]gles|restrictions|directives)\s+(?:pr[eé]c[eé]dentes|ant[eé]rieures|du\s+syst[eè]me|initiales|de\s+s[eé]curit[eé]|de\s+l['’]utilisateur)/i,
    authority:
      /\b(?:directive|commande|remplacement|ordre)\s+(?:du\s+)?syst[eè]me\b|\bmode\s+(?:d[eé]veloppeur|administrateur|jailbreak|sans\s+restrictions?|dieu)\b|\bavec\s+(?:un\s+|des\s+)?(?:acc[eè]s|privil[eè]ges|droits)\s+(?:root|administrateur|superutilisateur)\b/i,
    concealment:
      /\bne\s+(?:le\s+|lui\s+|leur\s+|l['’])?(?:dites|dis|mentionnez|mentionne|informez|informe|pr[eé]venez|pr[eé]viens|signalez|signale|r[eé]v[eé]lez|r[eé]v[eè]le)\s+(?:rien\s+|pas\s+|jamais\s+)?[^.\n]{0,40}\butilisateur|\bn['’]en\s+(?:parlez|parle|dites|dis)\s+(?:rien\s+|pas\s+)?[^.\n]{0,20}\butilisateur|\b(?:inutile|pas\s+besoin)\s+d['’e]\s*(?:en\s+)?(?:informer|parler|pr[eé]venir|mentionner)[^.\n]{0,30}\butilisateur|\bsans\s+que\s+l['’]utilisateur\s+(?:le\s+)?(?:sache|remarque|voie)|\bne\s+(?:le\s+)?mentionnez\s+pas\b/i,
    'standing-order':
      /\b(?:toujours|syst[eé]matiquement)\s+(?:consulter|utiliser|appeler|consultez|utilisez|appelez)\s+(?:d['’]abord\s+)?cet\s+outil|\b(?:consultez|utilisez|appelez|consulte|utilise|appelle)\s+toujours\s+(?:d['’]abord\s+)?cet\s+outil|\btou(?:tes|s)\s+les\s+(?:commandes|e-?mails|courriels|messages)\s+doivent\s+(?:inclure|commencer|contenir)|\b(?:mettez|mets)\s+toujours\s+en\s+copie/i,
    steering:
      /\b(?:utilisez|utilise)\s+cet\s+outil\s+(?:plut[oô]t\s+que|au\s+lieu\s+d['’e])\s*(?:les\s+|tout\s+)?autres?|\bavant\s+d['’]utiliser\s+(?:tout\s+|un\s+)?autre\s+outil/i,
    exfiltration:
      /\b(?:envoyez|envoie|envoyer|transf[eé]rez|incluez|inclure|joignez|t[eé]l[eé]versez|copiez|passez)\b[^.\n]{0,30}(?:(?:tout\s+)?l['’]historique\s+(?:complet\s+|entier\s+|int[eé]gral\s+)?(?:de\s+|des\s+)(?:la\s+)?(?:conversation|discussion|[eé]changes|messages)|toute\s+la\s+conversation|le\s+prompt\s+syst[eè]me|cl[eé]s?\s+(?:d['’])?API|cl[eé]s?\s+priv[eé]es?|mots?\s+de\s+passe|identifiants)/i,
    redirect:
      /\b(?:envoie|envoyez|transf[eè]re|transf[eé]rez|copie|copiez|redirige|redirigez)\b[^.\n]{0,60}\b(?:copies?|messages?|courriels?|e-?mails?|paiements?|virements?|fichiers?)\b[^.\n]{0,60}\b[àa]\s+(?:[\w.+-]+@[\w-]+\.|https?:\/\/)/i,
    'consent-bypass':
      /\bsans\s+demander\s+(?:de\s+|la\s+|l['’])?(?:confirmation|permission|autorisation)|\bne\s+(?:demandez|demande)\s+(?:pas|jamais)\s+(?:de\s+|la\s+)?(?:confirmation|permission|autorisation)/i,
  },
  fetchVerbs:
    /\b(?:lisez|lis|lire|envoyez|envoie|incluez|inclure|joignez|passez|copiez|ouvrez|r[eé]cup[eé]rez|extrayez)\b/i,
  secrets:
    /\b(?:cl[eé]s?\s+(?:d['’])?API|mots?\s+de\s+passe|identifiants|cl[eé]s?\s+priv[eé]es?|jetons?\s+d['’]acc[eè]s|variables\s+d['’]environnement)\b/i,
  negation: /\b(?:ne|jamais|sans)\b|\bn['’]|[ée]vitez/i,
};
