import type { Phrases } from './types.js';

/**
 * English. Sources of the shapes: Invariant Labs' tool-poisoning and shadowing proofs of concept, the Damn Vulnerable
 * MCP Server, Trail of Bits' "line jumping" posts (command prefixes, ANSI), Tenable's "consult this tool first",
 * CyberArk's full-schema poisoning, HiddenLayer's parameter abuse.
 */
export const en: Phrases = {
  language: 'en',
  families: {
    'ignore-instructions':
      /\b(?:ignore|disregard|forget|override|bypass|skip)\s+(?:all\s+|any\s+|every\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+)?(?:previous|prior|above|earlier|preceding|existing|other|original|initial|system|safety|security)\s+(?:safety\s+|security\s+|system\s+)?(?:instructions?|rules|guidelines|restrictions|prompts?|directives?|policies|guardrails|constraints)\b|\bforget\s+(?:everything|all)\s+(?:you\s+(?:were|have\s+been)\s+told|above|before)\b|\byour\s+(?:new|real|actual|true)\s+instructions\s+are\b|\bnew\s+instructions\s*:/i,
    authority:
      /\bsystem\s+(?:override|directive|command)s?\b|\[\s*(?:system|admin|developer)\s+(?:directive|override|instruction|message|note|command)s?\s*\]|\bjailbreak\s+mode\b|\bact\s+as\b[^.\n]{0,40}\bwith\s+(?:root|admin(?:istrator)?|unrestricted|full)\s+(?:access|privileges|permissions)\b|\byou\s+are\s+now\s+(?:in\s+)?(?:developer|admin|god|dan|unrestricted|maintenance|debug)\s+mode\b|\b(?:developer|admin|god|unrestricted)\s+mode\s+(?:is\s+)?(?:enabled|activated|on)\b|\bthis\s+(?:message|instruction|directive)\s+(?:comes|is)\s+from\s+(?:the\s+)?(?:system|anthropic|openai|administrator|developers?)\b/i,
    concealment:
      /\b(?:do\s+not|don't|dont|never|without)\s+(?:explicitly\s+)?(?:tell|telling|inform|informing|notify|notifying|alert|alerting|asking|warn|warning)\b[^.\n]{0,60}\b(?:user|human|them)\b|\b(?:do\s+not|don't|dont|never)\s+(?:explicitly\s+)?(?:mention|reveal|disclose)\b|\bno\s+need\s+to\s+(?:tell|mention|inform|notify)\b[^.\n]{0,40}\b(?:user|human)\b|\bkeep\s+(?:this|it|these)\s+(?:secret|hidden|confidential)\s+from\b|\b(?:without|before)\s+the\s+user\s+(?:noticing|knowing|seeing)\b|\bthe\s+user\s+(?:must|should)\s+(?:not|never)\s+(?:know|see|be\s+told|find\s+out)\b|\bsilently\s+(?:send|forward|include|read|call|copy|upload|add|append)\b/i,
    'standing-order':
      /\balways\s+(?:bcc|cc)\b|\balways\s+(?:consult|call|use|invoke|run)\s+this\s+tool\s+first\b|\bcommands?\s+must\s+(?:include|start\s+with|be\s+prefixed\s+with)\b[^.\n]{0,20}\bprefix\b|\b(?:all|every|each)\s+(?:shell\s+)?(?:commands?|emails?|messages?|requests?)\s+(?:must|should)\s+(?:include|start\s+with|begin\s+with|be\s+(?:prefixed|sent|copied|cc'?d|bcc'?d))\b|\b(?:must|should)\s+be\s+(?:prefixed|preceded)\s+(?:with|by)\b/i,
    steering:
      /\b(?:before|after|instead\s+of|rather\s+than|prior\s+to)\s+(?:using|calling|invoking|running|executing|any)\b[^.\n]{0,30}\b(?:any|all|every|the)\s+other\s+tools?\b|\buse\s+this\s+tool\s+(?:rather\s+than|instead\s+of|over)\s+(?:any\s+|all\s+|the\s+)?other(?:s|\s+tools?)?\b|\b(?:prefer|choose)\s+this\s+tool\s+(?:over|to)\s+(?:any\s+|all\s+|the\s+)?other\b|\b(?:before|after)\s+(?:the\s+|any\s+|every\s+|each\s+)?[\w-]{2,40}\s+(?:operation|calculation|request|call|command)s?\b[^.\n]{0,20}\b(?:run|call|use|invoke)\s+this\b/i,
    'behaviour-change':
      /\b(?:when|whenever|if)\b[^.\n]{0,40}\b(?:is|are)\s+(?:available|present|invoked|called|used)\b[^.\n]{0,80}\b(?:must|should|always)\b/i,
    exfiltration:
      /\b(?:send|forward|post|upload|transmit|email|copy|append|leak|exfiltrate)\s+(?:it\s+|them\s+)?(?:all\s+|every\s+|the\s+|a\s+copy\s+of\s+(?:the\s+)?)?(?:full\s+|entire\s+|whole\s+|complete\s+)?(?:conversation|chat\s+history|message\s+history|previous\s+messages|user'?s?\s+(?:messages|data|files|credentials|secrets)|system\s+prompt|api\s+keys?|credentials|secrets|access\s+tokens?|ssh\s+keys?|private\s+keys?|passwords?|environment\s+variables)\b[^.\n]{0,60}\b(?:to|into|via|in)\b|\b(?:everything|all)\s+(?:that\s+)?the\s+user\s+(?:has\s+)?(?:said|typed|written|shared|asked)\b|\b(?:full|entire|whole|complete)\s+(?:conversation|chat)\s+(?:history|so\s+far|transcript)\b|\b(?:contents?\s+of\s+)?(?:your|the)\s+system\s+prompt\b[^.\n]{0,40}\b(?:include|send|pass|put|add|append|copy)\b|\b(?:include|pass|put|add|append|copy)\b[^.\n]{0,30}\b(?:your|the)\s+system\s+prompt\b/i,
  },
  fetchVerbs:
    /\b(?:read|cat|open|load|access|include|send|pass|extract|provide|share|output|reveal|return|forward|upload|append|attach|copy|print|retrieve|fetch|get|collect|grab|dump)\b/i,
  negation: /\b(?:never|not|don't|dont|avoid|without|no|nor|refrain|prohibited|forbidden|must\s+not)\b/i,
};
