// Language detection without a model: the script decides for non-Latin text (which is what makes
// Kindle pick the right CJK font), and frequent function words decide among Latin-script languages.

const SCRIPTS: [RegExp, string][] = [
  [/[\u3040-\u30ff]/g, 'ja'],
  [/[\uac00-\ud7af\u1100-\u11ff]/g, 'ko'],
  [/[\u4e00-\u9fff\u3400-\u4dbf]/g, 'zh'],
  [/[\u0600-\u06ff\u0750-\u077f]/g, 'ar'],
  [/[\u0590-\u05ff]/g, 'he'],
  [/[\u0400-\u04ff]/g, 'ru'],
  [/[\u0370-\u03ff]/g, 'el'],
  [/[\u0e00-\u0e7f]/g, 'th'],
  [/[\u0900-\u097f]/g, 'hi'],
];

const WORDS: Record<string, string[]> = {
  en: ['the', 'and', 'of', 'to', 'is', 'in', 'that', 'it', 'was', 'for', 'with', 'on'],
  fr: ['le', 'la', 'les', 'et', 'des', 'est', 'une', 'dans', 'que', 'pour', 'pas', 'du'],
  de: ['der', 'die', 'und', 'das', 'ist', 'nicht', 'ein', 'mit', 'sich', 'auf', 'den', 'von'],
  es: ['el', 'la', 'los', 'que', 'y', 'en', 'del', 'las', 'por', 'una', 'con', 'para'],
  it: ['il', 'che', 'di', 'e', 'la', 'non', 'per', 'una', 'sono', 'gli', 'della', 'con'],
  pt: ['o', 'que', 'de', 'não', 'uma', 'os', 'do', 'da', 'em', 'para', 'com', 'é'],
  nl: ['de', 'het', 'een', 'en', 'van', 'is', 'niet', 'dat', 'op', 'zijn', 'met', 'voor'],
  sv: ['och', 'att', 'det', 'som', 'en', 'på', 'är', 'av', 'för', 'med', 'inte', 'har'],
  pl: ['i', 'w', 'nie', 'na', 'się', 'z', 'że', 'do', 'jest', 'to', 'jak', 'co'],
};

/** Guesses a BCP 47 language from plain text; `fallback` when there is too little to tell. */
export function detectLanguage(text: string, fallback = 'en'): string {
  const sample = text.slice(0, 20_000);
  let best = '';
  let bestCount = 0;
  for (const [re, lang] of SCRIPTS) {
    const count = sample.match(re)?.length ?? 0;
    if (count > bestCount) {
      best = lang;
      bestCount = count;
    }
  }
  const latin = sample.match(/[a-zA-Z\u00c0-\u024f]+/g) ?? [];
  // Kana beside Han means Japanese even when Han dominates.
  if (best === 'zh' && /[\u3040-\u30ff]/.test(sample)) best = 'ja';
  if (best && bestCount * 2 >= latin.length) return best;
  if (latin.length < 5) return best || fallback;
  const counts = new Map<string, number>();
  const lower = latin.slice(0, 3000).map((w) => w.toLowerCase());
  for (const [lang, words] of Object.entries(WORDS)) {
    const set = new Set(words);
    counts.set(lang, lower.filter((w) => set.has(w)).length);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const top = ranked[0];
  return top && top[1] > 0 ? top[0] : fallback;
}

/** Strips tags for detection (good enough: the text only feeds word counts). */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ');
}

const RTL = new Set(['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'sd', 'ug', 'dv', 'ckb']);

/** Whether a language is written right to left. */
export function isRtl(language: string): boolean {
  return RTL.has(language.toLowerCase().split('-')[0] ?? '');
}
