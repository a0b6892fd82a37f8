import type { Phrases } from './types.js';

/** Spanish. Patterns are `/i` without `u`: the Unicode flag makes case-insensitive matching several times slower, and these letters need none of it. */
export const es: Phrases = {
  language: 'es',
  families: {
    'ignore-instructions':
      /\b(?:ignora|ignore|ignorar|olvida|olvide|olvidar|desobedece|desatiende|descarta|descarte)\s+(?:todas\s+)?(?:las\s+|tus\s+|sus\s+)?(?:instrucciones|reglas|indicaciones|restricciones|normas)\s+(?:anteriores|previas|del\s+sistema|originales|de\s+seguridad|del\s+usuario)|\bhaz\s+caso\s+omiso\s+de\s+(?:todas\s+)?(?:las\s+)?(?:instrucciones|reglas)/i,
    authority:
      /\b(?:anulaci[oó]n|directiva|orden)\s+del\s+sistema\b|\bmodo\s+(?:desarrollador|administrador|jailbreak|sin\s+restricciones|dios)\b|\b(?:con|tienes|tiene|posees|recibiste)\s+(?:acceso|privilegios|permisos)\s+(?:total\s+|irrestricto\s+)?(?:de\s+)?(?:root|administrador|superusuario)\b/i,
    concealment:
      /\bno\s+(?:se\s+lo\s+|le\s+|les\s+)?(?:digas|diga|menciones|mencione|informes|informe|avises|avise|cuentes|cuente|comuniques)\b[^.\n]{0,40}\busuario|\bno\s+(?:es\s+necesario|hace\s+falta)\s+(?:decirle|dec[ií]rselo|mencionarlo|mencionarle|informar|avisar)[^.\n]{0,30}\busuario|\bsin\s+que\s+el\s+usuario\s+(?:lo\s+)?(?:sepa|note|vea|se\s+entere)|\bno\s+(?:lo\s+)?menciones\b/i,
    'standing-order':
      /\b(?:usa|use|utiliza|utilice|llama\s+a|invoca|consulta|consulte)\s+siempre\s+(?:primero\s+)?esta\s+herramienta|\bsiempre\s+(?:consulta|consulte|usa|use|utiliza|utilice|llama\s+a|invoca)\s+(?:primero\s+)?esta\s+herramienta|\btodos\s+los\s+(?:comandos|correos|mensajes)\s+deben\s+(?:incluir|empezar|comenzar|llevar)|\bsiempre\s+(?:a[nñ]ade|a[nñ]ada|pon|ponga)\s+en\s+(?:copia|cco)\b/i,
    steering:
      /\b(?:usa|use|utiliza|utilice)\s+esta\s+herramienta\s+en\s+(?:lugar|vez)\s+de\s+(?:las\s+)?(?:otras|cualquier)|\bantes\s+de\s+(?:usar|llamar\s+a|utilizar)\s+(?:cualquier\s+)?otra\s+herramienta/i,
    exfiltration:
      /\b(?:env[ií]a|env[ií]e|enviar|reenv[ií]a|incluye|incluya|incluir|adjunta|adjunte|sube|suba|copia|copie|pasa|pase)\b[^.\n]{0,30}(?:(?:todo\s+)?el\s+historial\s+(?:completo\s+|entero\s+|[ií]ntegro\s+)?de\s+(?:la\s+)?(?:conversaci[oó]n|chat)|toda\s+la\s+conversaci[oó]n|el\s+prompt\s+del\s+sistema|claves?\s+(?:de\s+)?API|claves?\s+privadas?|contrase[nñ]as?|credenciales)/i,
    redirect:
      /\b(?:env[ií]a|env[ií]e|reenv[ií]a|reenv[ií]e|manda|mande|copia|copie)\b[^.\n]{0,60}\b(?:copias?|mensajes?|correos?|e-?mails?|pagos?|transferencias?|archivos?)\b[^.\n]{0,60}\b(?:a|para)\s+(?:[\w.+-]+@[\w-]+\.|https?:\/\/)/i,
    'consent-bypass':
      /\bno\s+(?:pidas|pida|solicites|solicite)\s+(?:la\s+)?(?:confirmaci[oó]n|permiso|autorizaci[oó]n)|\bsin\s+(?:pedir|solicitar)\s+(?:la\s+)?(?:confirmaci[oó]n|permiso|autorizaci[oó]n)/i,
  },
  fetchVerbs:
    /\b(?:lee|lea|leer|env[ií]a|env[ií]e|enviar|incluye|incluya|incluir|adjunta|pasa|pase|pasar|sube|copia|abre|obt[eé]n|extrae)\b/i,
  secrets:
    /\b(?:claves?\s+(?:de\s+)?API|contrase[nñ]as?|credenciales|claves?\s+privadas?|tokens?\s+de\s+acceso|variables\s+de\s+entorno)\b/i,
  negation: /\b(?:no|nunca|jam[aá]s|evita|evite|sin)\b/i,
};
