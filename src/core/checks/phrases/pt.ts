import type { Phrases } from './types.js';

/** Portuguese. */
export const pt: Phrases = {
  language: 'pt',
  families: {
    'ignore-instructions':
      /\b(?:ignore|ignora|ignorar|esque[cç]a|esquecer|desconsidere|desconsiderar|descarte|descartar|desobede[cç]a)\s+(?:todas\s+)?(?:as\s+|suas\s+)?(?:instru[cç][oõ]es|regras|restri[cç][oõ]es|orienta[cç][oõ]es)\s+(?:anteriores|pr[eé]vias|do\s+sistema|originais|de\s+seguran[cç]a|do\s+usu[aá]rio)/i,
    authority:
      /\b(?:substitui[cç][aã]o|diretiva|ordem)\s+do\s+sistema\b|\bmodo\s+(?:desenvolvedor|administrador|jailbreak|sem\s+restri[cç][oõ]es|deus)\b|\b(?:com|tem|possui|recebeu|ganhou)\s+(?:acesso|privil[eé]gios|permiss[oõ]es)\s+(?:total\s+|irrestrito\s+)?(?:de\s+)?(?:root|administrador|superusu[aá]rio)\b/i,
    concealment:
      /\bn[aã]o\s+(?:conte|diga|mencione|informe|avise|fale|comunique)\b[^.\n]{0,40}\busu[aá]rio|\bn[aã]o\s+(?:[eé]\s+)?(?:necess[aá]rio|precisa)\s+(?:contar|dizer|mencionar|informar|avisar)[^.\n]{0,30}\busu[aá]rio|\bsem\s+que\s+o\s+usu[aá]rio\s+(?:saiba|perceba|veja|note)|\bn[aã]o\s+mencione\b/i,
    'standing-order':
      /\b(?:use|utilize|chame|invoque|consulte)\s+sempre\s+(?:primeiro\s+)?esta\s+ferramenta|\bsempre\s+(?:consulte|use|utilize|chame|invoque)\s+(?:primeiro\s+)?esta\s+ferramenta|\btodos\s+os\s+(?:comandos|e-?mails|mensagens)\s+devem\s+(?:incluir|come[cç]ar|conter)|\bsempre\s+(?:adicione|coloque|ponha)\s+em\s+c[oó]pia/i,
    steering:
      /\b(?:use|utilize)\s+esta\s+ferramenta\s+(?:em\s+vez|ao\s+inv[eé]s|no\s+lugar)\s+de\s+(?:outras|qualquer)|\bantes\s+de\s+(?:usar|chamar|utilizar)\s+(?:qualquer\s+)?outra\s+ferramenta/i,
    exfiltration:
      /\b(?:envie|enviar|encaminhe|inclua|incluir|anexe|carregue|copie|passe)\b[^.\n]{0,30}(?:(?:todo\s+)?o\s+hist[oó]rico\s+(?:completo\s+|inteiro\s+|integral\s+)?d[ae]\s+(?:conversa|chat)|toda\s+a\s+conversa|o\s+prompt\s+do\s+sistema|chaves?\s+(?:de\s+)?API|chaves?\s+privadas?|senhas?|credenciais)/i,
    redirect:
      /\b(?:envie|encaminhe|mande|copie|reencaminhe)\b[^.\n]{0,60}\b(?:c[oó]pias?|mensage(?:m|ns)|e-?mails?|pagamentos?|transfer[eê]ncias?|arquivos?)\b[^.\n]{0,60}\bpara\s+(?:[\w.+-]+@[\w-]+\.|https?:\/\/)/i,
    'consent-bypass':
      /\bn[aã]o\s+(?:pe[cç]a|solicite|pergunte)\s+(?:por\s+)?(?:a\s+)?(?:confirma[cç][aã]o|permiss[aã]o|autoriza[cç][aã]o)|\bsem\s+(?:pedir|solicitar)\s+(?:a\s+)?(?:confirma[cç][aã]o|permiss[aã]o|autoriza[cç][aã]o)/i,
  },
  fetchVerbs: /\b(?:leia|ler|envie|enviar|inclua|incluir|anexe|passe|carregue|copie|abra|obtenha|extraia)\b/i,
  secrets:
    /\b(?:chaves?\s+(?:de\s+)?API|senhas?|credenciais|chaves?\s+privadas?|tokens?\s+de\s+acesso|vari[aá]veis\s+de\s+ambiente)\b/i,
  negation: /\b(?:n[aã]o|nunca|jamais|evite|sem)\b/i,
};
