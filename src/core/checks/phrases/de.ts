import type { Phrases } from './types.js';

/** German. */
export const de: Phrases = {
  language: 'de',
  families: {
    'ignore-instructions':
      /\b(?:ignoriere|ignorieren\s+sie|vergiss|vergessen\s+sie|missachte|missachten\s+sie)\s+(?:(?:alle|s[äa]mtliche|jegliche|deine|ihre|die)\s+){0,2}(?:vorherigen|bisherigen|obigen|fr[üu]heren|vorangegangenen|urspr[üu]nglichen)\s+(?:anweisungen|regeln|vorgaben|instruktionen|einschr[äa]nkungen)|\b(?:ignoriere|ignorieren\s+sie)\s+(?:die\s+)?(?:sicherheitsregeln|sicherheitsvorgaben|anweisungen\s+des\s+(?:nutzers|benutzers))/i,
    authority:
      /\bsystem[-\s]?(?:override|[üu]berschreibung|anweisung|befehl|direktive)\b|\b(?:entwickler|administrator|admin|jailbreak)[-\s]?modus\b|\bmit\s+(?:root|administrator|admin)[-\s]?(?:rechten|zugriff|berechtigungen)\b/i,
    concealment:
      /\b(?:sag|sage|sagen\s+sie|teile|teilen\s+sie|erw[äa]hne|erw[äa]hnen\s+sie|informiere|informieren\s+sie)\s+(?:dem|den)\s+(?:benutzer|nutzer|anwender)n?\s+(?:davon\s+|dar[üu]ber\s+|es\s+|dies\s+)?nichts?\b|\b(?:dem|den)\s+(?:benutzer|nutzer|anwender)n?\s+(?:nichts|nicht)\s+(?:sagen|mitteilen|erw[äa]hnen|verraten)|\bohne\s+dass\s+der\s+(?:benutzer|nutzer|anwender)\s+(?:es\s+|davon\s+)?(?:merkt|bemerkt|wei[ßs]|erf[äa]hrt)|\b(?:erw[äa]hne|erw[äa]hnen\s+sie|sag|sage|sagen\s+sie)\s+(?:dies|das|es|davon)\s+nicht\b|\bnicht\s+(?:erw[äa]hnen|verraten)\b/i,
    'standing-order':
      /\b(?:verwende|benutze|nutze|konsultiere|rufe)\s+(?:immer|stets)\s+(?:zuerst\s+)?dieses\s+(?:tool|werkzeug)|\balle\s+(?:befehle|e-?mails|nachrichten)\s+m[üu]ssen\s+(?:das\s+pr[äa]fix|mit|den)\b|\bimmer\s+in\s+(?:bcc|cc|kopie)\b/i,
    steering:
      /\b(?:verwende|benutze|nutze)\s+dieses\s+(?:tool|werkzeug)\s+(?:statt|anstelle|anstatt)\s+(?:der\s+|aller\s+)?(?:anderen|andere)|\bbevor\s+(?:du|sie)\s+(?:ein\s+)?(?:anderes|andere)\s+(?:tool|werkzeug)/i,
    exfiltration:
      /\b(?:(?:sende|senden\s+sie|schicke|schicken\s+sie|leite|f[üu]ge|h[äa]nge|lade|kopiere)\b|übermittle|übermitteln)[^.\n]{0,40}(?:(?:den\s+|die\s+)?(?:gesamten?\s+|ganzen?\s+|vollst[äa]ndigen?\s+)?(?:gespr[äa]chsverlauf|chatverlauf|konversation|unterhaltung)|system[-\s]?prompt|api[-\s]?schl[üu]ssel|privaten?\s+schl[üu]ssel|passw[öo]rter?|zugangsdaten)/i,
    redirect:
      /\b(?:leite|leiten\s+sie|sende|senden\s+sie|schicke|schicken\s+sie|kopiere|kopieren\s+sie)\b[^.\n]{0,60}\b(?:e-?mails?|nachrichten|zahlungen|überweisungen|dateien|kopie)\b[^.\n]{0,60}\ban\s+(?:[\w.+-]+@[\w-]+\.|https?:\/\/)|\b(?:immer|zusätzlich|heimlich)\b[^.\n]{0,30}\b(?:an|in\s+(?:bcc|cc)\s+an)\s+(?:[\w.+-]+@[\w-]+\.|https?:\/\/)/i,
    'consent-bypass':
      /\bohne\s+(?:den\s+(?:nutzer|benutzer)\s+zu\s+fragen|(?:r[üu]ck)?frage|best[äa]tigung|zustimmung)\b|\bfrag(?:e|en\s+sie)?\s+(?:den\s+(?:nutzer|benutzer|anwender)\s+)?(?:nicht|nie|niemals|keinesfalls)\s+(?:nach|um)\b/i,
  },
  fetchVerbs:
    // `\b` is ASCII-only: words that begin with an umlaut are matched without it.
    /\b(?:lies|lesen|sende|senden|schicke|f[üu]ge|h[äa]nge|lade|kopiere|hole|extrahiere)\b|(?:übergib|übermittle|übermitteln|öffne)/i,
  secrets:
    /\b(?:api[-\s]?schl[üu]ssel|passw[öo]rter?|kennw[öo]rter?|zugangsdaten|anmeldedaten|privaten?\s+schl[üu]ssel|tokens?|umgebungsvariablen)\b/i,
  negation: /\b(?:nicht|nie|niemals|kein|keine|keinen|ohne|vermeide)\b/i,
};
